// The analysis worker's API as a plain object (testable in Node without a Worker; browser-stack §10):
// one study at a time through core runStudy, throttled progress, cooperative cancel, typed errors as data.
import { TeError, type TeErrorCode } from '../core/errors.ts';
import type { PipelineEvent } from '../core/events.ts';
import type { Ports } from '../core/ports.ts';
import { runStudy, type StudyModel, type StudySpec } from '../core/pipeline/runStudy.ts';
import type { StudyReport } from '../core/pipeline/report.ts';
import type { ProviderChoice } from '../adapters/ortWebSession.ts';

export type { ProviderChoice };

export interface WorkerRunOptions {
  /** ORT execution provider (default 'auto': WebGPU when an adapter exists, else WASM). */
  providers?: ProviderChoice;
  /** Also run each model's WebGPU-vs-WASM parity check when an adapter exists. */
  parity?: boolean;
  /** Minimum milliseconds between forwarded progress events (default 100, i.e. ~10/s). */
  throttleMs?: number;
}

/** Errors cross the worker boundary as data, so the page gets the TeError code back. */
export interface WorkerError { code: TeErrorCode | 'internal'; message: string; detail?: Record<string, unknown> }

export type WorkerRunResult =
  | { ok: true; report: StudyReport; seconds: number; parity?: Record<string, unknown> }
  | { ok: false; error: WorkerError };

export interface AnalysisDeps {
  makePorts(opts: { providers: ProviderChoice }): Ports;
  now(): number;
  /** Parity check of one model (null when there is no WebGPU adapter). */
  parity?(model: StudyModel): Promise<unknown>;
}

type EventSink = (e: PipelineEvent) => unknown;

/** Forwards events, holding back progress/case-done so at most one goes out per `intervalMs`. */
export function throttleEvents(sink: EventSink | undefined, intervalMs: number, now: () => number) {
  let last = -Infinity;
  let pending: PipelineEvent | null = null;
  const send = (e: PipelineEvent) => {
    if (!sink) return;
    const r = sink(e) as Promise<unknown> | undefined;
    if (r && typeof r.catch === 'function') r.catch(() => undefined); // the page may be gone; never fail the study
  };
  const flush = () => {
    if (pending) send(pending);
    pending = null;
  };
  const emit = (e: PipelineEvent) => {
    if (e.type !== 'progress' && e.type !== 'case-done') {
      flush();
      send(e);
      return;
    }
    const t = now();
    if (t - last >= intervalMs) {
      pending = null;
      last = t;
      send(e);
    } else pending = e;
  };
  return { emit, flush };
}

export function toWorkerError(err: unknown): WorkerError {
  if (err instanceof TeError) return { code: err.code, message: err.message, detail: err.detail };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

export function createAnalysisApi(deps: AnalysisDeps) {
  let controller: AbortController | null = null;
  return {
    /** Runs one study. The spec's file bytes may arrive transferred (the page's copies are then detached). */
    async runStudy(spec: StudySpec, onEvent?: EventSink, opts: WorkerRunOptions = {}): Promise<WorkerRunResult> {
      if (controller) return { ok: false, error: { code: 'invalid-input', message: 'a study is already running in this worker' } };
      const mine = new AbortController();
      controller = mine;
      const events = throttleEvents(onEvent, opts.throttleMs ?? 100, deps.now);
      const t0 = deps.now();
      try {
        const ports = deps.makePorts({ providers: opts.providers ?? 'auto' });
        const report = await runStudy(spec, ports, { signal: mine.signal, onEvent: events.emit });
        const seconds = (deps.now() - t0) / 1000;
        const parity = opts.parity && deps.parity ? await parityAll(spec.models, deps.parity) : undefined;
        // The parity check is stored in the report, next to the model it concerns (issue 4 §3).
        if (parity) for (const m of report.models) if (parity[m.id]) m.parity = parity[m.id] as Record<string, unknown>;
        return { ok: true, report, seconds, ...(parity ? { parity } : {}) };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      } finally {
        events.flush();
        controller = null;
      }
    },
    /** Asks the running study to stop at its next window; it then resolves with code 'cancelled'. */
    cancel(): boolean {
      if (!controller) return false;
      controller.abort();
      return true;
    },
    isRunning(): boolean {
      return controller !== null;
    },
  };
}

async function parityAll(models: StudyModel[], check: (m: StudyModel) => Promise<unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const m of models) {
    try {
      out[m.manifest.id] = await check(m);
    } catch (err) {
      out[m.manifest.id] = { error: toWorkerError(err).message }; // a parity failure never loses the study
    }
  }
  return out;
}

export type AnalysisApi = ReturnType<typeof createAnalysisApi>;
