// Seeded percentile bootstrap (spec §11 correlation protocol): 95 % intervals for any score over cases
// (resample cases, recompute the score) and for weighted Kendall τ over models (resample models).
import { TeError } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { weightedKendallTau } from './weightedKendallTau.ts';

export interface BootstrapOptions {
  /** Seed of createRng: the same seed gives the same resamples. */
  seed: number;
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Central coverage of the interval (default 0.95). */
  level?: number;
}

export interface BootstrapResult {
  /** The score on the original (un-resampled) indices. */
  estimate: number;
  lower: number;
  upper: number;
  level: number;
  resamples: number;
  /** Resamples whose score was finite (non-finite ones are dropped, with a warning). */
  valid: number;
  /** Finite resampled scores, sorted ascending. */
  samples: Float64Array;
}

/** numpy.percentile(sorted, 100·q) with the default linear interpolation; NaN when empty. */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos), hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Percentile bootstrap over n items: each resample draws n indices with replacement and calls
 * `score(indices)`. Resamples giving NaN/±Inf (e.g. a constant resample for a correlation) are dropped
 * and reported through `warn`; with none left the interval is [NaN, NaN].
 */
export function bootstrapCases(
  n: number,
  score: (indices: Int32Array) => number,
  opts: BootstrapOptions,
  warn?: (m: string) => void,
  what = 'bootstrap',
): BootstrapResult {
  if (!Number.isInteger(n) || n < 2) throw new TeError('too-few-cases', `${what}: needs at least 2 items to resample, got ${n}`, { n });
  const resamples = opts.resamples ?? 1000, level = opts.level ?? 0.95;
  if (!(resamples >= 1) || !(level > 0 && level < 1)) throw new TeError('invalid-input', `${what}: resamples must be ≥ 1 and level in (0, 1)`);
  const rng = createRng(opts.seed);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = score(identity);
  const vals: number[] = [];
  const idx = new Int32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const s = score(idx);
    if (Number.isFinite(s)) vals.push(s);
  }
  const samples = Float64Array.from(vals).sort();
  if (samples.length < resamples) warn?.(`${what}: ${resamples - samples.length} of ${resamples} resamples gave a non-finite score and were dropped`);
  const a = (1 - level) / 2;
  return { estimate, lower: percentileSorted(samples, a), upper: percentileSorted(samples, 1 - a), level, resamples, valid: samples.length, samples };
}

/** Bootstrap interval of weightedKendallTau(x, y) over models (pairs (x_k, y_k) resampled together). */
export function bootstrapTauOverModels(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  opts: BootstrapOptions,
  warn?: (m: string) => void,
): BootstrapResult {
  if (x.length !== y.length) throw new TeError('shape-mismatch', `bootstrap tau: ${x.length} scores but ${y.length} outcomes`);
  if (x.length < 2) throw new TeError('too-few-cases', `bootstrap tau: needs at least 2 models, got ${x.length}`, { models: x.length });
  const n = x.length;
  const bx = new Float64Array(n), by = new Float64Array(n);
  const score = (idx: Int32Array): number => {
    for (let i = 0; i < n; i++) { bx[i] = x[idx[i]]; by[i] = y[idx[i]]; }
    return weightedKendallTau(bx, by);
  };
  return bootstrapCases(n, score, opts, warn, 'bootstrap tau over models');
}
