// Pixel-level LEEP and its transferability map T(h, w) (spec §10.1, Duan et al. ICASSP 2025 eqs. 2-4):
// P̂(y|z) pooled over every pixel of the target set, T = log Σ_z P̂(y_hw|z) θ_z(x)_hw, score = mean T.
import { TeError } from '../errors.ts';

/** n images × h × w pixels × c channels (probabilities), row-major: data[((i·h + r)·w + col)·c + k]. */
export interface PixelProbs { n: number; h: number; w: number; c: number; data: Float64Array }
/** n × h × w integer labels (0 = background). */
export interface PixelLabels { n: number; h: number; w: number; data: Int32Array }

export interface PixelLeepResult {
  /** Mean of the map over all pixels (the pixel-level LEEP score; ≤ 0, higher is better). */
  score: number;
  /** T per pixel, n·h·w values in label order. */
  map: Float64Array;
  /** P̂(y|z), C_t × C_s row-major (C_t = max label + 1). */
  conditional: Float64Array;
  numTargetClasses: number;
}

/** log of this floor replaces log 0 when a pixel's expected probability is exactly 0 (warned). */
export const EEP_FLOOR = Number.MIN_VALUE;

/** Checks that probabilities are finite, non-negative and that labels are non-negative integers. */
export function validatePixelInput(probs: PixelProbs, labels: PixelLabels, what: string, warn?: (m: string) => void): number {
  if (probs.n !== labels.n || probs.h !== labels.h || probs.w !== labels.w) {
    throw new TeError('shape-mismatch', `${what}: probabilities are ${probs.n}×${probs.h}×${probs.w}, labels ${labels.n}×${labels.h}×${labels.w}`);
  }
  const m = labels.data.length, c = probs.c;
  if (m === 0 || c === 0) throw new TeError('invalid-input', `${what}: no pixels or no classes`);
  let maxLabel = 0, badRows = 0;
  for (let p = 0; p < m; p++) {
    const y = labels.data[p];
    if (y < 0) throw new TeError('invalid-input', `${what}: negative label ${y} at pixel ${p}`, { pixel: p });
    if (y > maxLabel) maxLabel = y;
    let s = 0;
    for (let k = 0; k < c; k++) {
      const v = probs.data[p * c + k];
      if (!Number.isFinite(v)) throw new TeError('non-finite', `${what}: non-finite probability at pixel ${p}, class ${k}`, { pixel: p, class: k });
      if (v < 0) throw new TeError('invalid-input', `${what}: negative probability at pixel ${p}, class ${k}`, { pixel: p, class: k });
      s += v;
    }
    if (Math.abs(s - 1) > 1e-3) badRows++;
  }
  if (badRows > 0) warn?.(`${what}: ${badRows} pixel(s) have probabilities that do not sum to 1 (softmax expected)`);
  return maxLabel + 1;
}

/**
 * Pixel-level LEEP map. Labels need not use every id 0..C−1: a missing target class only adds an empty
 * row to P̂(y, z) and changes nothing. A source class with P̂(z) = 0 gets P̂(y|z) = 0 (divide-no-NaN, §3).
 */
export function pixelLeepMap(probs: PixelProbs, labels: PixelLabels, warn?: (m: string) => void, what = 'pixel LEEP'): PixelLeepResult {
  const ct = validatePixelInput(probs, labels, what, warn);
  if (ct < 2) warn?.(`${what}: only one target class (all pixels background): the map is log Σθ ≈ 0 everywhere`);
  const cs = probs.c, m = labels.data.length, d = probs.data;
  const joint = new Float64Array(ct * cs);
  for (let p = 0; p < m; p++) {
    const row = labels.data[p] * cs;
    for (let k = 0; k < cs; k++) joint[row + k] += d[p * cs + k];
  }
  // the 1/(n·H·W) normalisation cancels in P̂(y|z) = P̂(y, z) / Σ_y P̂(y, z)
  const cond = new Float64Array(ct * cs);
  for (let k = 0; k < cs; k++) {
    let pz = 0;
    for (let y = 0; y < ct; y++) pz += joint[y * cs + k];
    for (let y = 0; y < ct; y++) cond[y * cs + k] = pz > 0 ? joint[y * cs + k] / pz : 0;
  }
  const map = new Float64Array(m);
  let total = 0, zeros = 0;
  for (let p = 0; p < m; p++) {
    const row = labels.data[p] * cs;
    let eep = 0;
    for (let k = 0; k < cs; k++) eep += cond[row + k] * d[p * cs + k];
    if (!(eep > 0)) { eep = EEP_FLOOR; zeros++; }
    map[p] = Math.log(eep);
    total += map[p];
  }
  if (zeros > 0) warn?.(`${what}: ${zeros} pixel(s) have expected probability 0 for their label; log 0 replaced by log(${EEP_FLOOR})`);
  return { score: total / m, map, conditional: cond, numTargetClasses: ct };
}
