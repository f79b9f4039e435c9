// The transfer risk map before and after fine-tuning (Duan et al. ICASSP 2025, Fig. 2; spec §10): both maps are
// pixel LEEP → R = 10^Ĥ on the same cases and labels, "before" from the source model, "after" from the fine-tuned
// one. Here: their summaries (mean R overall, on the foreground and per target class, mean T) and the display slices.
import { TeError } from '../errors.ts';

/** A model's transfer risk map on `cases` (case-major, h·w values per case). */
export interface RiskMapResult {
  cases: number[];
  /** T = log Σ_z P̂(y|z) θ_z per pixel (spec §10.1), nats, ≤ 0. */
  transferability: Float64Array;
  /** R = 10^Ĥ ∈ [1, 10], Ĥ the min-max normalised −T per image (spec §10.2, scope "image"). */
  risk: Float64Array;
  /** Pixel-level LEEP: the mean of T over every pixel of the cases (not normalised: comparable in absolute terms). */
  score: number;
}

export interface RiskSummary {
  /** Mean R over every pixel of the cases. */
  mean: number;
  /** Mean R over the pixels labelled ≠ 0 (null without foreground). */
  foreground: number | null;
  /** Mean R per target class 0..C−1 (null for a class with no pixel). */
  perClass: (number | null)[];
  /** Pixel count per target class. */
  pixels: number[];
  score: number;
}

/** The JSON block written by the CLI and the lab worker: summaries of the source ("before") and fine-tuned ("after") maps. */
export interface RiskComparison {
  cases: number[];
  scope: 'image';
  meanBefore: number;
  meanAfter: number;
  foregroundBefore: number | null;
  foregroundAfter: number | null;
  perClass: { before: (number | null)[]; after: (number | null)[]; pixels: number[] };
  /** Pixel-level LEEP (mean T) of the source and the fine-tuned model on the cases. */
  scoreBefore: number;
  scoreAfter: number;
}

/** Summary of R over `r.cases`; `labels` are the whole data's (n·px, case-major), numClasses the target's C. */
export function riskSummary(r: RiskMapResult, labels: ArrayLike<number>, px: number, numClasses: number): RiskSummary {
  const sum = new Float64Array(numClasses), count = new Array<number>(numClasses).fill(0);
  let all = 0;
  r.cases.forEach((c, i) => {
    for (let p = 0; p < px; p++) {
      const y = labels[c * px + p], v = r.risk[i * px + p];
      all += v;
      if (y >= 0 && y < numClasses) { sum[y] += v; count[y]++; }
    }
  });
  const fgCount = count.slice(1).reduce((a, b) => a + b, 0), fgSum = Array.from(sum.subarray(1)).reduce((a, b) => a + b, 0);
  return {
    mean: all / (r.cases.length * px),
    foreground: fgCount > 0 ? fgSum / fgCount : null,
    perClass: count.map((k, y) => (k > 0 ? sum[y] / k : null)),
    pixels: count,
    score: r.score,
  };
}

export function compareRisk(before: RiskMapResult, after: RiskMapResult, labels: ArrayLike<number>, px: number, numClasses: number): RiskComparison {
  if (before.cases.join() !== after.cases.join()) throw new TeError('shape-mismatch', `risk maps before (cases ${before.cases.join(',')}) and after (cases ${after.cases.join(',')}) must cover the same cases`);
  const b = riskSummary(before, labels, px, numClasses), a = riskSummary(after, labels, px, numClasses);
  return {
    cases: before.cases.slice(), scope: 'image', meanBefore: b.mean, meanAfter: a.mean, foregroundBefore: b.foreground, foregroundAfter: a.foreground,
    perClass: { before: b.perClass, after: a.perClass, pixels: b.pixels }, scoreBefore: b.score, scoreAfter: a.score,
  };
}

/** Up to k of `cases`, evenly spaced (first and last included), for display. */
export function evenlySpaced(cases: number[], k: number): number[] {
  if (cases.length <= k) return cases.slice();
  if (k <= 1) return k === 1 ? [cases[Math.floor((cases.length - 1) / 2)]] : [];
  return Array.from({ length: k }, (_, i) => cases[Math.round((i * (cases.length - 1)) / (k - 1))]);
}

/** One held-out slice to show side by side: the image, its labels and R before / after (float32, own buffers: transferable). */
/** A case shown: a slice, or for a volume case (3-D blocks) its middle slice `depth`. */
export interface RiskSlice { case: number; h: number; w: number; depth?: number; image: Float32Array; label: Int32Array; before: Float32Array; after: Float32Array }

/** The cases `show` (a subset of before.cases) cut out of the data and of the two maps; a volume case (`d` slices) by its middle slice. */
export function riskSlices(d: { images: ArrayLike<number>; labels: ArrayLike<number>; h: number; w: number; d?: number }, before: RiskMapResult, after: RiskMapResult, show: number[]): RiskSlice[] {
  const px = d.h * d.w, size = (d.d ?? 1) * px, depth = d.d === undefined ? undefined : Math.floor(d.d / 2), off = (depth ?? 0) * px;
  const cut = <T extends Float32Array | Int32Array>(make: (n: number) => T, src: ArrayLike<number>, at: number): T => {
    const out = make(px);
    for (let p = 0; p < px; p++) out[p] = src[at * size + off + p];
    return out;
  };
  return show.map((c) => {
    const i = before.cases.indexOf(c);
    if (i < 0 || after.cases[i] !== c) throw new TeError('invalid-input', `risk slices: case ${c} is not in the risk maps' cases`);
    const f32 = (n: number) => new Float32Array(n);
    return { case: c, h: d.h, w: d.w, ...(depth === undefined ? {} : { depth }), image: cut(f32, d.images, c), label: cut((n) => new Int32Array(n), d.labels, c), before: cut(f32, before.risk, i), after: cut(f32, after.risk, i) };
  });
}
