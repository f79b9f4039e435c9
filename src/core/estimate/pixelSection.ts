// Estimate section for the Transfer Risk Map (spec §10): pixel LEEP and its map, risk maps per image and
// per dataset, and (with target_probs) per-pixel CE and the risk-weighted, foreground-normalised loss.
import { TeError } from '../errors.ts';
import { pixelLeepMap, type PixelLabels, type PixelProbs } from '../estimators/pixelLeepMap.ts';
import { riskMap } from '../estimators/riskMap.ts';
import { pixelCrossEntropy, riskWeightedCe } from '../estimators/riskWeightedLoss.ts';
import type { EstimateSection } from './schema.ts';

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new TeError('invalid-input', `${what} must be an array`);
  return v;
}

/** Nested n × h × w (× c when `withChannels`) arrays → flat numbers; ragged input is a TeError. */
function flatten(v: unknown, what: string, withChannels: boolean): { dims: number[]; data: number[] } {
  const imgs = arr(v, what);
  const n = imgs.length;
  const h = n > 0 ? arr(imgs[0], `${what}[0]`).length : 0;
  const w = h > 0 ? arr((imgs[0] as unknown[])[0], `${what}[0][0]`).length : 0;
  const c = withChannels && w > 0 ? arr(((imgs[0] as unknown[][])[0])[0], `${what}[0][0][0]`).length : 1;
  const data: number[] = [];
  const num = (e: unknown, at: string): number => {
    if (e === null) return NaN; // JSON's stand-in for NaN: rejected downstream as non-finite
    if (typeof e !== 'number') throw new TeError('invalid-input', `${what}${at} is not a number`);
    return e;
  };
  for (let i = 0; i < n; i++) {
    const rows = arr(imgs[i], `${what}[${i}]`);
    if (rows.length !== h) throw new TeError('shape-mismatch', `${what}[${i}] has ${rows.length} rows, expected ${h}`);
    for (let r = 0; r < h; r++) {
      const cols = arr(rows[r], `${what}[${i}][${r}]`);
      if (cols.length !== w) throw new TeError('shape-mismatch', `${what}[${i}][${r}] has ${cols.length} columns, expected ${w}`);
      for (let q = 0; q < w; q++) {
        if (!withChannels) { data.push(num(cols[q], `[${i}][${r}][${q}]`)); continue; }
        const ch = arr(cols[q], `${what}[${i}][${r}][${q}]`);
        if (ch.length !== c) throw new TeError('shape-mismatch', `${what}[${i}][${r}][${q}] has ${ch.length} classes, expected ${c}`);
        for (let k = 0; k < c; k++) data.push(num(ch[k], `[${i}][${r}][${q}][${k}]`));
      }
    }
  }
  return { dims: [n, h, w, c], data };
}

export function toPixelProbs(v: unknown, what: string): PixelProbs {
  const { dims, data } = flatten(v, what, true);
  return { n: dims[0], h: dims[1], w: dims[2], c: dims[3], data: Float64Array.from(data) };
}

export function toPixelLabels(v: unknown, what: string): PixelLabels {
  const { dims, data } = flatten(v, what, false);
  data.forEach((y, p) => {
    if (!Number.isInteger(y)) throw new TeError('invalid-input', `${what}: label at pixel ${p} is not an integer (${y})`, { pixel: p });
  });
  return { n: dims[0], h: dims[1], w: dims[2], data: Int32Array.from(data) };
}

/** Flat image-major values → nested n × h × w number arrays (the vectors' output form). */
export function nest(values: ArrayLike<number>, n: number, h: number, w: number): number[][][] {
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: h }, (_, r) => Array.from({ length: w }, (_, q) => values[(i * h + r) * w + q])));
}

export const estimatePixel: EstimateSection = (input, warn) => {
  const px = input.pixel;
  if (px === undefined || px === null) return {};
  if (typeof px !== 'object') throw new TeError('invalid-input', 'pixel must be an object {source_probs, labels, target_probs?}');
  const src = toPixelProbs(px.source_probs, 'pixel.source_probs');
  const labels = toPixelLabels(px.labels, 'pixel.labels');
  const { n, h, w } = labels;
  const leep = pixelLeepMap(src, labels, warn);
  const rImage = riskMap(leep.map, h * w, 'image');
  const rDataset = riskMap(leep.map, h * w, 'dataset');
  const out: Record<string, unknown> = {
    pixel_leep: leep.score,
    pixel_leep_map: nest(leep.map, n, h, w),
    risk_map_image: nest(rImage, n, h, w),
    risk_map_dataset: nest(rDataset, n, h, w),
  };
  if (px.target_probs !== undefined && px.target_probs !== null) {
    const ce = pixelCrossEntropy(toPixelProbs(px.target_probs, 'pixel.target_probs'), labels, warn);
    const li = riskWeightedCe(rImage, ce, labels.data, warn);
    const ld = riskWeightedCe(rDataset, ce, labels.data);
    out.risk_weighted_ce_image = li.loss;
    out.risk_weighted_ce_dataset = ld.loss;
    out.pixel_ce = nest(ce, n, h, w);
    out.foreground_pixels = li.foregroundPixels;
  }
  return out;
};
