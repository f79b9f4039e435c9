// The long-lived analysis worker (issue 4 §3): a shell that exposes the worker API through Comlink with the
// browser ports, transfers result buffers, and answers an environment probe (provider, threads, isolation).
import * as Comlink from 'comlink';
import { browserPorts, readVolumeBrowser } from '../adapters/browserPorts.ts';
import { checkParity } from '../adapters/ortWebParity.ts';
import { configureOrtEnv, createOrtWebSession, hasWebGpuAdapter, type ProviderChoice } from '../adapters/ortWebSession.ts';
import { setItkPipelinesBase } from '../adapters/itkBrowserReader.ts';
import { warmUpOrt } from '../adapters/ortWebWarmUp.ts';
import type { InputFile, Tensor } from '../core/ports.ts';
import type { StudyModel, StudySpec } from '../core/pipeline/runStudy.ts';
import type { PipelineEvent } from '../core/events.ts';
import { createAnalysisApi, toWorkerError, type WorkerRunOptions } from './analysis.worker-api.ts';
import { transferablesOf } from './transferables.ts';

const appBase = new URL(import.meta.env.BASE_URL, self.location.href).href;
setItkPipelinesBase(appBase);

const api = createAnalysisApi({
  makePorts: ({ providers }) => browserPorts({ appBase, providers }),
  now: () => performance.now(),
  parity: (m: StudyModel) => checkParity(m.file, { inputName: m.manifest.input_name, logitsName: m.manifest.logits_name, inputDims: parityDims(m) }),
});

function parityDims(m: StudyModel): number[] {
  const side = Math.ceil(32 / m.manifest.input_multiple) * m.manifest.input_multiple;
  return m.manifest.dim === 3 ? [1, m.manifest.in_channels, side, side, side] : [1, m.manifest.in_channels, side, side];
}

const exposed = {
  async runStudy(spec: StudySpec, onEvent?: (e: PipelineEvent) => unknown, opts?: WorkerRunOptions) {
    const result = await api.runStudy(spec, onEvent, opts);
    return Comlink.transfer(result, transferablesOf(result));
  },
  cancel: () => api.cancel(),
  /** Compiles ORT's wasm now (the client calls this right after spawning), so the first study starts sooner. */
  async warmUp() {
    try {
      return { ok: true as const, seconds: await warmUpOrt() };
    } catch (err) {
      return { ok: false as const, error: toWorkerError(err) };
    }
  },
  isRunning: () => api.isRunning(),
  /** What this worker can run on: isolation, ORT threads, whether a WebGPU adapter exists. */
  async probe() {
    const { threads, crossOriginIsolated } = configureOrtEnv();
    return { crossOriginIsolated, threads, webgpuAdapter: await hasWebGpuAdapter() };
  },
  /** Reads one volume (NIfTI, NRRD, MHA, DICOM file or series): geometry plus the voxels, transferred. */
  async readVolume(files: InputFile[]) {
    try {
      const v = await readVolumeBrowser(files);
      return Comlink.transfer({ ok: true as const, volume: v }, [v.data.buffer as ArrayBuffer]);
    } catch (err) {
      return { ok: false as const, error: toWorkerError(err) };
    }
  },
  /** Runs one model once on one input; says which provider ran and how long it took. */
  async runModel(model: InputFile, feeds: Record<string, Tensor>, providers: ProviderChoice = 'auto') {
    try {
      const t0 = performance.now();
      const session = await createOrtWebSession(model, { providers });
      const t1 = performance.now();
      try {
        const outputs = await session.run(feeds);
        const seconds = { create: (t1 - t0) / 1000, run: (performance.now() - t1) / 1000 };
        const result = { ok: true as const, provider: session.provider, providerNote: session.providerNote, outputs, seconds };
        return Comlink.transfer(result, transferablesOf(result));
      } finally {
        await session.release();
      }
    } catch (err) {
      return { ok: false as const, error: toWorkerError(err) };
    }
  },
  async parity(m: StudyModel) {
    try {
      return { ok: true as const, parity: await checkParity(m.file, { inputName: m.manifest.input_name, logitsName: m.manifest.logits_name, inputDims: parityDims(m) }) };
    } catch (err) {
      return { ok: false as const, error: toWorkerError(err) };
    }
  },
};

export type AnalysisWorkerApi = typeof exposed;

// `self` passed explicitly (browser-stack §10); the project compiles with DOM, not WebWorker, types.
Comlink.expose(exposed, self as unknown as Comlink.Endpoint);
