// Events a long operation emits (architecture §3): progress {stage, done, total}, warnings, results.
import type { TeWarning } from './errors.ts';

export type PipelineEvent =
  | { type: 'progress'; stage: string; done: number; total: number; model?: string }
  | { type: 'warning'; warning: TeWarning }
  | { type: 'case-done'; model: string; caseId: string }
  | { type: 'model-scored'; model: string };

/** The part of AbortSignal the core reads (core compiles without DOM types). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface RunOptions {
  signal?: AbortSignalLike;
  onEvent?: (e: PipelineEvent) => void;
}
