// GBC, Gaussian Bhattacharyya Coefficient (Pándy et al., CVPR 2022), estimators-spec §8, as google-research
// `stable_transfer/transferability/gbc.py`: `diagonal` or `spherical` class Gaussians, optional PCA to k dims.
// Per-class means and population variances (ddof 0, floored at 1e-4) in O(N·D); PCA through the D×D covariance.
import { TeError } from '../errors.ts';
import { mat, type Mat } from '../linalg/matrix.ts';
import { centredClassGrams, totalGram } from '../linalg/classScatter.ts';
import { symmetricEigen } from '../linalg/symmetricEigen.ts';
import { preparePooled, type WarnFn } from './labels.ts';

export type GbcGaussian = 'diagonal' | 'spherical';

export interface GbcOptions {
  /** Default `diagonal` (the segmentation config of the official code). */
  gaussian?: GbcGaussian;
  /** Reduce the features to this many principal components first (sklearn PCA, svd_solver 'full'). */
  pcaDims?: number;
  onWarning?: WarnFn;
}

const VARIANCE_FLOOR = 1e-4;

/**
 * GBC score (≤ 0, higher = better separated classes): −Σ over ORDERED class pairs (c1 ≠ c2) of exp(−D_B).
 * One class → 0 (empty sum). GBC uses only the classes present, so label ids do not matter (no remapping needed,
 * but non-contiguous ids are still reported). A class with one sample has variance 0 → floored at 1e-4.
 */
export function gbc(features: Mat, labels: ArrayLike<number>, opts: GbcOptions = {}): number {
  const gaussian = opts.gaussian ?? 'diagonal';
  const name = `gbc_${gaussian}${opts.pcaDims ? `_pca${opts.pcaDims}` : ''}`;
  const lab = preparePooled(features, labels, name, opts.onWarning);
  const x = opts.pcaDims ? pcaProject(features, opts.pcaDims) : features;
  const moments = classMeanVariance(x, lab.y, lab.numClasses);
  warnFloored(moments, name, opts.onWarning);
  return gbcFromStats(moments, gaussian);
}

/** Reports class variances that hit the 1e-4 floor (constant or dead channels, one-sample classes). */
export function warnFloored(m: ClassMoments, estimator: string, warn?: WarnFn): void {
  if (!warn || m.floored === 0) return;
  warn({
    code: 'rank-deficient',
    message: `${estimator}: ${m.floored} of ${m.numClasses * m.d} class variances were below ${VARIANCE_FLOOR} and floored (constant features or tiny classes)`,
  });
}

export interface ClassMoments {
  d: number;
  numClasses: number;
  /** C×D class means. */
  means: Float64Array;
  /** C×D population variances (ddof 0) floored at 1e-4 (`tf.maximum(variance, 1e-4)`). */
  variances: Float64Array;
  /** How many variances were below the floor. */
  floored: number;
}

