// KL divergence and Bhattacharyya distance between fitted Gaussians: the distances the CC-FV paper's Table 2
// ablation puts in place of W₂ (estimators-spec §2; paper §2.2 notes they need inverses and determinants).
//
// Regularisation: both need Σ⁻¹ and log det Σ, undefined for singular Σ (n − 1 < D, dead channels). A covariance
// whose Cholesky factorisation fails (pivot ≤ 1e-12·max diag) is replaced by Σ + ε I with ε = ridge·tr(Σ)/D
// (ridge = 1e-6 by default; ε = ridge when tr Σ = 0), and the caller is told (`regularised`) so it can warn.
// The result then depends strongly on the ridge ((D − rank)·log ε enters log det): that instability is the
// paper's reason for preferring W₂ and is reported, not hidden.
import { cholesky } from '../../linalg/cholesky.ts';
import type { FittedGaussian } from './gaussian.ts';

export const DEFAULT_RIDGE = 1e-6;
const CHOLESKY_REL_TOL = 1e-12;

export interface RegularisedFactor {
  /** Lower Cholesky factor of Σ (+ εI when `regularised`). */
  l: Float64Array;
  logDet: number;
  regularised: boolean;
}

/** Cholesky factor of Σ, regularised as described above. Requires n ≥ 2. */
export function regularisedFactor(g: FittedGaussian, ridge = DEFAULT_RIDGE): RegularisedFactor {
  return factorOf(g.cov.data, g.d, g.traceCov, ridge);
}

function factorOf(cov: Float64Array, d: number, trace: number, ridge: number): RegularisedFactor {
  let l = cholesky(cov, d, CHOLESKY_REL_TOL);
  let regularised = false;
  if (!l) {
    regularised = true;
    const eps = ridge * (trace > 0 ? trace / d : 1);
    const c = Float64Array.from(cov);
    for (let i = 0; i < d; i++) c[i * d + i] += eps;
    l = cholesky(c, d, 0);
    if (!l) throw new RangeError('regularisedFactor: covariance is not positive semi-definite');
  }
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(l[i * d + i]);
  return { l, logDet, regularised };
}

/** KL(N₀ ‖ N₁) = ½[tr(Σ₁⁻¹Σ₀) + Δμᵀ Σ₁⁻¹ Δμ − D + log det Σ₁ − log det Σ₀], from the two factors. */
export function klDivergence(g0: FittedGaussian, f0: RegularisedFactor, g1: FittedGaussian, f1: RegularisedFactor): number {
  const d = g0.d;
  // tr(Σ₁⁻¹Σ₀) = ‖L₁⁻¹ L₀‖²_F, column by column of L₀ (forward substitution, lower-triangular L₁).
  const x = new Float64Array(d);
  let tr = 0;
  for (let col = 0; col < d; col++) {
    for (let i = 0; i < d; i++) x[i] = i >= col ? f0.l[i * d + col] : 0;
    tr += forwardSolveNormSq(f1.l, x, d, col);
  }
  for (let i = 0; i < d; i++) x[i] = g1.mean[i] - g0.mean[i];
  const maha = forwardSolveNormSq(f1.l, x, d, 0);
  return 0.5 * (tr + maha - d + f1.logDet - f0.logDet);
}

/** (KL(0‖1) + KL(1‖0)) / 2: the symmetric form used so that Σ_{i<j} matches the paper's Σ_{i≠j} / 2. */
export function symmetricKl(g0: FittedGaussian, f0: RegularisedFactor, g1: FittedGaussian, f1: RegularisedFactor): number {
  return 0.5 * (klDivergence(g0, f0, g1, f1) + klDivergence(g1, f1, g0, f0));
}

/**
 * D_B = ⅛ Δμᵀ Σ⁻¹ Δμ + ½ log(det Σ / √(det Σ₀ det Σ₁)), Σ = (Σ₀ + Σ₁)/2 (regularised by the same rule;
 * log det Σ₀, log det Σ₁ from the given factors so that all three use consistent ridges).
 */
export function bhattacharyya(g0: FittedGaussian, f0: RegularisedFactor, g1: FittedGaussian, f1: RegularisedFactor, ridge = DEFAULT_RIDGE): { distance: number; regularised: boolean } {
  const d = g0.d;
  const avg = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) avg[i] = 0.5 * (g0.cov.data[i] + g1.cov.data[i]);
  const fa = factorOf(avg, d, 0.5 * (g0.traceCov + g1.traceCov), ridge);
  const x = new Float64Array(d);
  for (let i = 0; i < d; i++) x[i] = g1.mean[i] - g0.mean[i];
  const maha = forwardSolveNormSq(fa.l, x, d, 0);
  return { distance: maha / 8 + 0.5 * (fa.logDet - 0.5 * (f0.logDet + f1.logDet)), regularised: fa.regularised };
}

/** ‖L⁻¹ x‖² by forward substitution (x overwritten); entries of x before `start` are zero. */
function forwardSolveNormSq(l: Float64Array, x: Float64Array, d: number, start: number): number {
  let s = 0;
  for (let i = start; i < d; i++) {
    const o = i * d;
    let t = x[i];
    for (let k = start; k < i; k++) t -= l[o + k] * x[k];
    t /= l[o + i];
    x[i] = t;
    s += t * t;
  }
  return s;
}
