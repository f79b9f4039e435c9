// Chance level of the validation harness (issue 7 item 1): the distribution of weighted Kendall τ (spec §11)
// between a uniformly random ranking of the models and their fine-tuned Dice; exact for ≤ 9 models, Monte Carlo above.
import { TeError } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { percentileSorted } from '../stats/bootstrap.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';

export interface RandomTau {
  /** The q-quantile (numpy linear interpolation) of τ(random ranking, y). */
  value: number;
  q: number;
  /** true: all n! rankings enumerated; false: `count` seeded random permutations. */
  exact: boolean;
  count: number;
}

/** Visits every permutation of 0..n−1 (Heap's algorithm, iterative); `visit` must not keep the array. */
export function forEachPermutation(n: number, visit: (p: Int32Array) => void): void {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const c = new Int32Array(n);
  visit(p);
  let i = 1;
  while (i < n) {
    if (c[i] < i) {
      const j = i % 2 === 0 ? 0 : c[i];
      const t = p[j]; p[j] = p[i]; p[i] = t;
      visit(p);
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
}

const cache = new Map<string, Float64Array>();

/**
 * weightedKendallTau(x, y) for x a permutation of 0..n−1 (no ties), written out in O(n²) without allocation
 * for the n! enumeration (the test checks it against the library function on random inputs with ties in y).
 */
export function tauOfPermutation(x: Int32Array, y: Float64Array, w1: Float64Array, w2: Float64Array): number {
  const n = x.length;
  for (let i = 0; i < n; i++) {
    w1[i] = 1 / (n - x[i]); // importance by x descending: rank n−1−x[i]
    let r = 0;
    for (let j = 0; j < n; j++) if (y[j] > y[i] || (y[j] === y[i] && x[j] > x[i])) r++;
    w2[i] = 1 / (r + 1);
  }
  let n1 = 0, n2 = 0, dx1 = 0, dx2 = 0, dy1 = 0, dy2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = w1[i] + w1[j], b = w2[i] + w2[j];
      const s = (x[i] > x[j] ? 1 : -1) * (y[i] > y[j] ? 1 : y[i] < y[j] ? -1 : 0);
      n1 += a * s; n2 += b * s; dx1 += a; dx2 += b;
      if (y[i] !== y[j]) { dy1 += a; dy2 += b; }
    }
  }
  return (n1 / Math.sqrt(dx1 * dy1) + n2 / Math.sqrt(dx2 * dy2)) / 2;
}

/** All τ values (sorted) of the n! rankings against y; memoised on y's tie pattern (τ depends on y only through it). */
function exactDistribution(y: ArrayLike<number>): Float64Array {
  const order = Array.from(y).map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const dense = new Float64Array(y.length);
  let r = 0;
  order.forEach(([v, i], k) => { if (k > 0 && v !== order[k - 1][0]) r++; dense[i] = r; });
  const key = Array.from(dense).join(',');
  let out = cache.get(key);
  if (!out) {
    const vals: number[] = [];
    const w1 = new Float64Array(y.length), w2 = new Float64Array(y.length);
    forEachPermutation(y.length, (p) => vals.push(tauOfPermutation(p, dense, w1, w2)));
    out = Float64Array.from(vals).sort();
    cache.set(key, out);
  }
  return out;
}

/**
 * q-quantile (default 0.95) of weighted τ between a random ranking (no ties) of n = y.length models and y.
 * Exact enumeration for n ≤ maxExact (default 9, 362 880 rankings); otherwise `draws` seeded permutations.
 */
export function randomTauQuantile(y: ArrayLike<number>, opts: { q?: number; seed?: number; draws?: number; maxExact?: number } = {}): RandomTau {
  const n = y.length, q = opts.q ?? 0.95;
  if (n < 2) throw new TeError('too-few-cases', `random-ranking τ: needs at least 2 models, got ${n}`);
  if (new Set(Array.from(y)).size < 2) return { value: NaN, q, exact: true, count: 0 };
  if (n <= (opts.maxExact ?? 9)) {
    const d = exactDistribution(y);
    return { value: percentileSorted(d, q), q, exact: true, count: d.length };
  }
  const rng = createRng(opts.seed ?? 0), draws = opts.draws ?? 20000;
  const p = Int32Array.from({ length: n }, (_, i) => i);
  const vals = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    for (let i = n - 1; i > 0; i--) { const j = rng.int(i + 1); const t = p[i]; p[i] = p[j]; p[j] = t; }
    vals[b] = weightedKendallTau(p, y);
  }
  vals.sort();
  return { value: percentileSorted(vals, q), q, exact: false, count: draws };
}
