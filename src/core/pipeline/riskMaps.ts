// Transfer-risk maps of one model on a target's labelled slices (issue 5 §6; spec §10): the source model's full-
// resolution softmax on each slice → pixel LEEP map (P̂(y|z) pooled over the slices) → risk R = 10^Ĥ per slice.
import type { ModelSession } from '../ports.ts';
import type { ModelManifest, Volume } from '../types.ts';
import { pixelLeepMap } from '../estimators/pixelLeepMap.ts';
import { riskMap, type RiskScope } from '../estimators/riskMap.ts';
import { extractSlice, type Axis } from '../volume/slices.ts';
import { padSlice } from './tensors2d.ts';

export interface RiskMapResult {
  modelId: string;
  axis: Axis;
  slices: number[];
  rows: number;
  cols: number;
  /** Risk R ∈ [1, 10] per slice, rows×cols each (slice layout of volume/slices.ts). */
  risk: Float32Array[];
  /** Pixel-level LEEP score over the slices (mean T). */
  pixelLeep: number;
  /** Mean risk per target class over the slices (index = class). */
  meanRiskPerClass: number[];
}

export async function computeRiskMaps(
  session: ModelSession, m: ModelManifest, normalized: Float32Array, label: Volume, axis: Axis, slices: number[],
  opts: { scope?: RiskScope; warn?: (message: string) => void } = {},
): Promise<RiskMapResult> {
  const size = label.size;
  const imgs = slices.map((k) => extractSlice(normalized, size, axis, k));
  const labs = slices.map((k) => Int32Array.from(extractSlice(label.data, size, axis, k)));
  const rest = [0, 1, 2].filter((a) => a !== axis);
  const rows = size[rest[0]], cols = size[rest[1]], plane = rows * cols, c = m.num_classes;
  const probs = new Float64Array(slices.length * plane * c);
  for (let s = 0; s < slices.length; s++) {
    const pad = padSlice(imgs[s], rows, cols, m.input_multiple, m.in_channels);
    const lg = (await session.run({ [m.input_name]: pad.tensor }, [m.logits_name]))[m.logits_name];
    const pp = pad.rows * pad.cols;
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols; q++) {
        const src = r * pad.cols + q, dst = (s * plane + r * cols + q) * c;
        let max = -Infinity;
        for (let k = 0; k < c; k++) max = Math.max(max, lg.data[k * pp + src]);
        let sum = 0;
        for (let k = 0; k < c; k++) sum += (probs[dst + k] = Math.exp(lg.data[k * pp + src] - max));
        for (let k = 0; k < c; k++) probs[dst + k] /= sum;
      }
    }
  }
  const labels = new Int32Array(slices.length * plane);
  labs.forEach((l, s) => labels.set(l, s * plane));
  const leep = pixelLeepMap({ n: slices.length, h: rows, w: cols, c, data: probs }, { n: slices.length, h: rows, w: cols, data: labels }, opts.warn);
  const risk = riskMap(leep.map, plane, opts.scope ?? 'image');
  let numClasses = 0; // a loop, not Math.max(...labels): a spread of 10⁵ labels overflows a worker's stack
  for (const v of labels) if (v + 1 > numClasses) numClasses = v + 1;
  const sums = new Array<number>(numClasses).fill(0), counts = new Array<number>(numClasses).fill(0);
  for (let p = 0; p < labels.length; p++) { sums[labels[p]] += risk[p]; counts[labels[p]]++; }
  return {
    modelId: m.id, axis, slices, rows, cols,
    risk: slices.map((_, s) => Float32Array.from(risk.subarray(s * plane, (s + 1) * plane))),
    pixelLeep: leep.score,
    meanRiskPerClass: sums.map((v, k) => (counts[k] ? v / counts[k] : NaN)),
  };
}

/** The risk maps placed back into a volume of the label's grid (0 outside the computed slices), for NIfTI export. */
export function riskVolume(r: RiskMapResult, label: Volume): Float32Array {
  const [nx, ny] = label.size;
  const out = new Float32Array(label.data.length);
  const stride = [1, nx, nx * ny];
  const rest = [0, 1, 2].filter((a) => a !== r.axis);
  r.slices.forEach((k, s) => {
    const base = k * stride[r.axis];
    for (let i = 0; i < r.rows; i++) for (let j = 0; j < r.cols; j++) out[base + i * stride[rest[0]] + j * stride[rest[1]]] = r.risk[s][i * r.cols + j];
  });
  return out;
}
