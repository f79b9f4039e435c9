// Layer groups of a trainable graph from parameter-name prefixes (issue 8 §1-2) and the fine-tuning schemes
// built on them: which groups train, and MetaLR's initial per-group LRs (spec §12.1: 1e-3 conv, 1e-2 head).
import { TeError } from '../errors.ts';

/** 'enc.0.net.0.weight' → 'enc.0', 'bott.net.3.bias' → 'bott', 'head.weight' → 'head' (an untied copy '#k' kept with its source). */
export function defaultGroupOf(param: string): string {
  const parts = param.replace(/#\d+$/, '').split('.');
  if (parts.length > 2 && /^\d+$/.test(parts[1])) return `${parts[0]}.${parts[1]}`;
  return parts.length > 1 ? parts[0] : param;
}

export interface LayerGroups {
  /** Group names in order of first use in the graph (input side first). */
  names: string[];
  /** Parameter names of each group. */
  members: string[][];
}

/** Groups parameters (given in order of first use) by `groupOf`; `overrides` maps a parameter to a group name. */
export function layerGroups(weights: string[], groupOf: (p: string) => string = defaultGroupOf, overrides: Record<string, string> = {}): LayerGroups {
  const names: string[] = [], members: string[][] = [];
  for (const w of weights) {
    const g = overrides[w] ?? groupOf(w);
    let k = names.indexOf(g);
    if (k < 0) { k = names.length; names.push(g); members.push([]); }
    members[k].push(w);
  }
  return { names, members };
}

/**
 * Checks user overrides (parameter → group name) against the model's trainable parameters `weights`: every key a
 * parameter of the model, every value a non-empty string; the error names the bad entries (`what` says where from).
 */
export function checkGroupOverrides(overrides: unknown, weights: string[], what = 'layer groups'): Record<string, string> {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new TeError('invalid-input', `${what}: must be a JSON object {"parameter name": "group name"}`);
  const known = new Set(weights), entries = Object.entries(overrides as Record<string, unknown>);
  const unknown = entries.filter(([k]) => !known.has(k)).map(([k]) => `"${k}"`);
  if (unknown.length) throw new TeError('invalid-input', `${what}: unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (not a trainable parameter of the model; e.g. "${weights[0] ?? ''}")`);
  const bad = entries.filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => `"${k}"`);
  if (bad.length) throw new TeError('invalid-input', `${what}: the group of ${bad.join(', ')} must be a non-empty name`);
  return overrides as Record<string, string>;
}

export type Scheme = 'constant' | 'last-layer' | 'layer-wise' | 'bi-directional' | 'metalr-paper' | 'metalr-official';

export interface SchemeOptions {
  /** layer-wise: train the last k groups (output side). */
  topK?: number;
  /** bi-directional: groups first..last (0-based, inclusive, in `names` order) are frozen. */
  frozen?: [number, number];
  /** Index of the head group (default: the last group). */
  head?: number;
}

/** Which groups a scheme trains (true = trained). */
export function trainableGroups(scheme: Scheme, numGroups: number, opts: SchemeOptions = {}): boolean[] {
  if (numGroups < 1) throw new TeError('invalid-input', 'fine-tuning: the model has no trainable parameters');
  const head = opts.head ?? numGroups - 1;
  switch (scheme) {
    case 'last-layer':
      return Array.from({ length: numGroups }, (_, j) => j === head);
    case 'layer-wise': {
      const k = opts.topK ?? 1;
      if (!(k >= 1 && k <= numGroups)) throw new TeError('invalid-input', `layer-wise: top k = ${k} is not in 1..${numGroups}`);
      return Array.from({ length: numGroups }, (_, j) => j >= numGroups - k);
    }
    case 'bi-directional': {
      const [m, n] = opts.frozen ?? [0, -1];
      if (!(m >= 0 && n < numGroups && m <= n)) throw new TeError('invalid-input', `bi-directional: frozen blocks ${m}..${n} are not within 0..${numGroups - 1}`);
      return Array.from({ length: numGroups }, (_, j) => j < m || j > n);
    }
    default:
      return new Array<boolean>(numGroups).fill(true);
  }
}

/** MetaLR's initial LRs (paper §3.2; official `[0.1·lr]*9 + [lr]`): `base` for every group, 10·base for the head. */
export function metalrInitialLrs(numGroups: number, head = numGroups - 1, base = 1e-3): number[] {
  return Array.from({ length: numGroups }, (_, j) => (j === head ? 10 * base : base));
}
