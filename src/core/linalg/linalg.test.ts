// Linear-algebra checks against hand-derived values and defining identities (A v = λ v, VᵀV = I).
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenvalues } from './symmetricEigen.ts';
import { covariance } from './covariance.ts';
import { fromRows, matmul } from './matrix.ts';
import { psdSqrt } from './psd.ts';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

describe('symmetricEigen', () => {
  it('matches hand-derived eigenvalues of small matrices', () => {
    // [[2,1],[1,2]] has eigenvalues 1 and 3.
    expect(Array.from(symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2))).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    // Tridiagonal 2,-1 matrix of size 3: 2 - 2cos(kπ/4), k = 1..3 → 2 - √2, 2, 2 + √2.
    const t = new Float64Array([2, -1, 0, -1, 2, -1, 0, -1, 2]);
    const v = symmetricEigenvalues(t, 3);
    expect(v[0]).toBeCloseTo(2 - Math.SQRT2, 13);
    expect(v[1]).toBeCloseTo(2, 13);
    expect(v[2]).toBeCloseTo(2 + Math.SQRT2, 13);
  });

  it('satisfies A v = λ v with orthonormal vectors on a random 40×40 matrix', () => {
    const n = 40, r = seeded(7);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = r();
    const { values, vectors } = symmetricEigen(a, n);
    let maxRes = 0, maxOrth = 0;
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += a[i * n + j] * vectors![k * n + j];
        maxRes = Math.max(maxRes, Math.abs(s - values[k] * vectors![k * n + i]));
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors![k * n + i] * vectors![l * n + i];
        maxOrth = Math.max(maxOrth, Math.abs(dot - (k === l ? 1 : 0)));
      }
    }
    expect(maxRes).toBeLessThan(1e-12);
    expect(maxOrth).toBeLessThan(1e-12);
    for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
    // Eigenvalues alone agree with the full decomposition, and their sum is the trace.
    const only = symmetricEigenvalues(a, n);
    let tr = 0, sum = 0;
    for (let i = 0; i < n; i++) { tr += a[i * n + i]; sum += only[i]; expect(only[i]).toBeCloseTo(values[i], 12); }
    expect(sum).toBeCloseTo(tr, 11);
  });

  it('handles diagonal, zero and 1×1 matrices', () => {
    expect(Array.from(symmetricEigenvalues(new Float64Array([5]), 1))).toEqual([5]);
    expect(Array.from(symmetricEigenvalues(new Float64Array([3, 0, 0, -1]), 2))).toEqual([-1, 3]);
    expect(Array.from(symmetricEigenvalues(new Float64Array(9), 3))).toEqual([0, 0, 0]);
  });
});

describe('covariance and PSD root', () => {
  it('covariance uses ddof = 1 like np.cov', () => {
    // x = [1,2,3,4], y = 2x: var(x) = 5/3, cov = 10/3, var(y) = 20/3.
    const c = covariance(fromRows([[1, 2], [2, 4], [3, 6], [4, 8]]));
    expect(Array.from(c.data)).toEqual([expect.closeTo(5 / 3, 14), expect.closeTo(10 / 3, 14), expect.closeTo(10 / 3, 14), expect.closeTo(20 / 3, 14)]);
    expect(Number.isNaN(covariance(fromRows([[1, 2]])).data[0])).toBe(true);
  });

  it('psdSqrt squares back to the matrix and clamps negative eigenvalues', () => {
    const a = fromRows([[4, 2], [2, 3]]);
    const s = psdSqrt(a);
    const back = matmul(s, s);
    for (let i = 0; i < 4; i++) expect(back.data[i]).toBeCloseTo(a.data[i], 13);
    // [[1,0],[0,-1]] → root of the clamped matrix diag(1, 0).
    expect(Array.from(psdSqrt(fromRows([[1, 0], [0, -1]])).data)).toEqual([1, 0, 0, 0]);
  });
});
