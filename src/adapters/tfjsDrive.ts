// Drivers for computations written as generators that yield the tensors they need read (issue 8: synchronous
// reads inside a WebGPU step can crash the page): the same code reads asynchronously in workers, synchronously in Node.
import type * as tf from '@tensorflow/tfjs-core';

/** Yields tensors to read, receives their data (float32) in the same order, returns T. */
export type ReadGen<T> = Generator<tf.Tensor[], T, Float32Array[]>;

export function driveSync<T>(gen: ReadGen<T>): T {
  let r = gen.next();
  while (!r.done) r = gen.next(r.value.map((t) => t.dataSync() as Float32Array));
  return r.value;
}

export async function driveAsync<T>(gen: ReadGen<T>): Promise<T> {
  let r = gen.next();
  while (!r.done) r = gen.next(await Promise.all(r.value.map((t) => t.data() as Promise<Float32Array>)));
  return r.value;
}
