// Initial t-SNE layouts (sklearn 1.2 init='pca' and init='random'): the first two principal components
// rescaled so that PC1 has standard deviation 1e-4, or N(0, 1e-4²) draws; both seeded (issue 5 item 5).
import { columnMeans, covariance } from '../linalg/covariance.ts';
import { mat } from '../linalg/matrix.ts';
import { symmetricEigen } from '../linalg/symmetricEigen.ts';
import type { Rng } from '../sampling/rng.ts';

const SCALE = 1e-4;
/** Relative size of the seeded jitter added to the PCA layout (see pcaInit). */
export const PCA_JITTER = 1e-3;

/** sklearn's init='random': n×2 draws from N(0, 1e-4²). */
export function randomInit(n: number, rng: Rng): Float64Array {
  const y = new Float64Array(2 * n);
  for (let a = 0; a < 2 * n; a++) y[a] = SCALE * rng.normal();
  return y;
}

/** Scores of the centred rows on the top-2 principal axes, signs as sklearn's svd_flip (largest |score| positive). */
export function pcaScores(x: Float64Array, n: number, dim: number): Float64Array {
  const m = mat(n, dim, x);
  const mu = columnMeans(m);
  const { vectors } = symmetricEigen(covariance(m, { ddof: 1, mean: mu }).data, dim, { vectors: true });
  const y = new Float64Array(2 * n);
  for (let c = 0; c < 2; c++) {
    const axis = dim - 1 - c; // ascending eigenvalues: the largest is last; vector k is row k
    let best = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += (x[i * dim + d] - mu[d]) * vectors![axis * dim + d];
      y[2 * i + c] = s;
      if (Math.abs(s) > Math.abs(best)) best = s;
    }
    if (best < 0) for (let i = 0; i < n; i++) y[2 * i + c] = -y[2 * i + c];
  }
  return y;
}

/**
 * sklearn's init='pca': PCA scores divided by std(PC1) and multiplied by 1e-4, plus seeded Gaussian
 * jitter of 1e-3 × that scale. The jitter (not in sklearn) separates duplicate feature vectors, which
 * otherwise keep identical gradients forever, and makes the seed meaningful. Falls back to the random
 * layout when PC1 has zero variance (all points identical) or dim < 2 leaves PC2 undefined.
 */
export function pcaInit(x: Float64Array, n: number, dim: number, rng: Rng): Float64Array {
  if (dim < 2) return randomInit(n, rng);
  const y = pcaScores(x, n, dim);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[2 * i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (y[2 * i] - mean) ** 2;
  const sd = Math.sqrt(v / n);
  if (!(sd > 0) || !Number.isFinite(sd)) return randomInit(n, rng);
  const f = SCALE / sd;
  for (let a = 0; a < 2 * n; a++) y[a] = y[a] * f + PCA_JITTER * SCALE * rng.normal();
  return y;
}
