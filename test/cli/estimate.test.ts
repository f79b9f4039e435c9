// `bin/transferlens estimate` as a user runs it: a child process per reference vector; stdout must be
// one JSON object with exactly the expected keys and values; errors go to stderr with a non-zero exit.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { VECTOR_DIR, compareNested, loadVector, vectorNames } from '../support/referenceVectors.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transferlens');

function run(args: string[], input?: string) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('transferlens estimate', () => {
  for (const name of vectorNames()) {
    it(`passes the ${name} vector`, () => {
      const v = loadVector(name);
      const inputFile = join(mkdtempSync(join(tmpdir(), 'tl-')), `${name}-input.json`);
      writeFileSync(inputFile, JSON.stringify(v.input));
      const r = run(['estimate', inputFile]);
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(Object.keys(out).sort()).toEqual(Object.keys(v.expected).sort());
      expect(compareNested(out, v.expected, v.tolerance)).toEqual([]);
    });
  }

  it('accepts a whole vector file and standard input', () => {
    const r = run(['estimate', join(VECTOR_DIR, 'correlation.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Record<string, { weighted_kendall_tau: number }>).scipy_doc_example.weighted_kendall_tau)
      .toBeCloseTo(-0.5669496815368272, 12);
    const s = run(['estimate', '-'], JSON.stringify({ pair: { x: [1, 2, 3], y: [3, 2, 1] } }));
    expect(s.code, s.stderr).toBe(0);
    const pair = (JSON.parse(s.stdout) as { pair: { weighted_kendall_tau: number; pearson: number } }).pair;
    expect(Object.keys(JSON.parse(s.stdout))).toEqual(['pair']);
    expect(pair.weighted_kendall_tau).toBeCloseTo(-1, 12);
    expect(pair.pearson).toBeCloseTo(-1, 12);
  });

  it('names the file and the problem on bad input, with nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tl-'));
    const bad = join(dir, 'broken.json');
    writeFileSync(bad, '{"features": [[1, 2], [3');
    const r = run(['estimate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.json');
    expect(r.stderr).toMatch(/not valid JSON/);
    const missing = run(['estimate', join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope.json');
    const ragged = join(dir, 'ragged.json');
    writeFileSync(ragged, JSON.stringify({ features: [[1, 2], [3]], labels: [0, 1] }));
    const rr = run(['estimate', ragged]);
    expect(rr.code).toBe(1);
    expect(rr.stdout).toBe('');
    expect(rr.stderr).toContain('ragged.json');
  });

  it('documents itself and rejects unknown commands', () => {
    const h = run(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('transferlens estimate FILE.json');
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['estimate']).code).toBe(2);
  });
});
