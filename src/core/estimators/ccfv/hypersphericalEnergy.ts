// Hyperspherical energy of a set of feature vectors (CC-FV paper eq. 3, estimators-spec §2.1):
// E_s = Σ_{i≠j} ‖v_i − v_j‖^{−s} (s > 0), Σ_{i≠j} log ‖v_i − v_j‖^{−1} (s = 0); optional projection onto the unit sphere.
import type { Mat } from '../../linalg/matrix.ts';

export interface EnergyOptions {
  /** Exponent s ≥ 0 (the paper uses s = 1). */
  s?: number;
  /** Divide each row by its Euclidean norm first (the paper's "unit sphere"; not done by the official code). */
  unitSphere?: boolean;
  /** 'ordered' (default): Σ_{i≠j}, as in eq. 3; 'unordered': Σ_{i<j} (half of it). */
  pairs?: 'ordered' | 'unordered';
}

export interface EnergyResult {
  energy: number;
  /** Pairs at distance 0 (duplicate rows): each contributes +∞ for s > 0 and for s = 0. */
  zeroDistancePairs: number;
  /** Rows of norm 0 that could not be projected onto the unit sphere (the energy is NaN then). */
  zeroNormRows: number;
}

/** Rows per tile of the pairwise loop: two tiles of 64 × D float64 stay in L2 for D ≤ 512. */
const TILE = 64;

/**
 * E_s of the rows of x. Distances come from dot products of centred rows, ‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b
 * (translation leaves E unchanged and centring removes the cancellation a common offset would cause); a pair whose
 * squared distance is below 1e-8 of ‖a‖² + ‖b‖² is recomputed from the differences.
 */
export function hypersphericalEnergy(x: Mat, opts: EnergyOptions = {}): EnergyResult {
  const s = opts.s ?? 1;
  if (!(s >= 0)) throw new RangeError(`hypersphericalEnergy: s must be ≥ 0, got ${s}`);
  const { rows: n, cols: d } = x;
  const { data: v, zeroNormRows } = preparedRows(x, opts.unitSphere ?? false);
  if (zeroNormRows > 0) return { energy: NaN, zeroDistancePairs: 0, zeroNormRows };
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let c = 0; c < d; c++) t += v[i * d + c] * v[i * d + c];
    sq[i] = t;
  }
  let energy = 0, zeros = 0;
  const term = s === 0 ? (d2: number) => -0.5 * Math.log(d2) : s === 1 ? (d2: number) => 1 / Math.sqrt(d2) : (d2: number) => Math.pow(d2, -s / 2);
  const block = new Float64Array(TILE * TILE);
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, n);
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, n);
      tileDots(v, d, i0, i1, j0, j1, block);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j1, i), bi = (i - i0) * TILE - j0;
        for (let j = j0; j < jEnd; j++) {
          const ref = sq[i] + sq[j];
          let d2 = ref - 2 * block[bi + j];
          if (d2 <= 1e-8 * ref) d2 = directSquaredDistance(v, i * d, j * d, d);
          if (d2 === 0) zeros++;
          else energy += term(d2);
        }
      }
    }
  }
  if (zeros > 0) energy = Infinity;
  const factor = (opts.pairs ?? 'ordered') === 'ordered' ? 2 : 1;
  return { energy: factor * energy, zeroDistancePairs: factor * zeros, zeroNormRows: 0 };
}

/**
 * block[(i − i0)·TILE + (j − j0)] = v_i · v_j for the rows of two tiles, two rows by two rows (four independent
 * accumulators, each loaded value used twice); the odd last row or column of a tile is done one by one.
 */
function tileDots(v: Float64Array, d: number, i0: number, i1: number, j0: number, j1: number, block: Float64Array): void {
  for (let i = i0; i < i1; i += 2) {
    const two = i + 1 < i1, oa = i * d, ob = two ? oa + d : oa;
    const bi = (i - i0) * TILE - j0;
    for (let j = j0; j < j1; j += 2) {
      const twoJ = j + 1 < j1, oc = j * d, od = twoJ ? oc + d : oc;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let c = 0; c < d; c++) {
        const a = v[oa + c], b = v[ob + c], x = v[oc + c], y = v[od + c];
        s00 += a * x;
        s01 += a * y;
        s10 += b * x;
        s11 += b * y;
      }
      block[bi + j] = s00;
      if (twoJ) block[bi + j + 1] = s01;
      if (two) {
        block[bi + TILE + j] = s10;
        if (twoJ) block[bi + TILE + j + 1] = s11;
      }
    }
  }
}

function directSquaredDistance(v: Float64Array, oi: number, oj: number, d: number): number {
  let t = 0;
  for (let c = 0; c < d; c++) {
    const u = v[oi + c] - v[oj + c];
    t += u * u;
  }
  return t;
}

/** Unit-sphere rows, or rows minus their mean (distances unchanged). */
function preparedRows(x: Mat, unitSphere: boolean): { data: Float64Array; zeroNormRows: number } {
  const { rows: n, cols: d } = x;
  const out = new Float64Array(n * d);
  let zeroNormRows = 0;
  if (unitSphere) {
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let c = 0; c < d; c++) t += x.data[i * d + c] ** 2;
      if (t === 0) zeroNormRows++;
      const inv = 1 / Math.sqrt(t);
      for (let c = 0; c < d; c++) out[i * d + c] = x.data[i * d + c] * inv;
    }
    return { data: out, zeroNormRows };
  }
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) mu[c] += x.data[i * d + c];
  for (let c = 0; c < d; c++) mu[c] /= Math.max(n, 1);
  for (let i = 0; i < n; i++) for (let c = 0; c < d; c++) out[i * d + c] = x.data[i * d + c] - mu[c];
  return { data: out, zeroNormRows };
}
