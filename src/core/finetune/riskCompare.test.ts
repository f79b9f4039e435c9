// Summaries of a risk map before/after fine-tuning, by hand: means overall, on the foreground and per class.
import { describe, expect, it } from 'vitest';
import { compareRisk, evenlySpaced, riskSlices, riskSummary, type RiskMapResult } from './riskCompare.ts';
import { TeError } from '../errors.ts';

// data of 3 cases × 4 pixels; the map covers cases 2 and 0 (in that order)
const labels = [0, 1, 1, 2, /* case 1 */ 2, 2, 2, 2, /* case 2 */ 0, 0, 1, 0];
const res = (risk: number[], score = -0.5): RiskMapResult => ({ cases: [2, 0], transferability: new Float64Array(8), risk: Float64Array.from(risk), score });

describe('risk comparison', () => {
  it('means R over all pixels, the foreground and each class (classes without pixels: null)', () => {
    const s = riskSummary(res([1, 1, 4, 1, /* case 0 */ 2, 6, 8, 10]), labels, 4, 4);
    // case 2: labels 0 0 1 0 → R 1 1 4 1; case 0: labels 0 1 1 2 → R 2 6 8 10
    expect(s.pixels).toEqual([4, 3, 1, 0]);
    expect(s.perClass).toEqual([(1 + 1 + 1 + 2) / 4, (4 + 6 + 8) / 3, 10, null]);
    expect(s.foreground).toBe((4 + 6 + 8 + 10) / 4);
    expect(s.mean).toBe(33 / 8);
    expect(s.score).toBe(-0.5);
  });

  it('compares two maps of the same cases and refuses different ones', () => {
    const c = compareRisk(res([10, 10, 10, 10, 10, 10, 10, 10], -1), res([1, 1, 4, 1, 2, 6, 8, 10], -0.25), labels, 4, 3);
    expect(c).toMatchObject({ cases: [2, 0], meanBefore: 10, meanAfter: 33 / 8, foregroundBefore: 10, foregroundAfter: 7, scoreBefore: -1, scoreAfter: -0.25 });
    expect(c.perClass).toEqual({ before: [10, 10, 10], after: [1.25, 6, 10], pixels: [4, 3, 1] });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(() => compareRisk(res([1]), { ...res([1]), cases: [0, 2] }, labels, 4, 3)).toThrow(TeError);
  });

  it('picks up to k evenly spaced display cases, first and last included', () => {
    expect(evenlySpaced([5, 6, 7, 8, 9, 10, 11], 3)).toEqual([5, 8, 11]);
    expect(evenlySpaced([5, 6, 7, 8], 3)).toEqual([5, 7, 8]);
    expect(evenlySpaced([5, 6], 3)).toEqual([5, 6]);
    expect(evenlySpaced([5, 6, 7], 1)).toEqual([6]);
  });
});

describe('risk slices', () => {
  it('cuts the image, labels and both maps of the chosen cases (map rows follow the cases order)', () => {
    const d = { images: Float32Array.from({ length: 12 }, (_, i) => i / 10), labels, h: 2, w: 2 };
    const before = res([1, 1, 4, 1, 2, 6, 8, 10]), after = res([9, 8, 7, 6, 5, 4, 3, 2]);
    const [s0] = riskSlices(d, before, after, [0]);
    expect(s0).toMatchObject({ case: 0, h: 2, w: 2 });
    expect(Array.from(s0.image)).toEqual([0, 0.1, 0.2, 0.3].map((v) => Math.fround(v)));
    expect(Array.from(s0.label)).toEqual([0, 1, 1, 2]);
    expect(Array.from(s0.before)).toEqual([2, 6, 8, 10]); // case 0 is the second map row
    expect(Array.from(s0.after)).toEqual([5, 4, 3, 2]);
    expect(s0.before.buffer.byteLength).toBe(16); // its own buffer: transferable
    expect(() => riskSlices(d, before, after, [1])).toThrow(TeError);
  });

  it('shows a volume case (3-D block of d slices) by its middle slice ⌊d/2⌋', () => {
    // 2 cases of 3 slices of 1×2 voxels: case c, slice z, voxel p holds 100c + 10z + p
    const images = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 2) + (i % 2));
    const vlabels = Int32Array.from({ length: 12 }, (_, i) => i % 3);
    const map = (k: number) => ({ cases: [1, 0], transferability: new Float64Array(0), risk: Float32Array.from({ length: 12 }, (_, i) => k + i), score: 0 }) as unknown as Parameters<typeof riskSlices>[1];
    const [s1] = riskSlices({ images, labels: vlabels, d: 3, h: 1, w: 2 }, map(0), map(50), [1]);
    expect(s1).toMatchObject({ case: 1, h: 1, w: 2, depth: 1 });
    expect(Array.from(s1.image)).toEqual([110, 111]); // case 1, slice 1
    expect(Array.from(s1.label)).toEqual([(6 + 2) % 3, (6 + 3) % 3]); // voxels 8, 9
    expect(Array.from(s1.before)).toEqual([2, 3]); // case 1 is map row 0: its slice 1 = entries 2, 3
    expect(Array.from(s1.after)).toEqual([52, 53]);
  });
});
