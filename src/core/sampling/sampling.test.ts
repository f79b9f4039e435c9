// Sampling before inference: caps, determinism per seed, no duplicates; point reads equal to PyTorch's
// bilinear up-sampling (align_corners = False) worked out by hand.
import { describe, expect, it } from 'vitest';
import { createRng } from './rng.ts';
import { drawWithoutReplacement, sampleCase } from './classBalanced.ts';
import { readFeaturesAt } from './pointRead.ts';

describe('sampleCase', () => {
  const labels = new Int32Array(100);
  for (let i = 0; i < 100; i++) labels[i] = i < 70 ? 0 : i < 95 ? 1 : 2; // 70 / 25 / 5 voxels

  it('official mode: min(count, cap) per class present, per layer', () => {
    const [l0, l1] = sampleCase(labels, 3, [10, 30], 'official', createRng(1));
    const count = (s: Int32Array, c: number) => s.filter((v) => v === c).length;
    expect([count(l0.labels, 0), count(l0.labels, 1), count(l0.labels, 2)]).toEqual([10, 10, 5]);
    expect([count(l1.labels, 0), count(l1.labels, 1), count(l1.labels, 2)]).toEqual([30, 25, 5]);
    for (let k = 0; k < l1.indices.length; k++) expect(labels[l1.indices[k]]).toBe(l1.labels[k]);
    expect(new Set(l1.indices).size).toBe(l1.indices.length);
  });

  it('proportional mode: largest class gets the cap, others in proportion, at least 2', () => {
    const [l] = sampleCase(labels, 3, [14], 'proportional', createRng(1));
    const count = (c: number) => l.labels.filter((v) => v === c).length;
    expect([count(0), count(1), count(2)]).toEqual([14, 5, 2]); // 14·25/70 = 5, 14·5/70 = 1 → 2
  });

  it('is reproducible for a seed and differs for another', () => {
    const a = sampleCase(labels, 3, [10], 'official', createRng(7))[0].indices;
    const b = sampleCase(labels, 3, [10], 'official', createRng(7))[0].indices;
    const c = sampleCase(labels, 3, [10], 'official', createRng(8))[0].indices;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('draws every element with about equal frequency', () => {
    const pool = Array.from({ length: 10 }, (_, i) => i);
    const hits = new Array(10).fill(0);
    const rng = createRng(3);
    for (let t = 0; t < 5000; t++) for (const v of drawWithoutReplacement(pool, 3, rng)) hits[v]++;
    for (const h of hits) expect(Math.abs(h - 1500)).toBeLessThan(150);
  });
});

describe('readFeaturesAt', () => {
  it('matches bilinear ×2 up-sampling with align_corners = False', () => {
    // F.interpolate([[0,1],[2,3]], scale_factor=2, mode='bilinear') =
    // [[0,.25,.75,1],[.5,.75,1.25,1.5],[1.5,1.75,2.25,2.5],[2,2.25,2.75,3]]
    const expected = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3];
    const map = new Float32Array([0, 1, 2, 3, 10, 11, 12, 13]); // 2 channels
    const pixels = Int32Array.from({ length: 16 }, (_, i) => i);
    const out = new Float64Array(32);
    readFeaturesAt(map, 2, 2, 2, 2, pixels, 4, out);
    for (let k = 0; k < 16; k++) {
      expect(out[2 * k]).toBeCloseTo(expected[k], 12);
      expect(out[2 * k + 1]).toBeCloseTo(expected[k] + 10, 12);
    }
  });

  it('reads stride-1 maps exactly', () => {
    const map = new Float32Array([5, 6, 7, 8]);
    const out = new Float64Array(2);
    readFeaturesAt(map, 1, 2, 2, 1, new Int32Array([3, 1]), 2, out);
    expect(Array.from(out)).toEqual([8, 6]);
  });
});
