// Pearson r (spec §11): a hand-computed value, degenerate input, symmetry and affine invariance.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { pearson } from './pearson.ts';

describe('pearson', () => {
  it('x=[1,2,3], y=[1,3,2]: Σdxdy = 1, Σdx² = Σdy² = 2 → r = 1/2', () => {
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 15);
  });
  it('x=[0,1,2,3], y=[1,1,2,4]: means 1.5, 2; Σdxdy = 5, Σdx² = 5, Σdy² = 6 → 5/√30', () => {
    expect(pearson([0, 1, 2, 3], [1, 1, 2, 4])).toBeCloseTo(5 / Math.sqrt(30), 15);
  });
  it('perfect linear relations give ±1', () => {
    expect(pearson([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3, 4], [40, 30, 20, 10])).toBeCloseTo(-1, 15);
  });
  it('constant x or y → NaN + warning (also when rounding of the mean would leave a tiny variance)', () => {
    const msgs: string[] = [];
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3], (m) => msgs.push(m))).toBeNaN();
    expect(pearson([1, 2, 3], [7, 7, 7], (m) => msgs.push(m))).toBeNaN();
    expect(msgs).toHaveLength(2);
  });
  it('non-finite input → TeError', () => {
    expect(() => pearson([1, Infinity], [1, 2])).toThrow(TeError);
  });
  it('symmetric in x, y and invariant under positive affine maps', () => {
    const arr = fc.array(fc.integer({ min: -1000, max: 1000 }).map((v) => v / 10), { minLength: 3, maxLength: 20 });
    fc.assert(fc.property(arr, arr, (a, b) => {
      const n = Math.min(a.length, b.length);
      const x = a.slice(0, n), y = b.slice(0, n);
      const r = pearson(x, y);
      if (Number.isNaN(r)) return true;
      const s = pearson(y, x), t = pearson(x.map((v) => 3 * v + 5), y.map((v) => 0.5 * v - 1));
      return Math.abs(r - s) <= 1e-12 && Math.abs(r - t) <= 1e-9;
    }));
  });
});
