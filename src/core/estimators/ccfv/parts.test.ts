// Hand-derived checks of the CC-FV building blocks (estimators-spec §2.3–§2.5): W₂ between Gaussians in both forms,
// the scipy-style complex trace, hyperspherical energy, feature variety and class consistency.
import { describe, expect, it } from 'vitest';
import { fromRows, type Mat } from '../../linalg/matrix.ts';
import { createRng } from '../../sampling/rng.ts';
import { classConsistencyOfficial, classConsistencyPaper } from './classConsistency.ts';
import { featureVarietyOfficial, featureVarietyPaper } from './featureVariety.ts';
import { covFactor, fitGaussian, setCommonChannels } from './gaussian.ts';
import { hypersphericalEnergy } from './hypersphericalEnergy.ts';
import { complexSqrt, traceSqrtmScipy, w2Gaussian } from './w2Gaussian.ts';

const col = (xs: number[]): Mat => fromRows(xs.map((x) => [x]));
function randomRows(n: number, d: number, seed: number, scale = 1): Mat {
  const r = createRng(seed);
  return fromRows(Array.from({ length: n }, () => Array.from({ length: d }, () => scale * r.normal())));
}
const mapRows = (x: Mat, f: (row: number[]) => number[]): Mat =>
  fromRows(Array.from({ length: x.rows }, (_, i) => f(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)))));

describe('W₂ between fitted Gaussians', () => {
  it('1-D: √((μ₁ − μ₂)² + (σ₁ − σ₂)²) with ddof = 1', () => {
    // [0, 2]: μ = 1, σ² = 2; [5, 6, 7]: μ = 6, σ² = 1.
    const expected = Math.sqrt(25 + (Math.SQRT2 - 1) ** 2);
    const w = w2Gaussian(col([0, 2]), col([5, 6, 7]));
    expect(w.symmetric).toBeCloseTo(expected, 13);
    expect(w.scipy_sqrtm).toBeCloseTo(expected, 13);
    expect(w.squared_symmetric).toBeCloseTo(expected ** 2, 12);
  });

  it('diagonal covariances: W₂² = ‖Δμ‖² + Σ_k (σ₁ₖ − σ₂ₖ)² (triangular factor path, n − 1 ≥ D)', () => {
    // {(±a, 0), (0, ±b)}: mean 0, Σ = diag(2a²/3, 2b²/3).
    const set = (a: number, b: number, s: number[]) => fromRows([[a, 0], [-a, 0], [0, b], [0, -b]].map(([x, y]) => [x + s[0], y + s[1]]));
    const sd = (a: number) => Math.sqrt((2 * a * a) / 3);
    const expected = Math.sqrt(1 + 4 + (sd(1) - sd(3)) ** 2 + (sd(2) - sd(0.5)) ** 2);
    const x1 = set(1, 2, [0, 0]), x2 = set(3, 0.5, [1, -2]);
    const g = fitGaussian(x1);
    setCommonChannels([g]);
    expect(covFactor(g).kind).toBe('triangular');
    const w = w2Gaussian(x1, x2);
    expect(w.symmetric).toBeCloseTo(expected, 13);
    expect(w.scipy_sqrtm).toBeCloseTo(expected, 13);
  });

  it('proportional covariances Σ₂ = c²Σ₁: W₂² = ‖Δμ‖² + (1 − c)² tr Σ₁, on every factor path', () => {
    for (const [n, d] of [[40, 5], [4, 6], [12, 12], [60, 21], [40, 17]]) {
      const x1 = randomRows(n, d, n * 31 + d);
      const c = 2.5, shift = Array.from({ length: d }, (_, j) => j - 1);
      const x2 = mapRows(x1, (row) => row.map((v, j) => c * v + shift[j]));
      const g1 = fitGaussian(x1);
      // μ₂ − μ₁ = (c − 1)μ₁ + shift.
      const dm2 = shift.reduce((s, v, j) => s + ((c - 1) * g1.mean[j] + v) ** 2, 0);
      const expected = Math.sqrt(dm2 + (1 - c) ** 2 * g1.traceCov);
      const w = w2Gaussian(x1, x2);
      expect(w.symmetric / expected).toBeCloseTo(1, 9);
      expect(w.scipy_sqrtm / expected).toBeCloseTo(1, 7);
    }
  });

  it('rank-deficient with n > D (a duplicated channel → eigen factor path): W₂² = Δμ² + 2(σ₁ − σ₂)²', () => {
    const a = [0, 1, 2, 3, 4, 5], b = [1, 1.5, 2, 2.5, 3, 3.5, 4];
    const x1 = fromRows(a.map((v) => [v, v, 0])), x2 = fromRows(b.map((v) => [v + 1, v + 1, 0]));
    const m = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, v) => s + (v - m(xs)) ** 2, 0) / (xs.length - 1));
    const dm = m(b) + 1 - m(a);
    const expected = Math.sqrt(2 * dm * dm + 2 * (sd(a) - sd(b)) ** 2);
    const g = fitGaussian(x1);
    setCommonChannels([g]);
    expect(covFactor(g).kind).toBe('eigen');
    expect(covFactor(g).rank).toBe(1);
    const w = w2Gaussian(x1, x2);
    expect(w.symmetric).toBeCloseTo(expected, 12);
    expect(w.scipy_sqrtm).toBeCloseTo(expected, 6);
  });

  it('identical sets give 0, W₂ is symmetric in its arguments, and < 2 samples give NaN', () => {
    const x = randomRows(30, 8, 2), y = randomRows(25, 8, 3, 2);
    const same = w2Gaussian(x, x);
    expect(same.symmetric).toBeLessThan(1e-6);
    expect(same.scipy_sqrtm).toBeLessThan(1e-6);
    const ab = w2Gaussian(x, y), ba = w2Gaussian(y, x);
    expect(ab.symmetric).toBeCloseTo(ba.symmetric, 12);
    expect(ab.scipy_sqrtm).toBeCloseTo(ba.scipy_sqrtm, 10);
    expect(ab.symmetric).toBeCloseTo(ab.scipy_sqrtm, 10);
    const one = w2Gaussian(randomRows(1, 8, 4), y);
    expect(Number.isNaN(one.symmetric) && Number.isNaN(one.scipy_sqrtm)).toBe(true);
  });
});

