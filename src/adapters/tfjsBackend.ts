// Chooses and starts the tfjs backend for the fine-tuning engine (issue 8 §1): 'wasm' (worker/browser and
// Node, no native binaries) or 'cpu' (pure JS reference). WebGPU is not wired here yet.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TeError } from '../core/errors.ts';

export type TfjsBackendName = 'cpu' | 'wasm';

/**
 * Activates `name`. `wasmPaths`: folder (URL or, in Node, an absolute path ending in '/') holding the
 * tfjs-backend-wasm *.wasm files; without it the package's default lookup applies. Returns the active backend.
 */
export async function initTfjsBackend(name: TfjsBackendName, wasmPaths?: string): Promise<string> {
  if (name === 'wasm' && wasmPaths) setWasmPaths(wasmPaths);
  const ok = await tf.setBackend(name);
  if (!ok) throw new TeError('unsupported', `tfjs backend ${name} could not be started`);
  await tf.ready();
  return tf.getBackend();
}
