// LogME, the log maximum evidence of a Bayesian linear model per target class (You et al., ICML 2021; JMLR
// 2022 fixed point), estimators-spec §5, in the three official variants `fixed_point`, `icml` and `tllib`.
// Everything is computed from the D×D Gram FᵀF and the class sums Fᵀy_c (one pass over the data, eigen in D×D).
import type { Mat } from '../linalg/matrix.ts';
import { centredClassGrams, totalGram, type CentredClassGrams } from '../linalg/classScatter.ts';
import { deflatedSymmetricEigen } from '../linalg/deflatedSymmetricEigen.ts';
import { preparePooled, type WarnFn } from './labels.ts';

export type LogmeVariant = 'fixed_point' | 'icml' | 'tllib';
export const LOGME_VARIANTS: readonly LogmeVariant[] = ['fixed_point', 'icml', 'tllib'];

export interface LogmeOptions {
  /** Default `fixed_point` (the default of thuml/LogME `LogME.fit`). */
  variant?: LogmeVariant;
  onWarning?: WarnFn;
}

/**
 * LogME score (higher = better): the mean over target classes of the maximised evidence per sample.
 * `features` N×D, `labels` N target classes (non-contiguous ids are remapped with a warning, spec §1).
 */
export function logme(features: Mat, labels: ArrayLike<number>, opts: LogmeOptions = {}): number {
  const variant = opts.variant ?? 'fixed_point';
  return logmeAll(features, labels, { onWarning: opts.onWarning, variants: [variant] })[variant]!;
}

/** Several variants sharing one pass and one eigendecomposition. */
export function logmeAll(
  features: Mat,
  labels: ArrayLike<number>,
  opts: { variants?: readonly LogmeVariant[]; onWarning?: WarnFn } = {},
): Partial<Record<LogmeVariant, number>> {
  const lab = preparePooled(features, labels, 'logme', opts.onWarning);
  const grams = centredClassGrams(features, lab.y, lab.numClasses);
  return logmeFromClassGrams(grams, opts.variants ?? LOGME_VARIANTS, opts.onWarning);
}

/** The spectrum of FᵀF: s = |λ| in descending order (as `svd(FᵀF)` orders them), sign and eigenvector rows. */
interface Spectrum {
  s: Float64Array;
  sign: Float64Array;
  /** tmp[c][k] = v_kᵀ Fᵀ y_c for each class c. */
  proj: Float64Array[];
}

/**
 * LogME from per-class Grams of globally centred rows (raw FᵀF = Σ_c G_c + N μμᵀ; Fᵀy_c = class sum of raw rows).
 * Classes are 0..C−1 of `grams`.
 */
export function logmeFromClassGrams(
  grams: CentredClassGrams,
  variants: readonly LogmeVariant[] = LOGME_VARIANTS,
  warn?: WarnFn,
): Partial<Record<LogmeVariant, number>> {
  const sp = spectrum(grams);
  const n = sumOf(grams.counts), d = grams.d;
  const out: Partial<Record<LogmeVariant, number>> = {};
  for (const v of variants) {
    let total = 0;
    for (let c = 0; c < grams.numClasses; c++) {
      const nc = grams.counts[c];
      total += v === 'fixed_point' ? fixedPointEvidence(sp, sp.proj[c], nc, n, d, warn && c === 0 ? warn : undefined)
        : icmlEvidence(sp, sp.proj[c], nc, n, d, v === 'icml' ? 1e-5 : 0);
    }
    out[v] = total / grams.numClasses;
    if (!Number.isFinite(out[v]!) && warn) warn({ code: 'nan-result', message: `logme_${v}: evidence is ${out[v]} (degenerate features)` });
  }
  return out;
}

function spectrum(g: CentredClassGrams): Spectrum {
  const d = g.d, n = sumOf(g.counts), mu = g.mean;
  const a = totalGram(g);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] += n * mu[i] * mu[j];
  const { values, vectors } = deflatedSymmetricEigen(a, d); // dead channels: exact zeros
  const order = Array.from({ length: d }, (_, k) => k).sort((p, q) => Math.abs(values[q]) - Math.abs(values[p]));
  const s = new Float64Array(d), sign = new Float64Array(d);
  order.forEach((k, r) => {
    s[r] = Math.abs(values[k]);
    sign[r] = values[k] < 0 ? -1 : 1;
  });
  const proj = Array.from({ length: g.numClasses }, (_, c) => {
    const fy = new Float64Array(d); // Fᵀy_c = Σ_{i∈c} x_i (raw rows)
    for (let j = 0; j < d; j++) fy[j] = g.sums[c * d + j] + g.counts[c] * mu[j];
    const t = new Float64Array(d);
    order.forEach((k, r) => {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += vectors![k * d + j] * fy[j];
      t[r] = acc;
    });
    return t;
  });
  return { s, sign, proj };
}

/**
 * thuml/LogME `_fit_fixed_point` for one class: N > D → truncated SVD through FᵀF with the ABSOLUTE cut
 * s > 1e-10; N ≤ D → thin SVD of F (N singular values, zeros kept). Evidence after the loop with the updated
 * α, β but m2/res2 of the last pass (spec §5a). Dead (all-zero) channels give EXACT zero eigenvalues here
 * (deflatedSymmetricEigen) and are cut; numpy's svd leaves ~1e-8 noise in s that may pass the absolute cut, so on
 * such data the official value depends on rounding (see officialCode.test.ts, dead_channels).
 */
