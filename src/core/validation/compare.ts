// Paired comparison of two estimators' weighted τ (issue 7 item 4): per target and averaged, Δτ = τ(a) − τ(b) with a
// 95 % interval from the aligned bootstrap replicates (same seed draws and case resamples for every estimator).
import { interval, type Interval, type StudyReplicates, type StudyValidation } from './harness.ts';

export interface PairedComparison {
  a: string;
  b: string;
  per_target: Record<string, Interval>;
  average: Interval;
  /** Targets where τ(a) > τ(b); and where the whole interval of Δτ lies above 0. */
  wins: number;
  clear_wins: number;
  targets: number;
}

export function compareTau(studies: { result: StudyValidation; replicates: StudyReplicates }[], a: string, b: string, level = 0.95): PairedComparison | null {
  const on = studies.filter((s) => s.result.estimators[a] && s.result.estimators[b]);
  if (on.length === 0) return null;
  const per: Record<string, Interval> = {};
  const B = Math.min(...on.map((s) => s.replicates.estimators[a].tau.length));
  const avgReps = new Float64Array(B);
  let sum = 0, wins = 0, clear = 0;
  for (const s of on) {
    const ra = s.replicates.estimators[a].tau, rb = s.replicates.estimators[b].tau;
    const d = Float64Array.from({ length: B }, (_, i) => ra[i] - rb[i]);
    const point = (s.result.estimators[a].weighted_kendall_tau.value ?? NaN) - (s.result.estimators[b].weighted_kendall_tau.value ?? NaN);
    const iv = interval(point, d, level);
    per[s.result.target] = iv;
    sum += point;
    for (let i = 0; i < B; i++) avgReps[i] += d[i] / on.length;
    if (point > 0) wins++;
    if (iv.ci && iv.ci[0] > 0) clear++;
  }
  return { a, b, per_target: per, average: interval(sum / on.length, avgReps, level), wins, clear_wins: clear, targets: on.length };
}
