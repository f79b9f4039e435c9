// blockData: the volume tiled into D×H×W blocks in the 3-D net's layout, checked voxel by voxel against the NIfTI
// [i, j, k] indices written out here; foreground blocks; the held-out rule on the block grid by hand.
import { describe, expect, it } from 'vitest';
import { blockData, defaultTrainBlocks, foregroundBlocks, heldOutBlocks, labelBlockInfo } from './blockData.ts';
import type { Volume } from '../types.ts';

/** nx × ny × nz volume (data index i + nx·j + nx·ny·k) with value f(i, j, k). */
function vol(size: [number, number, number], f: (i: number, j: number, k: number) => number): { v: Volume; data: Float32Array } {
  const [nx, ny, nz] = size, data = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) data[i + nx * j + nx * ny * k] = f(i, j, k);
  return { v: { name: 'l.nii', size, spacing: [1, 1, 1], data } as unknown as Volume, data };
}

describe('blockData', () => {
  it('puts voxel (i, j, k) of block (k/bd, i/bh, j/bw) at depth k%bd, row i%bh, column j%bw (slice axis 2: rows i, columns j)', () => {
    const size: [number, number, number] = [4, 6, 5];
    const code = (i: number, j: number, k: number) => 100 * i + 10 * j + k;
    const { v } = vol(size, (i, j, k) => (i + j + k) % 3);
    const { data: img } = vol(size, code);
    const b = blockData(img, v, 2, [2, 2, 3]);
    // depth 5 → 2 blocks (slice 4 left out), rows i 4 → 2, columns j 6 → 2
    expect(b.grid).toEqual([2, 2, 2]);
    expect([b.n, b.d, b.h, b.w]).toEqual([8, 2, 2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 4; i++) for (let j = 0; j < 6; j++) {
      const block = (Math.floor(k / 2) * 2 + Math.floor(i / 2)) * 2 + Math.floor(j / 3);
      const at = block * 12 + ((k % 2) * 2 + (i % 2)) * 3 + (j % 3);
      expect(b.images[at]).toBe(code(i, j, k));
      expect(b.labels[at]).toBe((i + j + k) % 3);
    }
  });

  it('names a block that does not fit and a non-integer label', () => {
    const { v, data } = vol([4, 4, 3], () => 0);
    expect(() => blockData(data, v, 2, [4, 2, 2])).toThrow(/a block of 4×2×2 does not fit in 3×4×4/);
    const bad = vol([2, 2, 2], () => 0.5);
    expect(() => blockData(bad.data, bad.v, 2, [1, 1, 1])).toThrow(/label 0.5 in slice 0/);
  });

  it('finds the blocks with foreground, from the label alone too', () => {
    // foreground only at voxel (3, 0, 0): rows i 2..3 → block row 1; column 0, slice 0 → block (0, 1, 0) = 2
    const { v, data } = vol([4, 4, 4], (i, j, k) => (i === 3 && j === 0 && k === 0 ? 1 : 0));
    expect(foregroundBlocks(blockData(data, v, 2, [2, 2, 2]))).toEqual([2]);
    expect(labelBlockInfo(v, 2, [2, 2, 2])).toEqual({ n: 8, grid: [2, 2, 2], foreground: [2] });
  });

  it('holds out blocks that neither are training blocks nor share a face with one', () => {
    expect(heldOutBlocks([1, 1, 5], [0], [0, 1, 2, 3, 4])).toEqual([2, 3, 4]);
    expect(heldOutBlocks([4, 1, 1], [0], [1, 2, 3])).toEqual([2, 3]);
    // 3×3×3 grid (index = 9·depth + 3·row + column), training block (0, 0, 0): its face neighbours (0, 0, 1) = 1,
    // (0, 1, 0) = 3 and (1, 0, 0) = 9 are out; the edge neighbour (0, 1, 1) = 4 and the corner (1, 1, 1) = 13 stay
    expect(heldOutBlocks([3, 3, 3], [0], [1, 3, 4, 9, 13, 26])).toEqual([4, 13, 26]);
    expect(() => heldOutBlocks([1, 1, 3], [1], [0, 2])).toThrow(/no held-out block is left/);
    expect(() => heldOutBlocks([1, 1, 2], [2], [0])).toThrow(/training block 2 is not in 0\.\.1/);
  });

  it('takes min(10, ⌊F/8⌋) evenly spaced foreground blocks by default', () => {
    // F = 30 → 3 blocks at fg[⌊(i + ½)·30/3⌋] = fg[5], fg[15], fg[25]
    const fg = Array.from({ length: 30 }, (_, i) => 2 * i);
    expect(defaultTrainBlocks(fg)).toEqual([10, 30, 50]);
    expect(defaultTrainBlocks([4, 7])).toEqual([7]); // at least one: fg[⌊½·2⌋] = fg[1]
    expect(defaultTrainBlocks(Array.from({ length: 200 }, (_, i) => i))).toHaveLength(10);
  });
});
