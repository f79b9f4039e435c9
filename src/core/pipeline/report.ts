// The versioned report schema (docs/report-schema.md): what runStudy returns, the CLI writes and the app opens.
// Minimum automation relies on: report.studies[] = { target, models: [{ id, scores: { <key>: { value, ci } } }] }.
import type { TeWarning } from '../errors.ts';
import type { CaseUnit, SamplingMode } from '../types.ts';
import type { Recommendation } from './recommend.ts';
import type { ModelDiagnostics } from '../diagnostics/collapse.ts';

export const REPORT_SCHEMA = 'transferlens-report';
export const REPORT_VERSION = 1;

/** A score with its bootstrap 95 % interval over cases (null where undefined: NaN is not JSON). */
export interface ScoreEntry {
  value: number | null;
  ci: [number, number] | null;
  /** 1 = best (highest) among the study's models; null when the value is undefined. */
  rank: number | null;
}

export interface ModelReport {
  id: string;
  name: string;
  sha256: string | null;
  provider: string;
  scores: Record<string, ScoreEntry>;
  /** Per-layer CC-FV values per variant, in `layers` order. */
  ccfv_layers: Record<string, (number | null)[]>;
  layers: { name: string; stride: number; channels: number }[];
  sample_counts: { layer: string; per_class: number[] }[];
  /** Capped sample of finest-layer features for embeddings: ≤ embeddingPoints rows. */
  embedding: { layer: string; features: number[][]; labels: number[]; cases: number[] };
  seconds: number;
  /** Collapse diagnostics per layer + source head Dice + the `collapsed` flag and its reasons (src/core/diagnostics). */
  diagnostics?: ModelDiagnostics;
  /** Case-bootstrap replicates per score key (resample b = same case resample for every model; see scoreModel). */
  replicates?: Record<string, (number | null)[]>;
  /**
   * Browser runs with both providers: one fixed window through WebGPU and WASM (max |Δ| per output, argmax
   * agreement), or the error that stopped the check. Absent in the CLI (one provider).
   */
  parity?: Record<string, unknown>;
  /** 3-D models: tiles run (sample first) vs the windows of a full pass at overlap 0.5. */
  windows?: { run: number; full_pass_overlap_0_5: number };
}

export interface CorrelationEntry {
  weighted_kendall_tau: ScoreEntry;
  pearson: ScoreEntry;
}

export interface StudyReport {
  target: string;
  target_name: string;
  spec: {
    seed: number;
    case_unit: CaseUnit;
    axis: number;
    slab_size?: number;
    sampling: SamplingMode;
    caps: Record<string, Record<string, number>>;
    bootstrap_resamples: number;
    estimators: string[];
  };
  classes: string[];
  cases: { id: string; slices: number[] }[];
  models: ModelReport[];
  /** Fine-tuned Dice per model when supplied, and each estimator's agreement with it. */
  dice?: Record<string, { mean: number; sd?: number; dice?: number[] }>;
  correlation?: Record<string, CorrelationEntry>;
  warnings: TeWarning[];
  /** Top model under the default estimator, its statistical ties, collapse flags and a trust sentence (issue 7 §5). */
  recommendation?: Recommendation;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  version: typeof REPORT_VERSION;
  created: string;
  tool: { name: 'transferlens'; version: string; runtime: string };
  studies: StudyReport[];
}

export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
