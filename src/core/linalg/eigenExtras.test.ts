// Checks of the linalg primitives added for CC-FV (Cholesky, nonsymmetric eigenvalues, the row-oriented
// eigenvalue-only tridiagonalisation) against hand-derived values and defining identities.
import { describe, expect, it } from 'vitest';
import { cholesky } from './cholesky.ts';
import { nonsymmetricEigenvalues } from './nonsymmetricEigenvalues.ts';
import { symmetricEigenvalues } from './symmetricEigen.ts';
import { tridiagonaliseLower } from './householderTridiagonal.ts';
import { createRng } from '../sampling/rng.ts';

function randomMatrix(n: number, seed: number, symmetric = false): Float64Array {
  const r = createRng(seed), a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = r.normal();
  if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];
  return a;
}

describe('cholesky', () => {
  it('factors [[4,2],[2,3]] as [[2,0],[1,√2]] and rejects an indefinite matrix', () => {
    const l = cholesky(new Float64Array([4, 2, 2, 3]), 2)!;
    expect(Array.from(l)).toEqual([2, 0, 1, expect.closeTo(Math.SQRT2, 15)]);
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBeNull();
    // Singular PSD [[1,1],[1,1]]: the second pivot is 0.
    expect(cholesky(new Float64Array([1, 1, 1, 1]), 2)).toBeNull();
  });
});

describe('nonsymmetricEigenvalues', () => {
  const sorted = (e: { re: Float64Array; im: Float64Array }) =>
    Array.from(e.re, (r, i) => [r, e.im[i]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  it('finds hand-derived real and complex eigenvalues', () => {
    // Rotation by 90°: ±i.
    const rot = sorted(nonsymmetricEigenvalues(new Float64Array([0, -1, 1, 0]), 2));
    expect(rot[0][0]).toBeCloseTo(0, 15);
    expect(rot.map((p) => p[1])).toEqual([expect.closeTo(-1, 14), expect.closeTo(1, 14)]);
    // Companion matrix of (x−1)(x−2)(x−3) = x³ − 6x² + 11x − 6.
    const comp = sorted(nonsymmetricEigenvalues(new Float64Array([6, -11, 6, 1, 0, 0, 0, 1, 0]), 3));
    comp.forEach(([re, im], k) => {
      expect(re).toBeCloseTo(k + 1, 12);
      expect(im).toBe(0);
    });
    // [[1,−2],[1,1]]: 1 ± i√2.
    const c = sorted(nonsymmetricEigenvalues(new Float64Array([1, -2, 1, 1]), 2));
    expect(c.map((p) => p[0])).toEqual([expect.closeTo(1, 14), expect.closeTo(1, 14)]);
    expect(c.map((p) => p[1])).toEqual([expect.closeTo(-Math.SQRT2, 14), expect.closeTo(Math.SQRT2, 14)]);
  });

  it('splits off a zero row exactly, like LAPACK balancing (dead channels give exact zero eigenvalues)', () => {
    // [[0,0,0],[1,2,3],[4,5,6]]: 0 exactly, and the eigenvalues of [[2,3],[5,6]]: 4 ± √19.
    const e = sorted(nonsymmetricEigenvalues(new Float64Array([0, 0, 0, 1, 2, 3, 4, 5, 6]), 3));
    expect(e.map((p) => p[0])).toEqual([expect.closeTo(4 - Math.sqrt(19), 14), 0, expect.closeTo(4 + Math.sqrt(19), 14)]);
    expect(e.map((p) => p[1])).toEqual([0, 0, 0]);
  });

  it('satisfies Σλ = tr A and Σλ² = tr A² on a random 60×60 matrix', () => {
    const n = 60, a = randomMatrix(n, 3);
    const { re, im } = nonsymmetricEigenvalues(a, n);
    let tr = 0, tr2 = 0, s1 = 0, s2 = 0, si = 0;
    for (let i = 0; i < n; i++) {
      tr += a[i * n + i];
      for (let k = 0; k < n; k++) tr2 += a[i * n + k] * a[k * n + i];
      s1 += re[i];
      si += im[i];
      s2 += re[i] * re[i] - im[i] * im[i];
    }
    expect(s1).toBeCloseTo(tr, 10);
    expect(si).toBeCloseTo(0, 10);
    expect(s2).toBeCloseTo(tr2, 8);
  });
});

describe('eigenvalue-only tridiagonalisation', () => {
  it('gives 2 − 2cos(kπ/(n+1)) for the 2,−1 tridiagonal matrix of size 50', () => {
    const n = 50, a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const v = symmetricEigenvalues(a, n);
    for (let k = 1; k <= n; k++) expect(v[k - 1]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 12);
  });

  it('preserves trace and Frobenius norm (Σλ, Σλ²) of a random symmetric 120×120 matrix', () => {
    const n = 120, a = randomMatrix(n, 5, true);
    const d = new Float64Array(n), e = new Float64Array(n);
    tridiagonaliseLower(Float64Array.from(a), n, d, e);
    let tr = 0, fro = 0, td = 0, tf = 0;
    for (let i = 0; i < n * n; i++) fro += a[i] * a[i];
    for (let i = 0; i < n; i++) {
      tr += a[i * n + i];
      td += d[i];
      tf += d[i] * d[i] + 2 * e[i] * e[i];
    }
    expect(e[0]).toBe(0);
    expect(td).toBeCloseTo(tr, 10);
    expect(tf / fro).toBeCloseTo(1, 12);
    const v = symmetricEigenvalues(a, n);
    let s2 = 0;
    for (const x of v) s2 += x * x;
    expect(s2 / fro).toBeCloseTo(1, 12);
  });

  it('handles rows that are already reduced (zero and single-entry rows) and sizes 1..3', () => {
    // Block diagonal diag(3, [[1,1],[1,1]]) rearranged so that some rows need no reflection: eigenvalues 0, 2, 3.
    const a = new Float64Array([1, 0, 1, 0, 3, 0, 1, 0, 1]);
    expect(Array.from(symmetricEigenvalues(a, 3))).toEqual([expect.closeTo(0, 14), expect.closeTo(2, 14), expect.closeTo(3, 14)]);
    expect(Array.from(symmetricEigenvalues(new Float64Array([2, 1, 1, 2]), 2))).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    expect(Array.from(symmetricEigenvalues(new Float64Array([-4]), 1))).toEqual([-4]);
    const z = new Float64Array(16);
    z[15] = 5;
    expect(Array.from(symmetricEigenvalues(z, 4))).toEqual([0, 0, 0, 5]);
  });
});
