// The workbench's validation table (issue 7): one study against its fine-tuned Dice through the CLI's own path
// (validateReport, as `transferlens validate --report R --dice D`), laid out for one target: the default estimator
// first, then every other key by τ; the noise ceiling, chance level, default's regret and a one-sentence reading.
import type { TeWarning } from '../errors.ts';
import type { DiceTable } from '../pipeline/correlate.ts';
import { recommend } from '../pipeline/recommend.ts';
import { REPORT_SCHEMA, REPORT_VERSION, type Report, type StudyReport } from '../pipeline/report.ts';
import { validateReport } from './fromReport.ts';
import type { EstimatorValidation, Interval, StudyValidation, ValidateOptions } from './harness.ts';

export interface ValidationRow extends EstimatorValidation { key: string; is_default: boolean }

export interface StudyValidationTable {
  target: string;
  /** The product's default estimator for this study (the recommendation's). */
  default_estimator: string;
  /** Default estimator first (when validated), then every other key by τ, highest first (undefined τ last). */
  rows: ValidationRow[];
  n_models: number;
  n_seeds: number;
  /** False with one fine-tuning seed per model: no noise ceiling, no seed resampling. */
  seeds_available: boolean;
  /** What the intervals resample (subset of 'models', 'seeds', 'cases'); empty: no interval is meaningful. */
  resampled: string[];
  resamples: number;
  noise_ceiling: Interval;
  random_tau_p95: { value: number | null; exact: boolean; count: number };
  default_regret: Interval | null;
  best_model: string;
  reading: string;
  warnings: string[];
  /** The harness's result as the CLI's JSON has it for this target (studies[0]). */
  validation: StudyValidation;
}

const f2 = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(2));
const withCi = (x: Interval): string => `${f2(x.value)}${x.ci ? ` (95 % interval ${f2(x.ci[0])} to ${f2(x.ci[1])})` : ''}`;

function reading(t: Omit<StudyValidationTable, 'reading'>): string {
  const d = t.rows.find((r) => r.is_default);
  const parts: string[] = [];
  parts.push(d ? `The default estimator (${d.key}) ranks these ${d.n_models} models with weighted τ = ${withCi(d.weighted_kendall_tau)} against fine-tuned Dice` : `The default estimator (${t.default_estimator}) could not be validated on these models`);
  if (t.seeds_available && t.noise_ceiling.value !== null) parts.push(`; the Dice seeds agree with each other only up to τ = ${withCi(t.noise_ceiling)}`);
  else parts.push('; with one fine-tuning seed per model the ground truth\'s own noise (its ceiling) is unknown');
  if (t.random_tau_p95.value !== null) parts.push(`, and a random ranking reaches τ = ${f2(t.random_tau_p95.value)} one time in 20`);
  return parts.join('') + '.';
}

/**
 * Validates one study against its Dice table exactly as `transferlens validate` does for that target (same
 * validateReport, options and defaults: 200 resamples, seed 0) and lays the result out as the workbench's table.
 * Returns null when no estimator could be validated (fewer than 3 models with Dice).
 */
export function studyValidationTable(study: StudyReport, dice: DiceTable, opts: ValidateOptions = {}): StudyValidationTable | null {
  const warnings: string[] = [];
  const warn = (w: TeWarning) => warnings.push(w.message);
  const report: Report = { schema: REPORT_SCHEMA, version: REPORT_VERSION, created: '', tool: { name: 'transferlens', version: '', runtime: '' }, studies: [study] };
  const o = { ...opts, resamples: opts.resamples ?? 200, seed: opts.seed ?? 0 };
  const v = validateReport(report, { byTarget: { [study.target]: dice } }, o, warn).studies[0];
  if (!v || Object.keys(v.estimators).length === 0) return null;
  const def = study.recommendation?.estimator ?? recommend(study).estimator;
  const tau = (k: string) => v.estimators[k].weighted_kendall_tau.value ?? -Infinity;
  const others = Object.keys(v.estimators).filter((k) => k !== def).sort((a, b) => tau(b) - tau(a));
  const keys = v.estimators[def] ? [def, ...others] : others;
  const seeds = v.n_seeds >= 2;
  const resampled = v.bootstrap.over.filter((x) => x !== 'seeds' || seeds);
  const table: Omit<StudyValidationTable, 'reading'> = {
    target: v.target,
    default_estimator: def,
    rows: keys.map((k) => ({ key: k, is_default: k === def, ...v.estimators[k] })),
    n_models: v.n_models,
    n_seeds: v.n_seeds,
    seeds_available: seeds,
    resampled,
    resamples: v.bootstrap.resamples,
    noise_ceiling: v.noise_ceiling,
    random_tau_p95: { value: Number.isFinite(v.random_tau_p95.value) ? v.random_tau_p95.value : null, exact: v.random_tau_p95.exact, count: v.random_tau_p95.count },
    default_regret: v.estimators[def]?.top1_regret ?? null,
    best_model: v.best_model,
    warnings,
    validation: v,
  };
  return { ...table, reading: reading(table) };
}
