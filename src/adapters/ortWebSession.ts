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

/** A ModelSession over ORT-web; `providerNote` says why WebGPU was given up for WASM, when it was. */
export interface OrtWebModelSession extends ModelSession {
  readonly providerNote?: string;
}

/**
 * A ModelSession over onnxruntime-web; `provider` names the EP that ran it ("webgpu" or "wasm"). With 'auto',
 * a model the WebGPU EP cannot create or cannot run on its FIRST run is run on WASM instead (never mixed).
 */
export async function createOrtWebSession(model: InputFile, opts: { extraOutputs?: string[]; providers?: ProviderChoice } = {}): Promise<OrtWebModelSession> {
  configureOrtEnv();
  const bytes = opts.extraOutputs?.length ? appendGraphOutputs(model.bytes, opts.extraOutputs) : model.bytes;
  const eps = await executionProviders(opts.providers);
  const create = (list: Array<'webgpu' | 'wasm'>) => serialized(async () => {
    try {
      return await ort.InferenceSession.create(bytes, { executionProviders: list, graphOptimizationLevel: 'all' });
    } catch (err) {
      throw unloadable(model.name, err);
    }
  });
  // The list ['webgpu','wasm'] is walked here, not by ORT: ORT drops a failing WebGPU backend silently, and then
  // nobody could say which provider ran. ORT still places nodes WebGPU lacks on its CPU kernels.
  const canFallBack = eps[0] === 'webgpu' && eps.length > 1;
  try {
    return wrapSession(await create([eps[0]]), eps[0], canFallBack ? () => create(['wasm']) : undefined);
  } catch (err) {
    if (!canFallBack) throw err;
    const session = wrapSession(await create(['wasm']), 'wasm');
    return { ...session, providerNote: `WebGPU could not load the model (${firstLine(err)}); it ran on WASM` };
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** One session creation at a time: ORT-web refuses concurrent backend initialisation ("multiple calls to initWasm"). */
function serialized<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => undefined);
  return next;
}

async function runOnce(session: ort.InferenceSession, feeds: Record<string, Tensor>, outputNames?: string[]): Promise<Record<string, Tensor>> {
  const ortFeeds: Record<string, ort.Tensor> = {};
  for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims);
  const result = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
  const out: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(result)) {
    if (t.type !== 'float32') throw new TeError('unsupported', `output ${k} is ${t.type}; TransferLens reads float32 outputs`);
    out[k] = { dims: t.dims.map(Number), data: (await t.getData()) as Float32Array };
  }
  return out;
}

/** Exported for tests: wraps a session; `fallback` makes the WASM session used if the first run fails. */
export function wrapSession(first: ort.InferenceSession, firstProvider: string, fallback?: () => Promise<ort.InferenceSession>): OrtWebModelSession {
  let session = first;
  let provider = firstProvider;
  let note: string | undefined;
  let runs = 0;
  return {
    inputNames: first.inputNames,
    outputNames: first.outputNames,
    get provider() { return provider; },
    get providerNote() { return note; },
    async run(feeds: Record<string, Tensor>, outputNames?: string[]) {
      try {
        const out = await runOnce(session, feeds, outputNames);
        runs++;
        return out;
      } catch (err) {
        if (runs > 0 || !fallback || provider !== 'webgpu') throw err;
        // A WebGPU kernel failed on the first run: redo everything on WASM so no study mixes providers.
        const wasm = await fallback();
        await session.release().catch(() => undefined);
        session = wasm;
        provider = 'wasm';
        note = `WebGPU failed on this model (${firstLine(err)}); it ran on WASM`;
        fallback = undefined;
        const out = await runOnce(session, feeds, outputNames);
        runs++;
        return out;
      }
    },
    release: () => session.release(),
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
}

function unloadable(name: string, err: unknown): TeError {
  return new TeError('unsupported', `${name}: onnxruntime-web cannot load this model (${firstLine(err)})`, { file: name });
}
