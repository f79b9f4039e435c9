// Means and covariances of sample rows (features N×D), in float64 (estimators-spec §1, §2.3: np.cov, ddof = 1).
import { mat, type Mat } from './matrix.ts';

/** Column means of the rows of `x`. */
export function columnMeans(x: Mat): Float64Array {
  const mu = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) mu[j] += x.data[i * x.cols + j];
  for (let j = 0; j < x.cols; j++) mu[j] /= x.rows;
  return mu;
}

/** Rows of `x` minus their column means (a new matrix). */
export function centred(x: Mat, mu = columnMeans(x)): Mat {
  const out = new Float64Array(x.data.length);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) out[i * x.cols + j] = x.data[i * x.cols + j] - mu[j];
  return mat(x.rows, x.cols, out);
}

/**
 * Covariance of the rows of `x` (D×D): Σ = (X − μ)ᵀ(X − μ) / (N − ddof). ddof = 1 is numpy's `np.cov`.
 * With N − ddof ≤ 0 every entry is NaN (numpy's behaviour), so callers must check sample counts first.
 */
export function covariance(x: Mat, opts: { ddof?: number; mean?: Float64Array } = {}): Mat {
  const ddof = opts.ddof ?? 1;
  const mu = opts.mean ?? columnMeans(x);
  const d = x.cols;
  const c = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let r = 0; r < x.rows; r++) {
    const off = r * d;
    for (let j = 0; j < d; j++) row[j] = x.data[off + j] - mu[j];
    for (let i = 0; i < d; i++) {
      const xi = row[i];
      if (xi === 0) continue;
      const ci = i * d;
      for (let j = i; j < d; j++) c[ci + j] += xi * row[j];
    }
  }
  const denom = x.rows - ddof;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = denom > 0 ? c[i * d + j] / denom : NaN;
      c[i * d + j] = v;
      c[j * d + i] = v;
    }
  }
  return mat(d, d, c);
}
