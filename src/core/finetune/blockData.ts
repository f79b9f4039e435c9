// Fine-tuning inputs for a 3-D net (issue 8 §1, "3-D where the ops allow it"): the labelled volume tiled into
// non-overlapping blocks of bd×bh×bw voxels (case unit 'block'), each block a case in the net's D×H×W layout — D
// along the slice axis, H×W the slice's rows×columns as volume/slices.ts cuts them (the demo 3-D model's
// input_layout). A remainder smaller than a block is left out. Held-out blocks: neither trained on nor sharing a face
// with one, the 3-D form of batches.ts heldOutCases (a slice next to a training slice shares a face with it). Blocks
// touching only along an edge or at a corner share no voxel plane; excluding them too left no held-out block on the
// demo CT (a 3×4×4 grid).
import { TeError } from '../errors.ts';
import type { Volume } from '../types.ts';
import { extractSlice, sliceShape, type Axis } from '../volume/slices.ts';
import { defaultTrainOf } from './sliceData.ts';

/** n blocks of d × h × w voxels, case-major, then depth, rows, columns; `grid` = blocks along D, H, W (n = product). */
export interface BlockData {
  images: Float32Array;
  labels: Int32Array;
  n: number;
  d: number;
  h: number;
  w: number;
  grid: [number, number, number];
}

/** Blocks of `block` = [d, h, w] voxels of the normalised image and its labels, slices along `axis`. */
export function blockData(normalized: Float32Array, label: Volume, axis: Axis, block: [number, number, number], imageSize: Volume['size'] = label.size): BlockData {
  if (imageSize.join('×') !== label.size.join('×') || normalized.length !== label.data.length) {
    throw new TeError('shape-mismatch', `${label.name}: labels are ${label.size.join('×')} but the image is ${imageSize.join('×')}`);
  }
  const [rows, cols] = sliceShape(label.size, axis), depth = label.size[axis];
  const [bd, bh, bw] = block;
  if (![bd, bh, bw].every((v) => Number.isInteger(v) && v >= 1)) throw new TeError('invalid-input', `block ${block.join('×')}: sizes must be positive integers`);
  const grid: [number, number, number] = [Math.floor(depth / bd), Math.floor(rows / bh), Math.floor(cols / bw)];
  if (grid.some((g) => g === 0)) {
    throw new TeError('invalid-input', `${label.name}: a block of ${bd}×${bh}×${bw} does not fit in ${depth}×${rows}×${cols} (slices × rows × columns)`);
  }
  const n = grid[0] * grid[1] * grid[2], vox = bd * bh * bw;
  const images = new Float32Array(n * vox), labels = new Int32Array(n * vox);
  for (let k = 0; k < grid[0] * bd; k++) {
    const img = extractSlice(normalized, label.size, axis, k), lab = extractSlice(label.data, label.size, axis, k);
    const gk = Math.floor(k / bd), z = k % bd;
    for (let r = 0; r < grid[1] * bh; r++) {
      const gr = Math.floor(r / bh), y = r % bh;
      for (let c = 0; c < grid[2] * bw; c++) {
        const gc = Math.floor(c / bw), x = c % bw;
        const v = lab[r * cols + c];
        if (!(Number.isInteger(v) && v >= 0)) throw new TeError('invalid-input', `${label.name}: label ${v} in slice ${k} is not a non-negative integer class`);
        const at = ((gk * grid[1] + gr) * grid[2] + gc) * vox + (z * bh + y) * bw + x;
        images[at] = img[r * cols + c];
        labels[at] = v;
      }
    }
  }
  return { images, labels, n, d: bd, h: bh, w: bw, grid };
}

/** Blocks holding at least one foreground (label > 0) voxel. */
export function foregroundBlocks(b: BlockData): number[] {
  const vox = b.d * b.h * b.w, out: number[] = [];
  for (let i = 0; i < b.n; i++) {
    for (let p = 0; p < vox; p++) if (b.labels[i * vox + p] > 0) { out.push(i); break; }
  }
  return out;
}

/**
 * The few-shot default for blocks: min(10, ⌊F/8⌋) (at least 1) evenly spaced of the F foreground blocks; a block has
 * up to 6 face neighbours (a slice 2), hence F/8 where slices take F/4.
 */
export function defaultTrainBlocks(fg: number[]): number[] {
  return defaultTrainOf(fg, Math.min(10, Math.max(1, Math.floor(fg.length / 8))));
}

/** Blocks of `pool` that are not training blocks and share no face with one (grid Manhattan distance ≥ 2). */
export function heldOutBlocks(grid: [number, number, number], train: number[], pool: number[]): number[] {
  const n = grid[0] * grid[1] * grid[2];
  const at = (i: number) => [Math.floor(i / (grid[1] * grid[2])), Math.floor(i / grid[2]) % grid[1], i % grid[2]];
  for (const t of train) if (!Number.isInteger(t) || t < 0 || t >= n) throw new TeError('invalid-input', `fine-tuning: training block ${t} is not in 0..${n - 1}`);
  const tr = train.map(at);
  const out = pool.filter((i) => { const p = at(i); return tr.every((q) => p.reduce((s, v, a) => s + Math.abs(v - q[a]), 0) >= 2); });
  if (out.length === 0) throw new TeError('too-few-cases', `fine-tuning: no held-out block is left once the training blocks ${train.join(',')} and their neighbours are removed`);
  return out;
}

/** Block count, grid and foreground blocks of a label volume (no image needed): what a block split is checked against. */
export function labelBlockInfo(label: Volume, axis: Axis, block: [number, number, number]): { n: number; grid: [number, number, number]; foreground: number[] } {
  const b = blockData(new Float32Array(label.data.length), label, axis, block);
  return { n: b.n, grid: b.grid, foreground: foregroundBlocks(b) };
}
