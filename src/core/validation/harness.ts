// The validation harness (issue 7 item 1): every estimator's weighted Kendall τ (spec §11), Pearson and top-1
// regret against fine-tuned Dice on one target, with a joint bootstrap over fine-tuning seeds and cases.
import type { TeWarning } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { percentileSorted } from '../stats/bootstrap.ts';
import { pearson } from '../stats/pearson.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';
import { noiseCeiling } from './noiseCeiling.ts';
import { randomTauQuantile, type RandomTau } from './randomTau.ts';
import { topOneRegret } from './regret.ts';

export interface ValidationModel {
  id: string;
  scores: Record<string, number | null>;
  /** Case-bootstrap replicates per score key; replicate b used the same case resample for every model. */
  replicates?: Record<string, (number | null)[]>;
}

export interface StudyValidationInput {
  target: string;
  models: ValidationModel[];
  /** Fine-tuned Dice per model id, one value per fine-tuning seed (same seed order for every model). */
  dice: Record<string, number[]>;
}

export interface Interval { value: number | null; ci: [number, number] | null }

export interface EstimatorValidation {
  n_models: number;
  weighted_kendall_tau: Interval;
  pearson: Interval;
  top1_regret: Interval;
  /** The model with the highest score (first in model order on ties). */
  recommended: string;
}

export interface StudyValidation {
  target: string;
  n_models: number;
  n_seeds: number;
  best_model: string;
  bootstrap: { resamples: number; seed: number; over: string[] };
  noise_ceiling: Interval;
  random_tau_p95: RandomTau;
  estimators: Record<string, EstimatorValidation>;
}

/** Bootstrap replicates kept (aligned by replicate index b) so targets can be averaged replicate by replicate. */
export interface StudyReplicates {
  ceiling: Float64Array;
  estimators: Record<string, { tau: Float64Array; pearson: Float64Array; regret: Float64Array }>;
}

export interface ValidateOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  /** Also resample the models (the bank) in every replicate, shared by all estimators and the ceiling (default false). */
  resampleModels?: boolean;
}

const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Point value + percentile interval of the finite replicates (NaN replicates dropped). */
export function interval(value: number, reps: ArrayLike<number>, level = 0.95): Interval {
  const ok = Float64Array.from(Array.from(reps).filter(Number.isFinite)).sort();
  const a = (1 - level) / 2;
  return { value: fin(value), ci: ok.length ? [percentileSorted(ok, a), percentileSorted(ok, 1 - a)] : null };
}

function meanOf(v: ArrayLike<number>, idx?: ArrayLike<number>): number {
  const n = idx ? idx.length : v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[idx ? idx[i] : i];
  return s / n;
}

function safe(f: () => number): number {
  try { return f(); } catch { return NaN; }
}