describe('scipy-style trace of sqrtm of a non-symmetric product', () => {
  it('principal complex roots as numpy takes them', () => {
    expect(complexSqrt(-4, 0)).toEqual([0, 2]);
    expect(complexSqrt(3, 4).map((v) => +v.toFixed(14))).toEqual([2, 1]);
    expect(complexSqrt(3, -4).map((v) => +v.toFixed(14))).toEqual([2, -1]);
  });

  it('tr sqrtm(A B) for a negative eigenvalue and a complex pair', () => {
    const i2 = fromRows([[1, 0], [0, 1]]);
    // Eigenvalues 4 and −9: 2 + 3i.
    const t = traceSqrtmScipy(i2, fromRows([[4, 0], [0, -9]]));
    expect(t.re).toBeCloseTo(2, 14);
    expect(t.im).toBeCloseTo(3, 14);
    // Rotation by 90°, eigenvalues ±i: √i + √(−i) = √2.
    const r = traceSqrtmScipy(i2, fromRows([[0, -1], [1, 0]]));
    expect(r.re).toBeCloseTo(Math.SQRT2, 14);
    expect(r.im).toBeCloseTo(0, 14);
  });
});

describe('hyperspherical energy (eq. 3)', () => {
  it('points 0, 1, 3 on a line: s = 1, 2, 0 over ordered and unordered pairs', () => {
    const x = col([0, 1, 3]);
    expect(hypersphericalEnergy(x, { s: 1, pairs: 'unordered' }).energy).toBeCloseTo(1 + 1 / 3 + 1 / 2, 14);
    expect(hypersphericalEnergy(x).energy).toBeCloseTo(2 * (1 + 1 / 3 + 1 / 2), 14);
    expect(hypersphericalEnergy(x, { s: 2 }).energy).toBeCloseTo(2 * (1 + 1 / 9 + 1 / 4), 14);
    expect(hypersphericalEnergy(x, { s: 0 }).energy).toBeCloseTo(-2 * Math.log(6), 14);
  });

  it('unit sphere: (2,0), (0,3), (−5,0) → (1,0), (0,1), (−1,0); duplicates → ∞; zero rows → NaN', () => {
    const e = hypersphericalEnergy(fromRows([[2, 0], [0, 3], [-5, 0]]), { unitSphere: true });
    expect(e.energy).toBeCloseTo(2 * (2 / Math.SQRT2 + 1 / 2), 14);
    const dup = hypersphericalEnergy(fromRows([[1, 2], [1, 2], [0, 0]]));
    expect(dup.energy).toBe(Infinity);
    expect(dup.zeroDistancePairs).toBe(2);
    expect(Number.isNaN(hypersphericalEnergy(fromRows([[1, 2], [0, 0]]), { unitSphere: true }).energy)).toBe(true);
  });

  it('is unchanged by a large common translation (centred Gram form)', () => {
    const x = randomRows(50, 6, 9, 0.01);
    const far = mapRows(x, (row) => row.map((v) => v + 1e4));
    expect(hypersphericalEnergy(far).energy / hypersphericalEnergy(x).energy).toBeCloseTo(1, 9);
  });
});

describe('feature variety and class consistency', () => {
  it('official F_v = mean over case pairs of (‖m_i − m_j‖² + 1e-3)^{−1/2}', () => {
    const cases = [col([0, 2]), col([3, 5, 7]), col([1])]; // means 1, 5, 1
    const expected = (1 / Math.sqrt(16.001) + 1 / Math.sqrt(0.001) + 1 / Math.sqrt(16.001)) / 3;
    expect(featureVarietyOfficial(cases)).toBeCloseTo(expected, 12);
  });

  it('paper F_v = (1/N) Σ 1/E₁ over ordered pairs', () => {
    // Two rows at distance d: E₁ = 2/d, 1/E₁ = d/2.
    const r = featureVarietyPaper([col([0, 2]), col([1, 5])]);
    expect(r.fv).toBeCloseTo((1 + 2) / 2, 14);
    expect(r.energies).toEqual([1, 0.5]);
    expect(Number.isNaN(featureVarietyPaper([col([1]), col([1, 2])]).fv)).toBe(true);
  });

  it('official C_cons: w ← (w + S_k)(1 + 2/(N²K)); paper: 2 Σ S_k / (N(N − 1))', () => {
    expect(classConsistencyOfficial([6], 3)).toBeCloseTo(6 * (1 + 2 / 9), 14);
    const f = 1 + 2 / (16 * 2);
    expect(classConsistencyOfficial([3, 5], 4)).toBeCloseTo((3 * f + 5) * f, 14);
    expect(classConsistencyPaper([3, 5], 4)).toBeCloseTo((2 * 8) / 12, 14);
  });
});
