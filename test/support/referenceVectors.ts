// Loads the shared reference vectors (copied into test/fixtures so a clean clone has them) and compares
// nested outputs with the vectors' own tolerance: |got − expected| ≤ abs + rel·|expected|.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface Tolerance { rel?: number; abs?: number }
export interface ReferenceVector {
  name: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
  tolerance: Tolerance;
  notes?: string;
}

export const VECTOR_DIR = join(import.meta.dirname, '..', 'fixtures', 'reference-vectors');

export function loadVector(name: string): ReferenceVector {
  return JSON.parse(readFileSync(join(VECTOR_DIR, `${name}.json`), 'utf8')) as ReferenceVector;
}

export function vectorNames(): string[] {
  return readdirSync(VECTOR_DIR).filter((f) => f.endsWith('.json') && f !== 'index.json').map((f) => f.replace(/\.json$/, ''));
}

/** Returns a list of mismatches ("path: got X, expected Y"); empty when everything is within tolerance. */
export function compareNested(got: unknown, expected: unknown, tol: Tolerance, path = ''): string[] {
  const rel = tol.rel ?? 0, abs = tol.abs ?? 0;
  if (typeof expected === 'number') {
    if (typeof got !== 'number') return [`${path}: got ${JSON.stringify(got)}, expected number ${expected}`];
    if (Number.isNaN(expected)) return Number.isNaN(got) ? [] : [`${path}: got ${got}, expected NaN`];
    return Math.abs(got - expected) <= abs + rel * Math.abs(expected) ? [] : [`${path}: got ${got}, expected ${expected} (diff ${Math.abs(got - expected)})`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) && !ArrayBuffer.isView(got)) return [`${path}: got ${typeof got}, expected array`];
    const g = Array.from(got as ArrayLike<unknown>);
    if (g.length !== expected.length) return [`${path}: length ${g.length}, expected ${expected.length}`];
    return expected.flatMap((e, i) => compareNested(g[i], e, tol, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (got === null || typeof got !== 'object') return [`${path}: got ${typeof got}, expected object`];
    const g = got as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(expected)) {
      if (!(k in g)) out.push(`${path}.${k}: missing`);
      else out.push(...compareNested(g[k], (expected as Record<string, unknown>)[k], tol, `${path}.${k}`));
    }
    return out;
  }
  return got === expected ? [] : [`${path}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`];
}
