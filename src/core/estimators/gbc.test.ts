// GBC (spec §8) on hand-derived Bhattacharyya distances: 1-D classes, the variance floor, the spherical
// variant (log-det term not × D), identical classes, and PCA onto the only informative direction.
import { describe, expect, it } from 'vitest';
import { fromRows } from '../linalg/matrix.ts';
import { gbc } from './gbc.ts';

describe('gbc', () => {
  it('two 1-D classes with equal variance: D_B = (μ1 − μ2)²/(8σ²), counted for both ordered pairs', () => {
    // class 0: {0, 2} → μ 1, population variance 1; class 1: {4, 6} → μ 5, variance 1 → D_B = 16/8 = 2.
    const f = fromRows([[0], [2], [4], [6]]);
    expect(gbc(f, [0, 0, 1, 1])).toBeCloseTo(-2 * Math.exp(-2), 15);
    expect(gbc(f, [0, 0, 1, 1], { gaussian: 'spherical' })).toBeCloseTo(-2 * Math.exp(-2), 15);
  });

  it('floors zero variances at 1e-4; spherical averages them and does not multiply the log-det term by D', () => {
    // Second dimension constant 0 → variance floored to 1e-4 in both classes.
    const f = fromRows([[0, 0], [2, 0], [4, 0], [6, 0]]);
    // diagonal: (1/8)(16/1 + 0) + ½(log 1 + log 1e-4 − ½(log 1 + log 1e-4) − ½(log 1 + log 1e-4)) = 2.
    expect(gbc(f, [0, 0, 1, 1])).toBeCloseTo(-2 * Math.exp(-2), 14);
    // spherical: σ² = (1 + 1e-4)/2 in both classes → D_B = (1/8)·16/σ² + ½(log σ² − ½ log σ² − ½ log σ²) = 2/σ².
    const s2 = (1 + 1e-4) / 2;
    expect(gbc(f, [0, 0, 1, 1], { gaussian: 'spherical' })).toBeCloseTo(-2 * Math.exp(-2 / s2), 14);
  });

  it('identical classes give BC = 1 for every ordered pair: −C(C−1)', () => {
    const block = [[0, 1], [2, 3]];
    const f = fromRows([...block, ...block, ...block]);
    expect(gbc(f, [0, 0, 1, 1, 2, 2])).toBeCloseTo(-6, 15);
    expect(gbc(f, [0, 0, 1, 1, 2, 2], { gaussian: 'spherical' })).toBeCloseTo(-6, 15);
  });

  it('is 0 with a single class', () => {
    expect(gbc(fromRows([[0], [1], [5]]), [3, 3, 3])).toBe(-0);
  });

  it('PCA to 1 dim keeps the only varying direction (a rotated copy of the 1-D case)', () => {
    // Points on the line t·(3, 4)/5: the projection is ±t, so GBC equals the 1-D value for t ∈ {0, 2, 4, 6}.
    const f = fromRows([0, 2, 4, 6].map((t) => [(3 * t) / 5, (4 * t) / 5]));
    expect(gbc(f, [0, 0, 1, 1], { pcaDims: 1 })).toBeCloseTo(-2 * Math.exp(-2), 12);
    expect(() => gbc(f, [0, 0, 1, 1], { pcaDims: 3 })).toThrow(/min\(N, D\)/);
  });
});

describe('gbc variance floor warning', () => {
  it('reports floored variances (a constant channel)', () => {
    const codes: string[] = [];
    gbc(fromRows([[0, 0], [2, 0], [4, 0], [6, 0]]), [0, 0, 1, 1], { onWarning: (w) => codes.push(w.code) });
    expect(codes).toEqual(['rank-deficient']);
  });
});
