// Averages the validation table over targets (issue 7 item 1): mean τ, Pearson, regret and noise ceiling over
// the targets, with intervals from averaging the per-target bootstrap replicates index by index.
import { createRng } from '../sampling/rng.ts';
import { percentileSorted } from '../stats/bootstrap.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';
import { interval, type Interval, type StudyReplicates, type StudyValidation } from './harness.ts';

export interface AverageValidation {
  targets: string[];
  noise_ceiling: Interval;
  /** 95th percentile of the target-averaged τ of independent random rankings (Monte Carlo). */
  random_tau_p95: number;
  estimators: Record<string, { n_targets: number; weighted_kendall_tau: Interval; pearson: Interval; top1_regret: Interval }>;
}

/** Mean over the arrays of the b-th elements (NaN when any is NaN): replicate b of the average. */
function meanReplicates(arrays: ArrayLike<number>[]): Float64Array {
  const B = Math.min(...arrays.map((a) => a.length));
  return Float64Array.from({ length: B }, (_, b) => arrays.reduce((s, a) => s + a[b], 0) / arrays.length);
}

const mean = (v: (number | null)[]): number => (v.some((x) => x === null) ? NaN : (v as number[]).reduce((a, b) => a + b, 0) / v.length);

/**
 * Mean over targets, per estimator over the targets where it was validated (n_targets says how many).
 * Replicate b of the mean = mean of the targets' replicate b (their resamples are independent).
 */
export function averageValidation(studies: { result: StudyValidation; replicates: StudyReplicates; dice: number[] }[], opts: { seed?: number; draws?: number; level?: number } = {}): AverageValidation {
  const level = opts.level ?? 0.95;
  const keys = [...new Set(studies.flatMap((s) => Object.keys(s.result.estimators)))];
  const estimators: AverageValidation['estimators'] = {};
  for (const k of keys) {
    const on = studies.filter((s) => s.result.estimators[k]);
    const e = on.map((s) => s.result.estimators[k]);
    const r = on.map((s) => s.replicates.estimators[k]);
    estimators[k] = {
      n_targets: on.length,
      weighted_kendall_tau: interval(mean(e.map((x) => x.weighted_kendall_tau.value)), meanReplicates(r.map((x) => x.tau)), level),
      pearson: interval(mean(e.map((x) => x.pearson.value)), meanReplicates(r.map((x) => x.pearson)), level),
      top1_regret: interval(mean(e.map((x) => x.top1_regret.value)), meanReplicates(r.map((x) => x.regret)), level),
    };
  }
  return {
    targets: studies.map((s) => s.result.target),
    noise_ceiling: interval(mean(studies.map((s) => s.result.noise_ceiling.value)), meanReplicates(studies.map((s) => s.replicates.ceiling)), level),
    random_tau_p95: randomAverageTauQuantile(studies.map((s) => s.dice), { seed: opts.seed, draws: opts.draws }),
    estimators,
  };
}

/** q-quantile of the mean over targets of τ(random ranking, Dice of that target), by seeded Monte Carlo. */
export function randomAverageTauQuantile(dice: number[][], opts: { q?: number; seed?: number; draws?: number } = {}): number {
  const usable = dice.filter((y) => y.length >= 2 && new Set(y).size >= 2);
  if (usable.length === 0) return NaN;
  const rng = createRng(opts.seed ?? 0), draws = opts.draws ?? 20000;
  const vals = new Float64Array(draws);
  for (let b = 0; b < draws; b++) {
    let s = 0;
    for (const y of usable) {
      const p = Int32Array.from({ length: y.length }, (_, i) => i);
      for (let i = p.length - 1; i > 0; i--) { const j = rng.int(i + 1); const t = p[i]; p[i] = p[j]; p[j] = t; }
      s += weightedKendallTau(p, y);
    }
    vals[b] = s / usable.length;
  }
  vals.sort();
  return percentileSorted(vals, opts.q ?? 0.95);
}
