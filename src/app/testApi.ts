// A small test API on window.__transferlens (architecture §10: e2e asserts numbers, not pixels): runs studies,
// reads volumes and runs models in the analysis worker, fine-tunes in the lab's worker, with bytes passed as base64. No UI.
import type { PipelineEvent } from '../core/events.ts';
import type { InputFile, Tensor } from '../core/ports.ts';
import type { StudyModel, StudySpec, StudyTarget } from '../core/pipeline/runStudy.ts';
import type { ModelManifest } from '../core/types.ts';
import { AnalysisClient, fromWorkerError } from '../workers/analysisClient.ts';
import type { ProviderChoice, WorkerRunOptions } from '../workers/analysis.worker-api.ts';
import type { FinetuneEvent, FinetuneJobOptions } from '../workers/finetune.worker-api.ts';
import * as Comlink from 'comlink';

export interface FileB64 { name: string; base64: string }
export type TestStudySpec = Omit<StudySpec, 'target' | 'models'> & {
  target: Omit<StudyTarget, 'image' | 'label'> & { image: FileB64[]; label: FileB64[] };
  models: { manifest: ModelManifest; file: FileB64 }[];
};

function bytesOf(f: FileB64): InputFile {
  const bin = atob(f.base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return { name: f.name, bytes };
}

function toSpec(s: TestStudySpec): StudySpec {
  const models: StudyModel[] = s.models.map((m) => ({ manifest: m.manifest, file: bytesOf(m.file) }));
  return { ...s, target: { ...s.target, image: s.target.image.map(bytesOf), label: s.target.label.map(bytesOf) }, models };
}

const labWorker = async () => (await import('./features/lab/labWorker.ts')).finetuneWorker();

const errorJson = (err: unknown) => ({ ok: false as const, error: { code: (err as { code?: string }).code ?? 'internal', message: err instanceof Error ? err.message : String(err) } });

function createTestApi(client = new AnalysisClient()) {
  return {
    probe: () => client.api.probe(),
    /** Spawns the worker and waits for ORT's wasm compile; seconds (null on failure). */
    warmUp: () => client.warmUp(),
    /** Runs a study; returns the report, timings and a count of the events the page received. */
    async runStudy(spec: TestStudySpec, opts: WorkerRunOptions = {}) {
      const events: Record<string, number> = {};
      const onEvent = (e: PipelineEvent) => { events[e.type] = (events[e.type] ?? 0) + 1; };
      const t0 = performance.now();
      try {
        const r = await client.runStudy(toSpec(spec), onEvent, opts);
        return { ok: true as const, report: r.report, workerSeconds: r.seconds, pageSeconds: (performance.now() - t0) / 1000, parity: r.parity, events };
      } catch (err) {
        return { ...errorJson(err), events };
      }
    },
    /** Starts a study and cancels it after `afterMs`; returns how it ended. */
    async cancelStudy(spec: TestStudySpec, afterMs: number, graceMs = 3000, opts: WorkerRunOptions = {}) {
      const run = client.runStudy(toSpec(spec), undefined, opts).then(() => 'finished', (e: { code?: string }) => e.code ?? 'error');
      await new Promise((r) => setTimeout(r, afterMs));
      const how = await client.cancel(graceMs);
      return { how, outcome: await run };
    },
    /** Reads a volume in the worker; returns its geometry and a voxel checksum. */
    async readVolume(files: FileB64[]) {
      const r = await client.api.readVolume(files.map(bytesOf));
      if (!r.ok) return { ok: false as const, error: r.error };
      const { data, ...geometry } = r.volume;
      let sum = 0;
      for (let i = 0; i < data.length; i++) sum += Number(data[i]);
      return { ok: true as const, ...geometry, dataType: data.constructor.name, length: data.length, sum, first: Array.from(data.subarray(0, 8), Number) };
    },
    /** Runs one model once; outputs come back as plain arrays. */
    async runModel(model: FileB64, feeds: Record<string, { dims: number[]; data: number[] }>, providers: ProviderChoice = 'auto') {
      const tensors: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(feeds)) tensors[k] = { dims: t.dims, data: Float32Array.from(t.data) };
      const r = await client.api.runModel(bytesOf(model), tensors, providers);
      if (!r.ok) return { ok: false as const, error: r.error };
      const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, t]) => [k, { dims: t.dims, data: Array.from(t.data) }]));
      return { ok: true as const, provider: r.provider, providerNote: r.providerNote, seconds: r.seconds, outputs };
    },
    async parity(manifest: ModelManifest, file: FileB64) {
      const r = await client.api.parity({ manifest, file: bytesOf(file) });
      return r.ok ? r : { ok: false as const, error: fromWorkerError(r.error).message };
    },
    /** The lab's fine-tuning worker (the same instance the lab uses; loaded on first use). */
    finetune: {
      /** Before the engine starts: 'webgpu' also self-tests a software adapter (SwiftShader), 'wasm' skips WebGPU. */
      prefer: async (p: 'auto' | 'wasm' | 'webgpu') => (await labWorker()).preferBackend(p),
      backendInfo: async () => (await labWorker()).backendInfo(),
      /**
       * Fine-tunes a model on given slices; losses, Dice, provenance, each step's seconds since the start, and (as the
       * lab asks) the risk maps' summary and the fine-tuned ONNX (base64).
       */
      async run(job: { onnx: FileB64; logitsName: string; data: { images: number[]; labels: number[]; n: number; h: number; w: number }; train: number[]; test: number[]; options: FinetuneJobOptions; riskMaps?: boolean; exportOnnx?: boolean }) {
        const w = await labWorker(), seconds: number[] = [];
        const onEvent = (e: FinetuneEvent) => { if (e.type === 'step') seconds.push(e.seconds); };
        const r = await w.finetune({
          onnx: bytesOf(job.onnx).bytes, manifest: { logits_name: job.logitsName }, train: job.train, test: job.test, options: job.options, riskMaps: job.riskMaps, exportOnnx: job.exportOnnx,
          data: { ...job.data, images: Float32Array.from(job.data.images), labels: Int32Array.from(job.data.labels) },
        }, Comlink.proxy(onEvent));
        if (!r.ok) return { ok: false as const, error: r.error };
        let onnx = '';
        if (r.onnx) for (let i = 0; i < r.onnx.length; i += 0x8000) onnx += String.fromCharCode(...r.onnx.subarray(i, i + 0x8000));
        return { ok: true as const, loss: r.result.curves.loss, dice: r.result.dice.test, provenance: r.result.provenance, seconds, risk: r.result.risk ?? null, onnxBase64: onnx ? btoa(onnx) : null };
      },
    },
  };
}

export type TransferLensTestApi = ReturnType<typeof createTestApi>;

declare global {
  interface Window { __transferlens?: TransferLensTestApi }
}

window.__transferlens = createTestApi();
