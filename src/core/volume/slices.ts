// Cuts a volume into 2-D slices along one voxel axis in memory order, the way the demo bank's models were trained:
// columns = the lower remaining voxel axis (i fastest), rows = the higher one; a k-slice is the contiguous block at k.
import type { Volume } from '../types.ts';

export type Axis = 0 | 1 | 2;

/** Shape (rows, cols) of a slice along `axis`. */
export function sliceShape(size: Volume['size'], axis: Axis): [number, number] {
  const rest = [0, 1, 2].filter((a) => a !== axis);
  return [size[rest[1]], size[rest[0]]];
}

/** Copies slice `index` along `axis` of a volume-shaped array into a row-major rows×cols Float32Array. */
export function extractSlice(data: ArrayLike<number>, size: Volume['size'], axis: Axis, index: number): Float32Array {
  const [nx, ny] = size;
  const rest = [0, 1, 2].filter((a) => a !== axis);
  const rows = size[rest[1]], cols = size[rest[0]];
  const out = new Float32Array(rows * cols);
  const stride = [1, nx, nx * ny];
  const base = index * stride[axis];
  const sr = stride[rest[1]], sc = stride[rest[0]];
  for (let r = 0; r < rows; r++) {
    const rb = base + r * sr;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[rb + c * sc];
  }
  return out;
}
