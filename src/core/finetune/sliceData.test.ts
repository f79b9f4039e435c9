// Slices as fine-tuning cases: numpy np.take order along each axis, the default few-shot training slices, the
// held-out rule (not trained on, not adjacent, with foreground) and case lists that name what is wrong.
import { describe, expect, it } from 'vitest';
import type { Volume } from '../types.ts';
import { defaultTrainSlices, foregroundSlices, heldOutSlices, labelSliceInfo, parseCaseList, parseTrainSlices, sliceData, testSlices } from './sliceData.ts';

/** 2×3×N label volume (x fastest) whose slice k along axis 2 has foreground iff fg[k]. */
function volume(fg: boolean[]): { label: Volume; image: Float32Array } {
  const nz = fg.length, data = new Int16Array(2 * 3 * nz), image = new Float32Array(2 * 3 * nz);
  for (let k = 0; k < nz; k++) for (let p = 0; p < 6; p++) { image[k * 6 + p] = k * 10 + p; if (fg[k] && p === 4) data[k * 6 + p] = 1; }
  return { label: { name: 'lab.nii', size: [2, 3, nz], spacing: [1, 1, 1], data } as unknown as Volume, image };
}

describe('fine-tuning slices', () => {
  it('cuts slices along axis 2 and axis 0 in np.take order (rows = first remaining axis)', () => {
    const { label, image } = volume([true, false, true]);
    const d = sliceData(image, label, 2);
    expect([d.n, d.h, d.w]).toEqual([3, 2, 3]);
    // Slice k=1 along axis 2: voxel (i, j) = image[k·6 + j·2 + i], laid out rows i, columns j.
    expect(Array.from(d.images.subarray(6, 12))).toEqual([10, 12, 14, 11, 13, 15]);
    const d0 = sliceData(image, label, 0);
    expect([d0.n, d0.h, d0.w]).toEqual([2, 3, 3]);
    expect(Array.from(d0.images.subarray(9, 18))).toEqual([1, 11, 21, 3, 13, 23, 5, 15, 25]); // i = 1: rows j, columns k
    expect(foregroundSlices(d)).toEqual([0, 2]);
  });

  it('holds out slices that are neither trained on nor adjacent to one, with foreground (or within a given pool)', () => {
    const { label, image } = volume([true, true, true, true, true, false, true, true, true, true]);
    const d = sliceData(image, label, 2);
    expect(testSlices(d, [1, 7])).toEqual([3, 4, 9]); // 5 has no foreground
    expect(testSlices(d, [1, 7], [4, 5, 9])).toEqual([4, 5, 9]);
    expect(() => testSlices(d, [1, 4, 7, 9])).toThrow(/no held-out slice/);
  });

  it('defaults to min(10, ⌊F/4⌋) evenly spaced foreground slices', () => {
    const { label, image } = volume(Array.from({ length: 12 }, () => true));
    expect(defaultTrainSlices(sliceData(image, label, 2))).toEqual([2, 6, 10]); // F = 12 → ⌊12/4⌋ = 3 slices at ⌊(i + ½)·4⌋
  });

  it('parses case lists and names the bad entry', () => {
    expect(parseCaseList('3, 9,15', 20)).toEqual([3, 9, 15]);
    expect(() => parseCaseList('3,x', 20)).toThrow(/"x" is not a case index in 0\.\.19/);
    expect(() => parseCaseList('3,-1', 20)).toThrow(/"-1" is not a case index/);
    expect(() => parseCaseList('', 20)).toThrow(/no case indices/);
  });

  it('gives the slice count and foreground slices from the label alone, the same held-out rule as testSlices', () => {
    const { label, image } = volume([true, true, true, true, true, false, true, true, true, true]);
    const info = labelSliceInfo(label, 2);
    expect(info).toEqual({ n: 10, foreground: [0, 1, 2, 3, 4, 6, 7, 8, 9] });
    expect(labelSliceInfo(label, 0)).toEqual({ n: 2, foreground: [0] }); // p = 4 is x = 0, y = 2
    expect(heldOutSlices(info.n, [1, 7], info.foreground)).toEqual([3, 4, 9]);
    expect(heldOutSlices(info.n, [1, 7], info.foreground)).toEqual(testSlices(sliceData(image, label, 2), [1, 7]));
  });

  it('checks a user\'s training slices: integers in 0..n−1, each bad entry named; a slice without foreground only beside one with', () => {
    const fg = [0, 1, 2, 3, 4, 6, 7, 8, 9];
    expect(parseTrainSlices(' 1, 7 ,', 10, fg)).toEqual([1, 7]);
    // slice 5 has no foreground: allowed (the bank trains on such slices), but not alone
    expect(parseTrainSlices('5, 1', 10, fg)).toEqual([5, 1]);
    expect(() => parseTrainSlices('5', 10, fg)).toThrow('training slices: none of 5 has a foreground label');
    let msg = '';
    try { parseTrainSlices('1, 5, 12, x, 2.5, 1', 10, fg); } catch (e) { msg = (e as Error).message; }
    expect(msg).toBe('training slices: 12 is not in 0..9; "x" is not a whole number; "2.5" is not a whole number; 1 is listed twice');
    expect(() => parseTrainSlices(' , ', 10, fg)).toThrow(/none given/);
  });
});
