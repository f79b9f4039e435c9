// TransRate (Huang et al., ICML 2022), estimators-spec §6: coding rate of the features minus the coding rate
// given the class, in the `appendix` variant (paper appendix = tllib) and the `official_eig` pipeline (Long-Kai/TransRate).
// One pass for the per-class D×D Grams, eigenvalues in D×D; log-det as Σ log1p(λ/(nε)) (spec §13.5).
import type { Mat } from '../linalg/matrix.ts';
import { centredClassGrams, classGrams, totalGram, type ClassGrams } from '../linalg/classScatter.ts';
import { deflatedSymmetricEigen } from '../linalg/deflatedSymmetricEigen.ts';
import { preparePooled, type WarnFn } from './labels.ts';

export type TransrateVariant = 'appendix' | 'official_eig';

export interface TransrateOptions {
  /** Default `appendix` (spec §6: the widely used tllib code). */
  variant?: TransrateVariant;
  /** The code's `eps` (= the paper's ε²); default 1e-4. */
  eps?: number;
  onWarning?: WarnFn;
}

/**
 * TransRate score (higher = better). `features` N×D, `labels` N target classes (non-contiguous ids are
 * remapped with a warning, spec §1; the official codes loop over range(max+1) and give NaN for a missing id).
 */
export function transrate(features: Mat, labels: ArrayLike<number>, opts: TransrateOptions = {}): number {
  const variant = opts.variant ?? 'appendix';
  const eps = opts.eps ?? 1e-4;
  const lab = preparePooled(features, labels, `transrate_${variant}`, opts.onWarning);
  if (variant === 'appendix') return transrateAppendixFromGrams(centredClassGrams(features, lab.y, lab.numClasses), eps);
  return transrateOfficialFromGrams(officialEigGrams(features, lab.y, lab.numClasses, opts.onWarning), eps);
}

/** R(Z, ε) = ½ log det(I + ZᵀZ/(nε)) from the Gram ZᵀZ (eigenvalues clamped at 0). */
export function codingRate(gram: Float64Array, d: number, n: number, eps: number): number {
  const lambda = eigenvalues(gram, d);
  let r = 0;
  for (const l of lambda) r += Math.log1p(Math.max(l, 0) / (n * eps));
  return 0.5 * r;
}

/**
 * (a) Appendix / tllib: Z = F − mean(F) (global centring, classes not re-centred);
 * TrR = R(Z, ε) − (1/C) Σ_c R(Z_c, ε), an UNWEIGHTED mean over classes, each with its own n_c.
 * `grams` are the per-class Grams of the globally centred rows.
 */
export function transrateAppendixFromGrams(grams: ClassGrams, eps = 1e-4): number {
  const d = grams.d;
  let n = 0;
  for (const c of grams.counts) n += c;
  const rz = codingRate(totalGram(grams), d, n, eps);
  let rzc = 0;
  for (let c = 0; c < grams.numClasses; c++) rzc += codingRate(grams.grams[c], d, grams.counts[c], eps);
  return rz - rzc / grams.numClasses;
}

/**
 * The official pipeline's features: rows L2-normalised (torch `normalize`, eps 1e-12), centred, L2-normalised
 * again (`pre_transrate`), then per-class Grams Z_cᵀZ_c (no class centring). A row equal to the mean has no
 * direction: numpy divides 0/0 there (NaN); we report it and the score becomes NaN.
 */
export function officialEigGrams(features: Mat, y: Int32Array, numClasses: number, warn?: WarnFn): ClassGrams {
  const { rows: n, cols: d, data } = features;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const inv = 1 / Math.max(rowNorm(data, i * d, d), 1e-12);
    for (let j = 0; j < d; j++) mean[j] += data[i * d + j] * inv;
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  let zeroRows = 0;
  const g = classGrams(n, d, y, numClasses, (i, dst, off) => {
    const o = i * d;
    const inv = 1 / Math.max(rowNorm(data, o, d), 1e-12);
    for (let j = 0; j < d; j++) dst[off + j] = data[o + j] * inv - mean[j];
    const norm = rowNorm(dst, off, d);
    if (norm === 0) zeroRows++;
    for (let j = 0; j < d; j++) dst[off + j] /= norm;
  });
  if (zeroRows > 0 && warn) {
    warn({ code: 'nan-result', message: `transrate_official_eig: ${zeroRows} row(s) equal the mean direction after normalising; the official code divides 0/0 (NaN)` });
  }
  return g;
}

/**
 * (b) Official: eigenvalues (as singular values, |λ|) of ZᵀZ/n and Z_cᵀZ_c/n_c, all divided by Σ eig(ZᵀZ/n);
 * R = Σ log(1 + λ/ε) / rank(ZᵀZ/n) (numpy `matrix_rank`: σ > σ_max·d·2⁻⁵²); class rates weighted by n_c/n;
 * TrR = R_Z/2 − Σ_c (n_c/n) R_{Z_c}/2 (`process_transrate_logs` defaults: normalize_eigz, 'all', 'weight', 'rank').
 */
export function transrateOfficialFromGrams(grams: ClassGrams, eps = 1e-4): number {
  const d = grams.d;
  let n = 0;
  for (const c of grams.counts) n += c;
  const eigZ = absEigenvalues(totalGram(grams), d, n);
  let sumEig = 0, maxEig = 0;
  for (const e of eigZ) {
    sumEig += e;
    maxEig = Math.max(maxEig, e);
  }
  let rank = 0;
  for (const e of eigZ) if (e > maxEig * d * 2 ** -52) rank++;
  const rate = (eig: Float64Array): number => {
    let r = 0;
    for (const e of eig) r += Math.log(1 + (1 / eps) * (e / sumEig));
    return r / Math.min(rank, d);
  };
  let cond = 0;
  for (let c = 0; c < grams.numClasses; c++) {
    cond += (rate(absEigenvalues(grams.grams[c], d, grams.counts[c])) * grams.counts[c]) / n;
  }
  return rate(eigZ) / 2 - cond / 2;
}

function absEigenvalues(gram: Float64Array, d: number, scaleBy: number): Float64Array {
  const a = new Float64Array(d * d);
  for (let k = 0; k < a.length; k++) a[k] = gram[k] / scaleBy;
  return eigenvalues(a, d).map(Math.abs);
}

function rowNorm(a: Float64Array, off: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[off + j] * a[off + j];
  return Math.sqrt(s);
}

/** Eigenvalues with exactly-zero rows (dead channels) split off as exact zeros. */
function eigenvalues(a: Float64Array, d: number): Float64Array {
  return deflatedSymmetricEigen(a, d, { vectors: false }).values;
}