/** Two passes: class means, then mean squared deviations from them. */
export function classMeanVariance(x: Mat, y: Int32Array, numClasses: number): ClassMoments {
  const { rows: n, cols: d, data } = x;
  const counts = new Float64Array(numClasses);
  const means = new Float64Array(numClasses * d);
  const variances = new Float64Array(numClasses * d);
  for (let i = 0; i < n; i++) {
    const c = y[i] * d, o = i * d;
    counts[y[i]]++;
    for (let j = 0; j < d; j++) means[c + j] += data[o + j];
  }
  for (let c = 0; c < numClasses; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  for (let i = 0; i < n; i++) {
    const c = y[i] * d, o = i * d;
    for (let j = 0; j < d; j++) {
      const dev = data[o + j] - means[c + j];
      variances[c + j] += dev * dev;
    }
  }
  let floored = 0;
  for (let c = 0; c < numClasses; c++) {
    for (let j = 0; j < d; j++) {
      const v = variances[c * d + j] / counts[c];
      if (v < VARIANCE_FLOOR) floored++;
      variances[c * d + j] = Math.max(v, VARIANCE_FLOOR);
    }
  }
  return { d, numClasses, means, variances, floored };
}

/** −Σ_{c1 ≠ c2} exp(−D_B(c1, c2)). */
export function gbcFromStats(m: ClassMoments, gaussian: GbcGaussian): number {
  const { d, numClasses: k } = m;
  const vars = gaussian === 'diagonal' ? m.variances : sphericalVariances(m);
  const vd = gaussian === 'diagonal' ? d : 1; // stride of the variance vectors
  let total = 0;
  for (let c1 = 0; c1 < k; c1++) {
    let row = 0;
    for (let c2 = 0; c2 < k; c2++) {
      if (c1 !== c2) row += Math.exp(-bhattacharyya(m.means, vars, c1, c2, d, vd));
    }
    total += row;
  }
  return -total;
}

/** gbc.py `compute_bhattacharyya_distance`: diagonal (vd = D) or spherical (vd = 1: scalar, log-det NOT × D). */
function bhattacharyya(means: Float64Array, vars: Float64Array, c1: number, c2: number, d: number, vd: number): number {
  let first = 0;
  for (let j = 0; j < d; j++) {
    const diff = means[c1 * d + j] - means[c2 * d + j];
    const avg = (vars[c1 * vd + (vd === 1 ? 0 : j)] + vars[c2 * vd + (vd === 1 ? 0 : j)]) / 2;
    first += (diff * diff) / avg;
  }
  let logAvg = 0, log1 = 0, log2 = 0;
  for (let j = 0; j < vd; j++) {
    const v1 = vars[c1 * vd + j], v2 = vars[c2 * vd + j];
    logAvg += Math.log((v1 + v2) / 2);
    log1 += Math.log(v1);
    log2 += Math.log(v2);
  }
  return first / 8 + 0.5 * (logAvg - 0.5 * log1 - 0.5 * log2);
}

/** Spherical: each class's variance is the mean over dimensions of its floored per-dimension variances. */
function sphericalVariances(m: ClassMoments): Float64Array {
  const out = new Float64Array(m.numClasses);
  for (let c = 0; c < m.numClasses; c++) {
    let s = 0;
    for (let j = 0; j < m.d; j++) s += m.variances[c * m.d + j];
    out[c] = s / m.d;
  }
  return out;
}

/**
 * sklearn PCA(n_components = k, svd_solver 'full'): (X − mean) projected on the top-k eigenvectors of the
 * covariance (sign flips do not change GBC). `centred` (global mean and Gram of the centred rows) skips the pass. Needs k ≤ min(N, D) as sklearn does. The official pipeline then casts
 * to float32 (changes GBC by ~1e-9 relative, spec §8); we keep float64 like the reference implementation.
 */
export function pcaProject(x: Mat, k: number, centred?: { mean: Float64Array; gram: Float64Array }): Mat {
  const { rows: n, cols: d, data } = x;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) {
    throw new TeError('invalid-input', `gbc: PCA to ${k} dims needs 1 ≤ k ≤ min(N, D) = ${Math.min(n, d)}`, { k, rows: n, cols: d });
  }
  const g = centred ?? wholeGram(x);
  const { vectors } = symmetricEigen(g.gram, d);
  const out = new Float64Array(n * k);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j] - g.mean[j];
    for (let c = 0; c < k; c++) {
      const v = (d - 1 - c) * d; // eigenvalues ascend: component c is row d−1−c
      let s = 0;
      for (let j = 0; j < d; j++) s += row[j] * vectors![v + j];
      out[i * k + c] = s;
    }
  }
  return mat(n, k, out);
}

/** Mean and Gram of the centred rows (the covariance up to a factor, which PCA does not need). */
function wholeGram(x: Mat): { mean: Float64Array; gram: Float64Array } {
  const g = centredClassGrams(x, new Int32Array(x.rows), 1);
  return { mean: g.mean, gram: totalGram(g) };
}
