// The fine-tuning worker (issue 8 §3): tfjs on the wasm backend (its binaries served by Vite from our own origin);
// it looks for a WebGPU adapter and reports it, but the WebGPU tfjs backend is not bundled yet, so wasm runs.
import * as Comlink from 'comlink';
import { env } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { readVolumeBrowser } from '../adapters/browserPorts.ts';
import { createFinetuneApi } from './finetune.worker-api.ts';
import { transferablesOf } from './transferables.ts';

let started: Promise<Record<string, unknown>> | null = null;

async function webgpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try { return !!(await gpu.requestAdapter()); } catch { return false; }
}

function startBackend(): Promise<Record<string, unknown>> {
  started ??= (async () => {
    // The threaded build's pthread workers fail inside a bundled module worker ("e is not defined", the backend
    // never starts): run the single-threaded SIMD build, as in Node.
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    const backend = await initTfjsBackend('wasm');
    const adapter = await webgpuAdapter();
    return { backend, webgpu: adapter ? 'adapter found; the tfjs WebGPU backend is not bundled yet, so wasm runs' : 'no adapter' };
  })();
  return started;
}

const api = createFinetuneApi(startBackend, readVolumeBrowser);
// the result's typed arrays (risk-map slices, the exported ONNX bytes) are transferred, not copied
const exposed: typeof api = { ...api, finetune: async (job, onEvent) => { const r = await api.finetune(job, onEvent); return Comlink.transfer(r, transferablesOf(r)); } };
export type FinetuneWorkerApi = typeof exposed;

Comlink.expose(exposed, self as unknown as Comlink.Endpoint);
