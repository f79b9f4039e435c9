// Run slice: the study options (the CLI's option names and defaults, src/cli/rankCommand.ts), the run's status,
// progress and ETA, the active execution provider, and the report of the last run (scores, not file bytes).
import type { StateCreator } from 'zustand';
import type { StudyReport } from '../../core/pipeline/report.ts';
import type { CaseUnit, SamplingMode } from '../../core/types.ts';

export type ProviderOption = 'auto' | 'wasm' | 'webgpu';

/** Same names and defaults as `transferlens rank` (--seed 0 --case-unit slice --sampling official --resamples 200 …). */
export interface RunOptionsState {
  seed: number;
  caseUnit: CaseUnit;
  slabSize: number;
  sampling: SamplingMode;
  resamples: number;
  embeddingPoints: number;
  /** Estimator keys to compute; empty = all (the CLI's default). */
  estimators: string[];
  /** Sliding-window roi for 3-D models (MONAI roiSize, D,H,W); empty = the core default 64³. */
  roiSize: number[];
  providers: ProviderOption;
}

export const DEFAULT_RUN_OPTIONS: RunOptionsState = {
  seed: 0, caseUnit: 'slice', slabSize: 4, sampling: 'official', resamples: 200, embeddingPoints: 2000,
  estimators: [], roiSize: [], providers: 'auto',
};

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface RunProgress {
  stage: string;
  model?: string;
  modelIndex: number;
  modelCount: number;
  /** Overall fraction 0..1. */
  fraction: number;
  /** Stage-level done/total of the current model. */
  done: number;
  total: number;
  etaSeconds: number | null;
}

export interface RunSlice {
  runOptions: RunOptionsState;
  runStatus: RunStatus;
  progress: RunProgress | null;
  runError: string | null;
  provider: string | null;
  /** The study of the last run: complete when done, the finished models only when cancelled. */
  report: StudyReport | null;
  runSeconds: number | null;
  /** Milliseconds from the cancel request to the run's end (null unless cancelled). */
  cancelMs: number | null;
  setRunOptions: (o: Partial<RunOptionsState>) => void;
  setRunState: (s: Partial<Pick<RunSlice, 'runStatus' | 'progress' | 'runError' | 'provider' | 'report' | 'runSeconds' | 'cancelMs'>>) => void;
}

export const createRunSlice: StateCreator<RunSlice, [], [], RunSlice> = (set) => ({
  runOptions: DEFAULT_RUN_OPTIONS,
  runStatus: 'idle',
  progress: null,
  runError: null,
  provider: null,
  report: null,
  runSeconds: null,
  cancelMs: null,
  setRunOptions: (o) => set((s) => ({ runOptions: { ...s.runOptions, ...o } })),
  setRunState: (s) => set(s),
});
