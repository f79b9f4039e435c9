// Risk-map-weighted, foreground-normalised cross-entropy (spec §10.3, Duan et al. eq. 7):
// L = Σ_{all pixels} R·ℓ / max(1, #{pixels with y ≠ 0}), ℓ = −log p_target(y) per pixel.
import { TeError } from '../errors.ts';
import type { PixelLabels, PixelProbs } from './pixelLeepMap.ts';
import { validatePixelInput } from './pixelLeepMap.ts';

/** −log of this floor replaces −log 0 when the target model gives a pixel's label probability 0 (warned). */
export const PROB_FLOOR = Number.MIN_VALUE;

/** Per-pixel cross-entropy −log p(y) of the target model; one value per pixel. */
export function pixelCrossEntropy(target: PixelProbs, labels: PixelLabels, warn?: (m: string) => void, what = 'pixel cross-entropy'): Float64Array {
  const ct = validatePixelInput(target, labels, what, warn);
  if (ct > target.c) throw new TeError('shape-mismatch', `${what}: label ${ct - 1} but the target model has ${target.c} classes`);
  const m = labels.data.length, out = new Float64Array(m);
  let zeros = 0;
  for (let p = 0; p < m; p++) {
    let q = target.data[p * target.c + labels.data[p]];
    if (!(q > 0)) { q = PROB_FLOOR; zeros++; }
    out[p] = -Math.log(q);
  }
  if (zeros > 0) warn?.(`${what}: ${zeros} pixel(s) have target probability 0 for their label; −log 0 replaced by −log(${PROB_FLOOR})`);
  return out;
}

export interface RiskWeightedLoss { loss: number; foregroundPixels: number }

/**
 * Σ R·ℓ over all given pixels divided by the number of foreground pixels (label ≠ background).
 * Empty foreground: the denominator is guarded to 1 (so the loss is the plain weighted sum) and a warning
 * is given — documented behaviour, as in spec §10.3.
 */
export function riskWeightedCe(risk: ArrayLike<number>, ce: ArrayLike<number>, labels: ArrayLike<number>, warn?: (m: string) => void, background = 0): RiskWeightedLoss {
  if (risk.length !== ce.length || ce.length !== labels.length) {
    throw new TeError('shape-mismatch', `risk-weighted loss: ${risk.length} risk values, ${ce.length} losses, ${labels.length} labels`);
  }
  let sum = 0, fg = 0;
  for (let p = 0; p < ce.length; p++) {
    sum += risk[p] * ce[p];
    if (labels[p] !== background) fg++;
  }
  if (fg === 0) warn?.('risk-weighted loss: no foreground pixels; the sum is divided by 1 instead of 0');
  return { loss: sum / Math.max(1, fg), foregroundPixels: fg };
}
