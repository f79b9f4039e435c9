// H-score (spec §7) by hand: 1-D it is between-class over total sum of squares; a duplicated (singular)
// column gives the same value through the pseudo-inverse, with a rank warning.
import { describe, expect, it } from 'vitest';
import type { TeWarning } from '../errors.ts';
import { fromRows } from '../linalg/matrix.ts';
import { hscore } from './hscore.ts';

describe('hscore', () => {
  it('1-D, 2 classes: tr(cov f⁻¹ cov g) = between SS / total SS', () => {
    // x = [0, 1, 3, 4], μ = 2, class means 0.5 and 3.5: between = 2·1.5² + 2·1.5² = 9, total = 4 + 1 + 1 + 4 = 10.
    expect(hscore(fromRows([[0], [1], [3], [4]]), [0, 0, 1, 1])).toBeCloseTo(0.9, 14);
  });

  it('2-D with independent directions: the sum of the per-direction ratios', () => {
    // dim 0 as above (0.9); dim 1 = [1, −1, −1, 1] has class means 0 → adds 0, and is uncorrelated with dim 0
    // (Σ (−2, −1, 1, 2)·(1, −1, −1, 1) = 0), so cov f is diagonal.
    expect(hscore(fromRows([[0, 1], [1, -1], [3, -1], [4, 1]]), [0, 0, 1, 1])).toBeCloseTo(0.9, 14);
    // Correlated instead (dim 1 = [1, −1, 1, −1]): scatter S = [[10, −2], [−2, 4]], between B = 9 in entry (0, 0),
    // H = 9·(S⁻¹)₀₀ = 9·4/(40 − 4) = 1.
    expect(hscore(fromRows([[0, 1], [1, -1], [3, 1], [4, -1]]), [0, 0, 1, 1])).toBeCloseTo(1, 14);
  });

  it('a duplicated column makes cov f singular: pinv gives the 1-D value and a rank warning', () => {
    const warnings: TeWarning[] = [];
    const h = hscore(fromRows([[0, 0], [1, 1], [3, 3], [4, 4]]), [0, 0, 1, 1], { onWarning: (w) => warnings.push(w) });
    expect(h).toBeCloseTo(0.9, 12);
    expect(warnings.map((w) => w.code)).toContain('rank-deficient');
  });

  it('is 0 with one class (up to the rounding of the class-mean offset)', () => {
    expect(Math.abs(hscore(fromRows([[0, 1], [1, 5], [3, 2]]), [0, 0, 0]))).toBeLessThan(1e-28);
  });
});

describe('hscore near-singular warning', () => {
  it('flags a near-singular cov f (condition number beyond 1e12) and stays quiet on a well-conditioned one', () => {
    const warnings: TeWarning[] = [];
    // Second column = first + 1e-7·(tiny independent wiggle): cov f has eigenvalues ≈ 2·var and ≈ 1e-14·var.
    const rows = [[0, 1e-7], [1, 1 - 1e-7], [3, 3 + 2e-7], [4, 4 - 2e-7], [2, 2 + 1e-7]];
    hscore(fromRows(rows), [0, 0, 1, 1, 1], { onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.code)).toEqual(['rank-deficient']);
    const clean: TeWarning[] = [];
    hscore(fromRows([[0, 1], [1, -1], [3, -1], [4, 1], [2, 0]]), [0, 0, 1, 1, 1], { onWarning: (w) => clean.push(w) });
    expect(clean).toEqual([]);
  });
});
