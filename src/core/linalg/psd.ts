// Functions of symmetric positive semi-definite matrices through their eigendecomposition
// (estimators-spec §2.3: the stable symmetric PSD root with eigenvalues clamped at 0).
import { mat, type Mat } from './matrix.ts';
import { symmetricEigen } from './symmetricEigen.ts';

/** f(A) = V diag(f(λ)) Vᵀ for symmetric A; `f` receives each eigenvalue. */
export function symmetricMatrixFunction(a: Mat, f: (lambda: number) => number): Mat {
  const n = a.rows;
  const { values, vectors } = symmetricEigen(a.data, n);
  const out = new Float64Array(n * n);
  const v = vectors!;
  for (let k = 0; k < n; k++) {
    const fk = f(values[k]);
    if (fk === 0) continue;
    const row = k * n;
    for (let i = 0; i < n; i++) {
      const s = fk * v[row + i];
      if (s === 0) continue;
      const oi = i * n;
      for (let j = 0; j < n; j++) out[oi + j] += s * v[row + j];
    }
  }
  return mat(n, n, out);
}

/** The symmetric PSD square root, eigenvalues clamped at 0. */
export function psdSqrt(a: Mat): Mat {
  return symmetricMatrixFunction(a, (l) => Math.sqrt(Math.max(l, 0)));
}
