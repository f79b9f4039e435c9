// Peak tfjs memory of one training step (issue 8: ≤ 1 GB for a batch-8 step), for Node and the bench worker alike:
// one warm-up step (Adam moments allocated), then tf.profile around the next step. No host imports.
import * as tf from '@tensorflow/tfjs-core';
import type { Trainer } from '../../src/adapters/tfjsTrainer.ts';

export interface StepMemory {
  /** tf.memory().numBytes before the profiled step: weights, optimiser state, anything kept. */
  startBytes: number;
  /** Highest tf.memory().numBytes after any kernel of the step (tf.profile peakBytes). */
  peakBytes: number;
  /** Bytes and tensors still held after the step minus before (≈ 0 when the step frees what it made). */
  newBytes: number;
  newTensors: number;
  kernels: number;
  /** Size of the wasm backend's linear memory after the step (grows, never shrinks), when the backend is wasm. */
  wasmHeapBytes: number | null;
}

export async function stepMemory(t: Trainer): Promise<StepMemory> {
  await t.step();
  const startBytes = tf.memory().numBytes;
  const info = await tf.profile(async () => { await t.step(); return []; });
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.byteLength ?? null;
  return { startBytes, peakBytes: info.peakBytes, newBytes: info.newBytes, newTensors: info.newTensors, kernels: info.kernels.length, wasmHeapBytes: heap };
}
