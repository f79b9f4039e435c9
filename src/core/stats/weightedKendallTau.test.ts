// Weighted Kendall τ (spec §11): hand-derived values, the O(n²) definition as an oracle, properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { weightedKendallTau, weightedKendallTauNaive, weightedKendallTauSorted } from './weightedKendallTau.ts';

describe('weightedKendallTau: hand-derived', () => {
  it('perfect order gives 1, reversed gives −1', () => {
    expect(weightedKendallTau([1, 2, 3, 4, 5], [3, 4, 8, 9, 20])).toBeCloseTo(1, 15);
    expect(weightedKendallTau([1, 2, 3, 4, 5], [20, 9, 8, 4, 3])).toBeCloseTo(-1, 15);
  });
  it('x=[1,2,3], y=[1,3,2]: pair weights 5/6, 4/3, 3/2 → (5/6+4/3−3/2)/(11/3) = 2/11', () => {
    expect(weightedKendallTau([1, 2, 3], [1, 3, 2])).toBeCloseTo(2 / 11, 15);
  });
  it('x=[1,2,3], y=[2,1,3]: discordant pair is the least important → 6/11 (unweighted τ would be 1/3)', () => {
    expect(weightedKendallTau([1, 2, 3], [2, 1, 3])).toBeCloseTo(6 / 11, 15);
  });
  it('a tie in x: x=[1,1,2], y=[1,2,3] → (17/6)/sqrt(17/6 · 22/6) = sqrt(17/22)', () => {
    expect(weightedKendallTau([1, 1, 2], [1, 2, 3])).toBeCloseTo(Math.sqrt(17 / 22), 15);
  });
  it('constant input → NaN with a warning; fewer than 2 items → NaN with a warning', () => {
    const msgs: string[] = [];
    expect(weightedKendallTau([1, 1, 1], [1, 2, 3], (m) => msgs.push(m))).toBeNaN();
    expect(weightedKendallTau([1], [2], (m) => msgs.push(m))).toBeNaN();
    expect(msgs).toHaveLength(2);
  });
  it('NaN input → TeError non-finite; length mismatch → shape-mismatch', () => {
    expect(() => weightedKendallTau([1, NaN, 3], [1, 2, 3])).toThrow(TeError);
    try { weightedKendallTau([1, NaN], [1, 2]); } catch (e) { expect((e as TeError).code).toBe('non-finite'); }
    try { weightedKendallTau([1, 2], [1, 2, 3]); } catch (e) { expect((e as TeError).code).toBe('shape-mismatch'); }
  });
});

const tiedArrays = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc.tuple(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n })),
);

describe('weightedKendallTau: values printed by scipy 1.17.1 stats.weightedtau (tied inputs)', () => {
  const cases: [number[], number[], number][] = [
    [[2, 1, 4, 4, 2, 3, 3, 4], [1, 3, 4, 2, 1, 2, 3, 4], 0.6262721535891769],
    [[3, 3, 4, 1], [1, 2, 0, 3], -0.9309493362512626],
    [[1, 0, 0, 4], [3, 4, 2, 3], -0.16017765257965927],
    [[2, 1, 0, 1, 2, 3], [3, 2, 1, 2, 2, 3], 0.8320491468650697],
  ];
  it.each(cases)('x=%j, y=%j → %f', (x, y, tau) => {
    expect(Math.abs(weightedKendallTau(x, y) - tau)).toBeLessThanOrEqual(1e-15);
  });
});

describe('weightedKendallTau: properties', () => {
  it('both paths (counted ranks up to 48 items, sorts + Fenwick trees above) equal the O(n²) definition, ties included', () => {
    const wide = fc.integer({ min: 2, max: 120 }).chain((n) =>
      fc.tuple(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n })));
    fc.assert(fc.property(wide, ([x, y]) => {
      const a = weightedKendallTau(x, y), s = weightedKendallTauSorted(x, y), b = weightedKendallTauNaive(x, y);
      if (Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(s);
      return Math.abs(a - b) <= 1e-12 && Math.abs(s - b) <= 1e-12;
    }), { numRuns: 300 });
  });
  it('symmetric in swapping x and y', () => {
    fc.assert(fc.property(tiedArrays, ([x, y]) => {
      const a = weightedKendallTau(x, y), b = weightedKendallTau(y, x);
      return Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-14;
    }), { numRuns: 200 });
  });
  it('invariant under strictly increasing transforms of x and y', () => {
    fc.assert(fc.property(tiedArrays, ([x, y]) => {
      const a = weightedKendallTau(x, y);
      const b = weightedKendallTau(x.map((v) => Math.exp(v) + 3), y.map((v) => v * v * v - 2));
      return Number.isNaN(a) ? Number.isNaN(b) : Math.abs(a - b) <= 1e-14;
    }), { numRuns: 200 });
  });
  it('in [−1, 1] and negated when y is negated and ranks do not tie', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer(), { minLength: 2, maxLength: 30 }), (x) => {
      const y = x.map((v, i) => v * 0.5 + ((i * 7919) % 13));
      const t = weightedKendallTau(x, y);
      return Number.isNaN(t) || (t >= -1 - 1e-15 && t <= 1 + 1e-15);
    }));
  });
});
