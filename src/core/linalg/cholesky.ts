// Cholesky factorisation A = L Lᵀ of a symmetric positive-definite matrix (flat row-major float64).
// Used for per-case triangular factors of covariances (estimators-spec §2.3: fast W₂ between Gaussians).

/**
 * Lower-triangular L (row-major n×n, zeros above the diagonal) with A = L Lᵀ, or `null` when a pivot
 * is ≤ relTol · max diag(A) (A not numerically positive definite). Only the lower triangle of `a` is read.
 */
export function cholesky(a: Float64Array, n: number, relTol = 0): Float64Array | null {
  if (a.length < n * n) throw new RangeError(`cholesky: expected ${n}×${n} values, got ${a.length}`);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i]);
  const tol = relTol * maxDiag;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let j = 0; j <= i; j++) {
      const lj = j * n;
      let s = a[li + j];
      for (let k = 0; k < j; k++) s -= l[li + k] * l[lj + k];
      if (i === j) {
        if (!(s > tol) || !(s > 0)) return null;
        l[li + i] = Math.sqrt(s);
      } else {
        l[li + j] = s / l[lj + j];
      }
    }
  }
  return l;
}