/** Validates one target's study; returns the table row set and the aligned replicates for averaging. */
export function validateStudy(input: StudyValidationInput, opts: ValidateOptions = {}, warn: (w: TeWarning) => void = () => {}): { result: StudyValidation; replicates: StudyReplicates } {
  const B = opts.resamples ?? 200, seed = opts.seed ?? 0, level = opts.level ?? 0.95;
  const models = input.models.filter((m) => (input.dice[m.id]?.filter(Number.isFinite).length ?? 0) > 0);
  const dropped = input.models.filter((m) => !models.includes(m)).map((m) => m.id);
  if (dropped.length) warn({ code: 'invalid-input', message: `${input.target}: no fine-tuned Dice for ${dropped.join(', ')}; left out` });
  const S = Math.min(...models.map((m) => input.dice[m.id].length));
  if (models.some((m) => input.dice[m.id].length !== S)) warn({ code: 'invalid-input', message: `${input.target}: models have different seed counts; the first ${S} seeds of each are used` });
  const dice = models.map((m) => input.dice[m.id].slice(0, S));
  const y = dice.map((d) => meanOf(d));
  // Joint resamples: replicate b draws S seeds (shared by all models: seed k is the same protocol run for each).
  const rng = createRng(seed);
  const seedDraws = Array.from({ length: B }, () => Int32Array.from({ length: S }, () => rng.int(S)));
  const yRep = seedDraws.map((s) => dice.map((d) => meanOf(d, s)));
  // Model draws from their own stream, so switching them on leaves the seed draws unchanged.
  const mrng = createRng(seed ^ 0x6d0d);
  const modelDraws = Array.from({ length: B }, () => (opts.resampleModels ? Int32Array.from(models, () => mrng.int(models.length)) : null));
  const ceilingReps = Float64Array.from(seedDraws, (s, b) => {
    if (S < 2 || models.length < 2) return NaN;
    const pick = modelDraws[b] ?? Int32Array.from(models, (_, i) => i);
    return safe(() => noiseCeiling(Array.from(pick, (i) => Array.from(s, (k) => dice[i][k])), s));
  });
  const ceiling = S >= 2 && models.length >= 2 ? noiseCeiling(dice) : NaN;
  if (S < 2) warn({ code: 'nan-result', message: `${input.target}: one fine-tuning seed only; no noise ceiling` });
  const keys = [...new Set(models.flatMap((m) => Object.keys(m.scores)))];
  const estimators: StudyValidation['estimators'] = {};
  const reps: StudyReplicates['estimators'] = {};
  let casesUsed = false;
  for (const k of keys) {
    const rows = models.map((m, i) => [m, i] as const).filter(([m]) => m.scores[k] !== null && m.scores[k] !== undefined && Number.isFinite(m.scores[k]));
    if (rows.length < 3) continue;
    const x = rows.map(([m]) => m.scores[k] as number);
    const yk = rows.map(([, i]) => y[i]);
    const withCases = rows.every(([m]) => (m.replicates?.[k]?.length ?? 0) >= B);
    casesUsed ||= withCases;
    const r = { tau: new Float64Array(B), pearson: new Float64Array(B), regret: new Float64Array(B) };
    for (let b = 0; b < B; b++) {
      const rb = modelDraws[b] ? Array.from(modelDraws[b]!, (i) => rows.find((row) => row[1] === i)).filter((row) => row !== undefined) : rows;
      const xb = rb.map(([m]) => (withCases ? m.replicates![k][b] ?? NaN : (m.scores[k] as number)));
      const yb = rb.map(([, i]) => yRep[b][i]);
      const ok = xb.every(Number.isFinite);
      r.tau[b] = ok ? safe(() => weightedKendallTau(xb, yb)) : NaN;
      r.pearson[b] = ok ? safe(() => pearson(xb, yb)) : NaN;
      r.regret[b] = ok ? topOneRegret(xb, yb) : NaN;
    }
    reps[k] = r;
    const top = x.indexOf(Math.max(...x));
    estimators[k] = {
      n_models: rows.length,
      weighted_kendall_tau: interval(safe(() => weightedKendallTau(x, yk)), r.tau, level),
      pearson: interval(safe(() => pearson(x, yk)), r.pearson, level),
      top1_regret: interval(topOneRegret(x, yk), r.regret, level),
      recommended: rows[top][0].id,
    };
  }
  const result: StudyValidation = {
    target: input.target,
    n_models: models.length,
    n_seeds: S,
    best_model: models[y.indexOf(Math.max(...y))]?.id ?? '',
    bootstrap: { resamples: B, seed, over: [...(opts.resampleModels ? ['models'] : []), 'seeds', ...(casesUsed ? ['cases'] : [])] },
    noise_ceiling: interval(ceiling, ceilingReps, level),
    random_tau_p95: models.length >= 2 ? randomTauQuantile(y, { seed }) : { value: NaN, q: 0.95, exact: true, count: 0 },
    estimators,
  };
  return { result, replicates: { ceiling: ceilingReps, estimators: reps } };
}
