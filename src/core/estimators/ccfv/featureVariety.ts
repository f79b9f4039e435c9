// Feature variety F_v of one layer (estimators-spec §2.5 official code, §2.1 eq. 4 / §2.7 paper):
// official: mean_{i<j} (‖m_i − m_j‖² + 1e-3)^{−1/2} over per-case mean features; paper: (1/N) Σ_i 1/E_s(X_i).
import { columnMeans } from '../../linalg/covariance.ts';
import type { Mat } from '../../linalg/matrix.ts';
import { hypersphericalEnergy, type EnergyOptions } from './hypersphericalEnergy.ts';

/** ε added to the SQUARED distance in the official `cal_variety`. */
export const OFFICIAL_VARIETY_EPS = 1e-3;

/**
 * Official `cal_variety` on the per-case means of ALL sampled rows of each case (background included).
 * The official code forms ‖a‖² + ‖b‖² − 2a·b; we use the differences directly (same value, no cancellation).
 * Note the direction: this grows when the case means are CLOSE (low variety), see spec §2.5.
 */
export function featureVarietyOfficial(cases: Mat[], eps = OFFICIAL_VARIETY_EPS): number {
  const means = cases.map((x) => columnMeans(x));
  const n = means.length;
  if (n < 2) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let c = 0; c < means[i].length; c++) d2 += (means[i][c] - means[j][c]) ** 2;
      s += 1 / Math.sqrt(d2 + eps);
    }
  }
  return s / ((n * (n - 1)) / 2);
}

export interface PaperVarietyResult {
  fv: number;
  /** Per case: E_s over ordered pairs of its rows (∞ with duplicate rows, NaN with < 2 rows or a zero row on the sphere). */
  energies: number[];
}

/**
 * Paper eq. 4 with eq. 3 over ORDERED pairs: F_v = (1/N) Σ_i 1/E_s(X_i), X_i = all sampled rows of case i.
 * A case with < 2 rows has no pairs: its E is undefined and F_v is NaN. Duplicate rows make E = ∞ and 1/E = 0.
 */
export function featureVarietyPaper(cases: Mat[], opts: Omit<EnergyOptions, 'pairs'> = {}): PaperVarietyResult {
  const energies = cases.map((x) => (x.rows < 2 ? NaN : hypersphericalEnergy(x, { ...opts, pairs: 'ordered' }).energy));
  let s = 0;
  for (const e of energies) s += 1 / e;
  return { fv: cases.length > 0 ? s / cases.length : NaN, energies };
}