function fixedPointEvidence(sp: Spectrum, tmp: Float64Array, nc: number, n: number, d: number, warn?: WarnFn): number {
  const { sigma, x2 } = fixedPointBasis(sp, tmp, n, d);
  const k = sigma.length;
  if (warn && k < d) {
    warn({ code: 'rank-deficient', message: `logme_fixed_point: ${k} of D = ${d} singular values kept (N = ${n}); its evidence omits −(D−k)/2·log α (spec §5)` });
  }
  let resX2 = nc; // ‖y‖² of an indicator
  for (let i = 0; i < k; i++) resX2 -= x2[i];
  let alpha = 1, beta = 1, m2 = 0, res2 = 0;
  for (let it = 0; it < 11; it++) {
    const t = alpha / beta;
    let gamma = 0;
    m2 = 0;
    res2 = resX2;
    for (let i = 0; i < k; i++) {
      const si = sigma[i];
      gamma += si / (si + t);
      m2 += (si * x2[i]) / ((t + si) * (t + si));
      const q = 1 + si / t;
      res2 += x2[i] / (q * q);
    }
    alpha = gamma / (m2 + 1e-5);
    beta = (n - gamma) / (res2 + 1e-5);
    if (Math.abs(alpha / beta - t) / t <= 1e-3) break;
  }
  let logDet = 0;
  for (let i = 0; i < k; i++) logDet += Math.log(alpha + beta * sigma[i]);
  const ev = (d / 2) * Math.log(alpha) + (n / 2) * Math.log(beta) - 0.5 * logDet - (beta / 2) * res2 - (alpha / 2) * m2 - (n / 2) * Math.log(2 * Math.PI);
  return ev / n;
}

/** σ_i (kept squared singular values of F) and x_i² = (u_iᵀy)² with u_i = F v_i / s_i. */
function fixedPointBasis(sp: Spectrum, tmp: Float64Array, n: number, d: number): { sigma: Float64Array; x2: Float64Array } {
  if (n > d) {
    let k = 0;
    while (k < d && Math.sqrt(sp.s[k]) > 1e-10) k++;
    const x2 = new Float64Array(k);
    for (let i = 0; i < k; i++) x2[i] = (tmp[i] * tmp[i]) / sp.s[i];
    return { sigma: sp.s.slice(0, k), x2 };
  }
  // N ≤ D: the N singular values of F are the square roots of the N largest eigenvalues of FᵀF. Directions whose
  // singular value is numerically zero keep σ in the log-determinant; their share of ‖y‖² stays in res_x2
  // (x_i would be 0/0 here; with σ ≈ 0 they enter res2 with weight 1 either way).
  const smax = Math.sqrt(sp.s[0]);
  const x2 = new Float64Array(n);
  for (let i = 0; i < n; i++) if (Math.sqrt(sp.s[i]) > 1e-8 * smax) x2[i] = (tmp[i] * tmp[i]) / sp.s[i];
  return { sigma: sp.s.slice(0, n), x2 };
}

/**
 * thuml/LogME `_fit_icml` (eps = 1e-5 in the updates and the evidence) or tllib `log_maximum_evidence`
 * (eps = 0) for one class: all D singular values of FᵀF, λ-convergence |λ_new − λ|/λ < 0.01.
 * ‖m‖² and ‖y − Fm‖² are evaluated in the eigenbasis: m = Σ_k sign_k c_k v_k, c_k = tmp_k β/(α + β s_k).
 */
function icmlEvidence(sp: Spectrum, tmp: Float64Array, nc: number, n: number, d: number, eps: number): number {
  const { s, sign } = sp;
  let alpha = 1, beta = 1, lam = 1, alphaDe = 0, betaDe = 0;
  for (let it = 0; it < 11; it++) {
    let gamma = 0, cross = 0, fm2 = 0;
    alphaDe = 0;
    for (let k = 0; k < d; k++) {
      gamma += s[k] / (s[k] + lam);
      const ck = (tmp[k] * beta) / (alpha + beta * s[k]);
      alphaDe += ck * ck;
      cross += sign[k] * ck * tmp[k];
      fm2 += sign[k] * s[k] * ck * ck;
    }
    alpha = gamma / (alphaDe + eps);
    betaDe = nc - 2 * cross + fm2;
    beta = (n - gamma) / (betaDe + eps);
    const newLam = alpha / beta;
    if (Math.abs(newLam - lam) / lam < 0.01) break;
    lam = newLam;
  }
  let logDet = 0;
  for (let k = 0; k < d; k++) logDet += Math.log(alpha + beta * s[k]);
  const ev = (d / 2) * Math.log(alpha) + (n / 2) * Math.log(beta) - 0.5 * logDet
    - (beta / 2) * (betaDe + eps) - (alpha / 2) * (alphaDe + eps) - (n / 2) * Math.log(2 * Math.PI);
  return ev / n;
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}
