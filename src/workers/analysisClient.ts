// Page-side client of the analysis worker (architecture §3): one long-lived module worker, runStudy with progress
// events, cooperative cancel, and terminate-and-respawn as the hard fallback when a window does not yield.
import * as Comlink from 'comlink';
import { TeError } from '../core/errors.ts';
import type { PipelineEvent } from '../core/events.ts';
import type { StudySpec } from '../core/pipeline/runStudy.ts';
import type { AnalysisWorkerApi } from './analysis.worker.ts';
import type { WorkerError, WorkerRunOptions, WorkerRunResult } from './analysis.worker-api.ts';
import { transferablesOf } from './transferables.ts';

export type StudyOutcome = Extract<WorkerRunResult, { ok: true }>;

export function fromWorkerError(e: WorkerError): TeError {
  return new TeError(e.code === 'internal' ? 'invalid-input' : e.code, e.message, { ...e.detail, workerCode: e.code });
}

export class AnalysisClient {
  private worker: Worker | null = null;
  private remote: Comlink.Remote<AnalysisWorkerApi> | null = null;
  private abortRun: ((err: TeError) => void) | null = null;
  private warm: Promise<{ ok: boolean; seconds?: number }> | null = null;

  /** Spawns the worker if needed and waits for ORT's wasm to be compiled; the seconds that took (null on failure). */
  async warmUp(): Promise<number | null> {
    void this.api;
    const r = await this.warm!;
    return r.ok ? r.seconds ?? null : null;
  }

  /** The worker's remote API, spawning the worker on first use (and again after a hard cancel). */
  get api(): Comlink.Remote<AnalysisWorkerApi> {
    if (!this.remote) {
      this.worker = new Worker(new URL('./analysis.worker.ts', import.meta.url), { type: 'module', name: 'transferlens-analysis' });
      this.remote = Comlink.wrap<AnalysisWorkerApi>(this.worker);
      // Start compiling ORT's wasm while the page is still busy elsewhere (its result is read by warmUp()).
      this.warm = this.remote.warmUp().catch(() => ({ ok: false }));
    }
    return this.remote;
  }

  /**
   * Runs a study in the worker. The spec's file bytes are TRANSFERRED: they are detached in the page after
   * this call. Rejects with a TeError (code kept from the worker, 'cancelled' after cancel()).
   */
  async runStudy(spec: StudySpec, onEvent?: (e: PipelineEvent) => void, opts: WorkerRunOptions = {}): Promise<StudyOutcome> {
    if (this.abortRun) throw new TeError('invalid-input', 'a study is already running');
    const api = this.api;
    const call = api.runStudy(Comlink.transfer(spec, transferablesOf(spec)), onEvent ? Comlink.proxy(onEvent) : undefined, opts);
    const hardStop = new Promise<never>((_, reject) => { this.abortRun = reject; });
    try {
      const result = await Promise.race([call, hardStop]);
      if (!result.ok) throw fromWorkerError(result.error);
      return result;
    } finally {
      this.abortRun = null;
    }
  }

  /**
   * Cooperative cancel: the worker stops at its next window and runStudy rejects with 'cancelled'. If it has
   * not stopped after `graceMs`, the worker is terminated (a fresh one is spawned on next use).
   */
  async cancel(graceMs = 3000): Promise<'cooperative' | 'terminated' | 'idle'> {
    if (!this.abortRun || !this.remote) return 'idle';
    const abort = this.abortRun;
    const stopped = new Promise<'cooperative'>((resolve) => {
      const poll = setInterval(() => { if (this.abortRun !== abort) { clearInterval(poll); resolve('cooperative'); } }, 20);
      setTimeout(() => clearInterval(poll), graceMs + 50);
    });
    void this.remote.cancel();
    const timeout = new Promise<'terminated'>((resolve) => setTimeout(() => resolve('terminated'), graceMs));
    const how = await Promise.race([stopped, timeout]);
    if (how === 'terminated' && this.abortRun === abort) {
      this.terminate();
      abort(new TeError('cancelled', 'the study was stopped: the worker did not yield and was restarted'));
    }
    return how;
  }

  /** Ends the worker now; the next call spawns a fresh one (ORT and itk are loaded again). */
  terminate(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.worker = null;
    this.remote = null;
    this.warm = null;
  }
}
