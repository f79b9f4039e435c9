// Cuts a volume into 2-D slices along one voxel axis, the way the demo bank's models were trained: numpy's
// `np.take(vol, k, axis)` on the nibabel [i, j, k] array, i.e. rows = the lower remaining voxel axis, columns = the higher.
// (Checked against tools/bank's training arrays: a k-slice has rows = i, columns = j — the transpose of memory order.)
import type { Volume } from '../types.ts';

export type Axis = 0 | 1 | 2;

/** Shape (rows, cols) of a slice along `axis`. */
export function sliceShape(size: Volume['size'], axis: Axis): [number, number] {
  const rest = [0, 1, 2].filter((a) => a !== axis);
  return [size[rest[0]], size[rest[1]]];
}

/** Copies slice `index` along `axis` of a volume-shaped array into a row-major rows×cols Float32Array. */
export function extractSlice(data: ArrayLike<number>, size: Volume['size'], axis: Axis, index: number): Float32Array {
  const [nx, ny] = size;
  const rest = [0, 1, 2].filter((a) => a !== axis);
  const rows = size[rest[0]], cols = size[rest[1]];
  const out = new Float32Array(rows * cols);
  const stride = [1, nx, nx * ny];
  const base = index * stride[axis];
  const sr = stride[rest[0]], sc = stride[rest[1]];
  for (let r = 0; r < rows; r++) {
    const rb = base + r * sr;
    for (let c = 0; c < cols; c++) out[r * cols + c] = data[rb + c * sc];
  }
  return out;
}
