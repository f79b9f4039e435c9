// Model sessions for the browser worker through onnxruntime-web (issue 4 §3; browser-stack §1–2): EPs chosen
// after asking for a WebGPU adapter, threads only when cross-origin isolated, wasm served by Vite from our origin.
import * as ort from 'onnxruntime-web';
import { TeError } from '../core/errors.ts';
import type { InputFile, ModelSession, Tensor } from '../core/ports.ts';
import { appendGraphOutputs } from '../core/model/appendOutputs.ts';

/** 'auto': WebGPU when an adapter exists, else WASM. The others force one provider (tests, parity). */
export type ProviderChoice = 'auto' | 'wasm' | 'webgpu';

interface GpuLike { requestAdapter(): Promise<unknown> }

let adapterProbe: Promise<boolean> | null = null;

/** True when `navigator.gpu.requestAdapter()` gives an adapter (asked once per worker). */
export function hasWebGpuAdapter(): Promise<boolean> {
  adapterProbe ??= (async () => {
    const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
    if (!gpu) return false;
    try {
      return (await gpu.requestAdapter()) != null;
    } catch {
      return false;
    }
  })();
  return adapterProbe;
}

/** The EP list for a choice: ['webgpu','wasm'] when an adapter exists (auto), else ['wasm']. */
export async function executionProviders(choice: ProviderChoice = 'auto'): Promise<Array<'webgpu' | 'wasm'>> {
  if (choice === 'wasm') return ['wasm'];
  const adapter = await hasWebGpuAdapter();
  if (choice === 'webgpu') {
    if (!adapter) throw new TeError('unsupported', 'WebGPU was requested but this browser gives no WebGPU adapter');
    return ['webgpu'];
  }
  return adapter ? ['webgpu', 'wasm'] : ['wasm'];
}

let configured = false;

/** Threads = min(4, cores/2) only when cross-origin isolated (else ORT would warn and run one thread). */
export function configureOrtEnv(): { threads: number; crossOriginIsolated: boolean } {
  const isolated = globalThis.crossOriginIsolated === true;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  const threads = isolated ? Math.max(1, Math.min(4, Math.floor(cores / 2))) : 1;
  if (!configured) {
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    configured = true;
  }
  return { threads: Number(ort.env.wasm.numThreads), crossOriginIsolated: isolated };
}

/** A ModelSession over onnxruntime-web; `provider` names the EP that runs it ("webgpu" or "wasm"). */
export async function createOrtWebSession(model: InputFile, opts: { extraOutputs?: string[]; providers?: ProviderChoice } = {}): Promise<ModelSession> {
  configureOrtEnv();
  const bytes = opts.extraOutputs?.length ? appendGraphOutputs(model.bytes, opts.extraOutputs) : model.bytes;
  const eps = await executionProviders(opts.providers);
  let session: ort.InferenceSession;
  let provider = eps[0];
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: eps, graphOptimizationLevel: 'all' });
  } catch (err) {
    if (eps[0] !== 'webgpu' || eps.length === 1) throw unloadable(model.name, err);
    // An adapter exists but the WebGPU EP could not take the model: run it on WASM and say so.
    provider = 'wasm';
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    } catch (err2) {
      throw unloadable(model.name, err2);
    }
  }
  return wrapSession(session, provider);
}

function wrapSession(session: ort.InferenceSession, provider: string): ModelSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    provider,
    async run(feeds: Record<string, Tensor>, outputNames?: string[]) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims);
      const result = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
      const out: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(result)) {
        if (t.type !== 'float32') throw new TeError('unsupported', `output ${k} is ${t.type}; TransferLens reads float32 outputs`);
        out[k] = { dims: t.dims.map(Number), data: (await t.getData()) as Float32Array };
      }
      return out;
    },
    release: () => session.release(),
  };
}

function unloadable(name: string, err: unknown): TeError {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
  return new TeError('unsupported', `${name}: onnxruntime-web cannot load this model (${msg})`, { file: name });
}
