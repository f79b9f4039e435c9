// Chooses and starts the tfjs backend for the fine-tuning engine (issue 8 §1): 'wasm' (worker/browser and Node, no
// native binaries), 'cpu' (pure JS reference) or 'webgpu' (browser only: its package is imported dynamically, on
// first use, so Node and the CLI never load it; the worker uses it only after the parity self-test, tfjsBackendChoice).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TeError } from '../core/errors.ts';
import { patchTfjsWebgpu } from './tfjsWebgpuPatch.ts';

export type TfjsBackendName = 'cpu' | 'wasm' | 'webgpu';

/** Whether this context exposes WebGPU at all (an adapter may still be refused). */
export function hasWebGpuApi(): boolean {
  return !!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
}

/**
 * Activates `name`. `wasmPaths`: folder (URL or, in Node, an absolute path ending in '/') holding the
 * tfjs-backend-wasm *.wasm files; without it the package's default lookup applies. Returns the active backend.
 */
export async function initTfjsBackend(name: TfjsBackendName, wasmPaths?: string): Promise<string> {
  if (name === 'wasm' && wasmPaths) setWasmPaths(wasmPaths);
  if (name === 'webgpu') {
    if (!hasWebGpuApi()) throw new TeError('unsupported', 'tfjs backend webgpu: this context has no navigator.gpu');
    const wg = await import('@tensorflow/tfjs-backend-webgpu'); // registers 'webgpu' (once; later imports are cached)
    patchTfjsWebgpu(wg);
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new TeError('unsupported', `tfjs backend ${name} could not be started`);
  await tf.ready();
  return tf.getBackend();
}
