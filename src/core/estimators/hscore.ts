// H-score (Bao et al., ICIP 2019), estimators-spec §7, as tllib `hscore.py::h_score`:
// H = tr(pinv(cov f) · cov(E[f|y])), both np.cov (ddof 1), pinv with rcond 1e-15. D×D only, never N×N.
import type { Mat } from '../linalg/matrix.ts';
import { centredClassGrams, totalGram, type CentredClassGrams } from '../linalg/classScatter.ts';
import { deflatedSymmetricEigen } from '../linalg/deflatedSymmetricEigen.ts';
import { preparePooled, type WarnFn } from './labels.ts';

export interface HscoreOptions {
  onWarning?: WarnFn;
}

/**
 * H-score (≥ 0, higher = better): features N×D, labels N (non-contiguous ids are remapped with a warning; tllib
 * loops over range(max+1) and takes the mean of an empty class → NaN). One class → 0 (no between-class spread).
 */
export function hscore(features: Mat, labels: ArrayLike<number>, opts: HscoreOptions = {}): number {
  const lab = preparePooled(features, labels, 'hscore', opts.onWarning);
  return hscoreFromClassGrams(centredClassGrams(features, lab.y, lab.numClasses), opts.onWarning);
}

/**
 * From per-class Grams of the globally centred rows: cov f = Σ_c G_c/(N−1); cov g = Σ_c n_c δ_c δ_cᵀ/(N−1) with
 * δ_c = μ_c − μ (the class mean broadcast to its rows, centred). With cov f = Σ_k λ_k v_k v_kᵀ, the pseudo-inverse
 * keeps |λ_k| > 1e-15·max|λ| (numpy's SVD cut) and H = Σ_k Σ_c n_c (v_kᵀδ_c)² / ((N−1) λ_k).
 */
export function hscoreFromClassGrams(g: CentredClassGrams, warn?: WarnFn): number {
  const d = g.d;
  let n = 0;
  for (const c of g.counts) n += c;
  const cov = totalGram(g);
  for (let k = 0; k < cov.length; k++) cov[k] /= n - 1;
  const { values, vectors } = deflatedSymmetricEigen(cov, d); // dead channels: exact zeros, dropped
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  const deltas = classOffsets(g);
  let h = 0, dropped = 0, minKept = Infinity;
  for (let k = 0; k < d; k++) {
    if (!(Math.abs(values[k]) > 1e-15 * maxAbs)) {
      dropped++;
      continue;
    }
    minKept = Math.min(minKept, Math.abs(values[k]));
    let between = 0;
    for (let c = 0; c < g.numClasses; c++) {
      let p = 0;
      for (let j = 0; j < d; j++) p += vectors![k * d + j] * deltas[c * d + j];
      between += g.counts[c] * p * p;
    }
    h += between / (n - 1) / values[k];
  }
  // rcond 1e-15 keeps noise directions of a near-singular cov f (spec §7): flag condition numbers beyond 1e12 too.
  if (warn && (dropped > 0 || n - 1 < d || minKept < 1e-12 * maxAbs)) {
    warn({ code: 'rank-deficient', message: `hscore: cov f is singular (N = ${n}, D = ${d}, ${dropped} direction(s) dropped by pinv); the score is unstable (spec §7)` });
  }
  return h;
}

/** δ_c = μ_c − μ = (class sum of centred rows)/n_c. */
function classOffsets(g: CentredClassGrams): Float64Array {
  const out = new Float64Array(g.numClasses * g.d);
  for (let c = 0; c < g.numClasses; c++) for (let j = 0; j < g.d; j++) out[c * g.d + j] = g.sums[c * g.d + j] / g.counts[c];
  return out;
}
