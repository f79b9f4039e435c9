// Volumes: numpy-compatible percentiles, normalisation windows, NaN rejection, grid and label checks, slicing.
import { describe, expect, it } from 'vitest';
import { normalizeVolume, normalizationParams } from './normalize.ts';
import { checkSameGrid, countLabels } from './checkGrid.ts';
import { extractSlice, sliceShape } from './slices.ts';
import type { Volume } from '../types.ts';

function vol(name: string, data: number[], size: [number, number, number] = [data.length, 1, 1]): Volume {
  return { name, size, spacing: [1, 1, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: Float32Array.from(data) };
}

describe('normalisation', () => {
  it('percentile window follows numpy linear interpolation over all voxels', () => {
    // np.percentile(range(201), [0.5, 99.5]) = [1, 199]
    const p = normalizationParams(vol('mr.nii', Array.from({ length: 201 }, (_, i) => 200 - i)), 'percentile_0.5_99.5_to_0_1');
    expect(p.lo).toBeCloseTo(1, 12);
    expect(p.hi).toBeCloseTo(199, 12);
  });

  it('windows CT at −1024..1500 HU and clips', () => {
    const { data } = normalizeVolume(vol('ct.nii.gz', [-2000, -1024, 238, 1500, 3000]), 'ct_hu_-1024_1500');
    expect(Array.from(data)).toEqual([0, 0, expect.closeTo(1262 / 2524, 6), 1, 1]);
  });

  it('refuses NaN voxels, naming the file', () => {
    expect(() => normalizeVolume(vol('bad.nii', [1, NaN, 3]), 'percentile_0.5_99.5_to_0_1')).toThrow(/bad\.nii.*NaN/);
  });
});

describe('grid and labels', () => {
  it('accepts the same grid and names what differs otherwise', () => {
    const img = vol('img.nii', [0, 0, 0, 0], [2, 2, 1]);
    expect(() => checkSameGrid(img, { ...img, name: 'lab.nii' })).not.toThrow();
    expect(() => checkSameGrid(img, { ...img, name: 'lab.nii', size: [2, 1, 2] })).toThrow(/lab\.nii.*img\.nii.*size/);
    expect(() => checkSameGrid(img, { ...img, name: 'lab.nii', spacing: [1, 1, 3] })).toThrow(/spacing/);
    expect(() => checkSameGrid(img, { ...img, name: 'lab.nii', origin: [0, 0.5, 0] })).toThrow(/origin/);
    expect(() => checkSameGrid(img, { ...img, name: 'lab.nii', direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] })).toThrow(/direction/);
  });

  it('counts classes and rejects undeclared values', () => {
    expect(countLabels(vol('l.nii', [0, 1, 1, 0, 1]), 2)).toEqual([2, 3]);
    expect(() => countLabels(vol('l.nii', [0, 3]), 2, ['bg', 'brain'])).toThrow(/l\.nii: label value 3.*bg, brain/);
    expect(() => countLabels(vol('l.nii', [0, 0.5]), 2)).toThrow(/0\.5/);
  });
});

describe('slices', () => {
  // 2×3×2 volume with value = i + 10 j + 100 k.
  const size: [number, number, number] = [2, 3, 2];
  const data: number[] = [];
  for (let k = 0; k < 2; k++) for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) data.push(i + 10 * j + 100 * k);
  it('matches numpy np.take(vol, index, axis) on the [i, j, k] array (rows = lower remaining axis)', () => {
    expect(sliceShape(size, 2)).toEqual([2, 3]);
    expect(Array.from(extractSlice(data, size, 2, 1))).toEqual([100, 110, 120, 101, 111, 121]); // rows = i, cols = j
    expect(Array.from(extractSlice(data, size, 1, 2))).toEqual([20, 120, 21, 121]); // rows = i, cols = k
    expect(Array.from(extractSlice(data, size, 0, 1))).toEqual([1, 101, 11, 111, 21, 121]); // rows = j, cols = k
  });
});

describe('integer percentiles (histogram path)', () => {
  it('equals the sorted-array percentile for int16 and uint8 data', () => {
    // np.percentile of [-5, 0, 3, 3, 7, 100] at 0.5 and 99.5: positions 0.025 and 4.975.
    const v: Volume = { name: 'i16', size: [6, 1, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: Int16Array.from([100, 3, -5, 7, 0, 3]) };
    const p = normalizationParams(v, 'percentile_0.5_99.5_to_0_1');
    expect(p.lo).toBeCloseTo(-5 + 0.025 * 5, 12);
    expect(p.hi).toBeCloseTo(7 + 0.975 * 93, 12);
    const u = normalizationParams({ ...v, data: Uint8Array.from([0, 255, 10, 10]) }, 'percentile_0.5_99.5_to_0_1');
    expect(u.lo).toBeCloseTo(0 + 0.015 * 10, 12); // position 0.015 between 0 and 10
    expect(u.hi).toBeCloseTo(10 + 0.985 * 245, 12); // position 2.985 between 10 and 255
  });
});
