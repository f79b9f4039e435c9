// The fine-tuning worker (issue 8 §3): tfjs on wasm (its binaries served by Vite from our own origin), or on WebGPU
// when the page has a hardware adapter and the parity self-test against wasm passes (tfjsBackendChoice); which one
// runs, and why, is in backendInfo() ({backend, webgpu, adapter?}) and every result's provenance.
import * as Comlink from 'comlink';
import { env } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { chooseFinetuneBackend, type AdapterSummary, type BackendPreference } from '../adapters/tfjsBackendChoice.ts';
import { readVolumeBrowser } from '../adapters/browserPorts.ts';
import { createFinetuneApi } from './finetune.worker-api.ts';

let started: Promise<Record<string, unknown>> | null = null;
let prefer: BackendPreference = 'auto';

interface AdapterLike { info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean }; isFallbackAdapter?: boolean }

/** The WebGPU adapter, if any; software = a fallback adapter or SwiftShader (WebGPU emulated on the CPU). */
async function webgpuAdapter(): Promise<AdapterSummary | null> {
  const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
  if (!gpu) return null;
  try {
    const a = await gpu.requestAdapter();
    if (!a) return null;
    const i = a.info ?? {};
    const description = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unnamed adapter';
    return { software: !!(i.isFallbackAdapter ?? a.isFallbackAdapter) || /swiftshader/i.test(description), description };
  } catch {
    return null;
  }
}

function startBackend(): Promise<Record<string, unknown>> {
  started ??= (async () => {
    // The threaded build's pthread workers fail inside a bundled module worker ("e is not defined", the backend
    // never starts): run the single-threaded SIMD build, as in Node.
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    const adapter = prefer === 'wasm' ? null : await webgpuAdapter();
    const c = await chooseFinetuneBackend({ adapter, prefer });
    return { backend: c.backend, webgpu: c.webgpu, ...(adapter ? { adapter: adapter.description } : {}) };
  })();
  return started;
}

const api = createFinetuneApi(startBackend, readVolumeBrowser);
const exposed = Object.assign(api, {
  /**
   * Before the engine starts (the first backendInfo() or finetune()): 'webgpu' also self-tests a software adapter,
   * 'wasm' skips WebGPU. False once the backend is chosen.
   */
  preferBackend(p: BackendPreference): boolean {
    if (started) return false;
    prefer = p;
    return true;
  },
});
export type FinetuneWorkerApi = typeof exposed;

Comlink.expose(exposed, self as unknown as Comlink.Endpoint);
