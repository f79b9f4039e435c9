// The ONE place that maps a 2-D slice to the model's NCHW input (architecture: volume → model input),
// and reads the source softmax back at sampled pixels.
import type { Tensor } from '../ports.ts';

/** Zero-pads a rows×cols slice at the bottom/right to a multiple of `multiple`; pixel (r, c) keeps its place. */
export function padSlice(image: Float32Array, rows: number, cols: number, multiple: number, channels = 1): { tensor: Tensor; rows: number; cols: number } {
  const m = Math.max(1, multiple);
  const pr = Math.ceil(rows / m) * m, pc = Math.ceil(cols / m) * m;
  const data = new Float32Array(channels * pr * pc);
  for (let ch = 0; ch < channels; ch++) {
    for (let r = 0; r < rows; r++) data.set(image.subarray(r * cols, (r + 1) * cols), ch * pr * pc + r * pc);
  }
  return { tensor: { dims: [1, channels, pr, pc], data }, rows: pr, cols: pc };
}

/** Softmax over classes of NCHW logits (batch 0) at `pixels` (indices on the H×W grid) into rows `rows` of `out`. */
export function softmaxAt(logits: Tensor, pixels: Int32Array, rows: number[], out: Float64Array): void {
  const k = logits.dims[1];
  const plane = logits.dims[2] * logits.dims[3];
  for (let i = 0; i < pixels.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits.data[c * plane + pixels[i]]);
    let sum = 0;
    const o = rows[i] * k;
    for (let c = 0; c < k; c++) {
      const e = Math.exp(logits.data[c * plane + pixels[i]] - max);
      out[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) out[o + c] /= sum;
  }
}
