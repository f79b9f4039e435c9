// Seeded percentile bootstrap: interpolation by hand, reproducibility per seed, coverage of the estimate.
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { bootstrapCases, bootstrapTauOverModels, percentileSorted } from './bootstrap.ts';
import { weightedKendallTau } from './weightedKendallTau.ts';

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

describe('percentileSorted (numpy linear interpolation)', () => {
  it('by hand: [1,2,3,4] at q=0.025 → 1 + 0.075·1; q=0.975 → 3 + 0.925', () => {
    expect(percentileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 15);
    expect(percentileSorted([1, 2, 3, 4], 0.975)).toBeCloseTo(3.925, 15);
    expect(percentileSorted([5], 0.3)).toBe(5);
    expect(percentileSorted([], 0.5)).toBeNaN();
  });
});

describe('bootstrapCases', () => {
  const rng = createRng(7);
  const data = Array.from({ length: 40 }, () => 0.7 + 0.1 * rng.normal());
  const score = (idx: Int32Array) => mean(Array.from(idx, (i) => data[i]));

  it('estimate is the score on the original cases', () => {
    const r = bootstrapCases(data.length, score, { seed: 1, resamples: 200 });
    expect(r.estimate).toBeCloseTo(mean(data), 15);
    expect(r.valid).toBe(200);
  });
  it('same seed → identical interval; another seed → a different one', () => {
    const a = bootstrapCases(data.length, score, { seed: 11, resamples: 300 });
    const b = bootstrapCases(data.length, score, { seed: 11, resamples: 300 });
    const c = bootstrapCases(data.length, score, { seed: 12, resamples: 300 });
    expect([a.lower, a.upper]).toEqual([b.lower, b.upper]);
    expect(Array.from(a.samples)).toEqual(Array.from(b.samples));
    expect(a.lower === c.lower && a.upper === c.upper).toBe(false);
  });
  it('95 % interval of a mean contains the estimate and is about ±1.96·sd/√n wide', () => {
    const r = bootstrapCases(data.length, score, { seed: 3, resamples: 2000 });
    expect(r.lower).toBeLessThan(r.estimate);
    expect(r.upper).toBeGreaterThan(r.estimate);
    const sd = Math.sqrt(data.reduce((s, v) => s + (v - mean(data)) ** 2, 0) / data.length);
    const expectedWidth = 2 * 1.96 * sd / Math.sqrt(data.length);
    expect((r.upper - r.lower) / expectedWidth).toBeGreaterThan(0.8);
    expect((r.upper - r.lower) / expectedWidth).toBeLessThan(1.2);
  });
  it('drops non-finite resample scores with a warning; < 2 items is a TeError', () => {
    const msgs: string[] = [];
    const r = bootstrapCases(3, (idx) => (idx[0] === idx[1] ? NaN : 1), { seed: 5, resamples: 100 }, (m) => msgs.push(m));
    expect(r.valid).toBeLessThan(100);
    expect(msgs.length).toBe(1);
    expect(() => bootstrapCases(1, () => 0, { seed: 1 })).toThrow(TeError);
  });
});

describe('bootstrapTauOverModels', () => {
  const rng = createRng(21);
  const x = Array.from({ length: 12 }, (_, i) => i + 2 * rng.normal());
  const y = Array.from({ length: 12 }, (_, i) => 0.5 + 0.02 * i + 0.03 * rng.normal());
  it('point estimate = τ on all models; interval contains it; reproducible per seed', () => {
    const r = bootstrapTauOverModels(x, y, { seed: 4, resamples: 1000 });
    expect(r.estimate).toBe(weightedKendallTau(x, y));
    expect(r.lower).toBeLessThanOrEqual(r.estimate);
    expect(r.upper).toBeGreaterThanOrEqual(r.estimate);
    expect(r.upper).toBeLessThanOrEqual(1);
    const again = bootstrapTauOverModels(x, y, { seed: 4, resamples: 1000 });
    expect([again.lower, again.upper]).toEqual([r.lower, r.upper]);
  });
  it('fewer than 2 models → TeError too-few-cases', () => {
    try {
      bootstrapTauOverModels([1], [2], { seed: 1 });
      expect.unreachable();
    } catch (e) {
      expect((e as TeError).code).toBe('too-few-cases');
    }
  });
});
