// TransRate (spec §6) on class-separated orthogonal data worked out by hand for both variants, plus the
// single-class zero and the effect of ε.
import { describe, expect, it } from 'vitest';
import { fromRows } from '../linalg/matrix.ts';
import { createRng } from '../sampling/rng.ts';
import { transrate } from './transrate.ts';

// Class 0 along e1 (±a), class 1 along e2 (±b): global mean 0, Z = F, ZᵀZ = diag(2a², 2b²), n = 4.
const a = 1, b = 2;
const rows = [[a, 0], [-a, 0], [0, b], [0, -b]];
const labels = [0, 0, 1, 1];

describe('transrate', () => {
  it('appendix: R(Z) − mean_c R(Z_c) with each class using its own n_c', () => {
    const eps = 1e-4;
    const rz = 0.5 * (Math.log(1 + (2 * a * a) / (4 * eps)) + Math.log(1 + (2 * b * b) / (4 * eps)));
    const r0 = 0.5 * Math.log(1 + (2 * a * a) / (2 * eps)); // Z_0ᵀZ_0 = diag(2a², 0), n_0 = 2
    const r1 = 0.5 * Math.log(1 + (2 * b * b) / (2 * eps));
    expect(transrate(fromRows(rows), labels)).toBeCloseTo(rz - (r0 + r1) / 2, 12);
    expect(transrate(fromRows(rows), labels, { eps: 0.1 })).toBeCloseTo(
      0.5 * (Math.log(1 + 2 / 0.4) + Math.log(1 + 8 / 0.4)) - 0.25 * (Math.log(1 + 2 / 0.2) + Math.log(1 + 8 / 0.2)), 12);
  });

  it('official_eig: unit rows, eigenvalues normalised by Σ eig(Z), rates divided by rank(Z), classes weighted n_c/n', () => {
    // After normalising: ±e1, ±e2. ZᵀZ/n = diag(½, ½) (sum 1, rank 2); Z_cᵀZ_c/n_c = diag(1, 0).
    // TrR = ½·[2 log(1 + ½/ε)]/2 − ½·Σ_c ½·[log(1 + 1/ε) + log 1]/2 = ½ log(1 + ½/ε) − ¼ log(1 + 1/ε).
    const eps = 1e-4;
    const want = 0.5 * Math.log(1 + 0.5 / eps) - 0.25 * Math.log(1 + 1 / eps);
    expect(transrate(fromRows(rows), labels, { variant: 'official_eig' })).toBeCloseTo(want, 12);
    // Row scaling does not matter to the official variant (rows are normalised), it does to the appendix one.
    const scaled = rows.map((r, i) => r.map((v) => v * (i + 1)));
    expect(transrate(fromRows(scaled), labels, { variant: 'official_eig' })).toBeCloseTo(want, 12);
    expect(Math.abs(transrate(fromRows(scaled), labels) - transrate(fromRows(rows), labels))).toBeGreaterThan(0.1);
  });

  it('is exactly 0 with one class, in both variants', () => {
    const rng = createRng(4);
    const f = fromRows(Array.from({ length: 30 }, () => [rng.normal(), rng.normal(), rng.normal()]));
    const one = new Array(30).fill(0);
    expect(transrate(f, one)).toBe(0);
    expect(transrate(f, one, { variant: 'official_eig' })).toBe(0);
  });
});
