// Transfer risk map (spec §10.2, Duan et al. eqs. 5-6): hardness H = −T min-max normalised to [0, 1]
// per image (scope "image", default) or over the whole set (scope "dataset"), then R = 10^Ĥ ∈ [1, 10].
import { TeError } from '../errors.ts';

export type RiskScope = 'image' | 'dataset';

/**
 * Ranges of H at or below this (in nats, relative to max(1, |H|)) count as constant: otherwise rounding
 * noise in a mathematically constant map (e.g. two pixels whose EEPs are equal up to 1 ulp) would be
 * stretched to the full [1, 10] scale.
 */
export const CONSTANT_RANGE_TOL = 1e-12;

/**
 * `map` holds T for n images of `pixelsPerImage` pixels each (image-major). A constant block (range of H
 * within CONSTANT_RANGE_TOL) gives Ĥ = 0, i.e. R = 1 everywhere in it (documented; the neutral weight).
 */
export function riskMap(map: Float64Array, pixelsPerImage: number, scope: RiskScope = 'image'): Float64Array {
  if (!(pixelsPerImage > 0) || map.length % pixelsPerImage !== 0) {
    throw new TeError('shape-mismatch', `risk map: ${map.length} values are not whole images of ${pixelsPerImage} pixels`);
  }
  const block = scope === 'image' ? pixelsPerImage : map.length;
  const out = new Float64Array(map.length);
  for (let start = 0; start < map.length; start += block) {
    let lo = Infinity, hi = -Infinity;
    for (let p = start; p < start + block; p++) {
      const h = -map[p];
      if (Number.isNaN(h)) throw new TeError('non-finite', `risk map: transferability map is NaN at pixel ${p}`, { pixel: p });
      if (h < lo) lo = h;
      if (h > hi) hi = h;
    }
    const range = hi - lo;
    const constant = range <= CONSTANT_RANGE_TOL * Math.max(1, Math.abs(lo), Math.abs(hi));
    for (let p = start; p < start + block; p++) out[p] = !constant ? Math.pow(10, (-map[p] - lo) / range) : 1;
  }
  return out;
}
