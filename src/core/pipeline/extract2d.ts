// Sample first, then infer (issue 4 §4): for a 2-D model, draw each case's class-balanced voxel sample, run the
// model slice by slice (padded to its input multiple), and read decoder features and source softmax point-wise.
import { TeError } from '../errors.ts';
import type { RunOptions } from '../events.ts';
import type { ModelSession } from '../ports.ts';
import type { ModelManifest, SamplingMode } from '../types.ts';
import { sampleCase, type LayerSample } from '../sampling/classBalanced.ts';
import { readFeaturesAt } from '../sampling/pointRead.ts';
import type { Rng } from '../sampling/rng.ts';
import type { Case2D } from './cases.ts';
import { padSlice, softmaxAt } from './tensors2d.ts';

export interface CaseLayerFeatures {
  caseId: string;
  /** n × channels, float64. */
  features: Float64Array;
  labels: Int32Array;
}

export interface LayerFeatures {
  name: string;
  stride: number;
  channels: number;
  cases: CaseLayerFeatures[];
}

export interface ModelFeatures {
  modelId: string;
  layers: LayerFeatures[];
  /** Source softmax (n × num_classes) at the samples of the stride-1 layer, per case, for LEEP/NCE. */
  sourceProbs: Float64Array[];
  numSourceClasses: number;
}

export interface ExtractOptions extends RunOptions {
  numClasses: number;
  /** Per-class cap per layer, keyed by layer name. */
  caps: Record<string, number>;
  mode: SamplingMode;
  rng: Rng;
}

/** Default caps: 400 at stride 1, halving with each coarser stride (the official 400/200/100 schedule). */
export function defaultCaps(manifest: ModelManifest): Record<string, number> {
  return Object.fromEntries(manifest.features.map((f) => [f.name, Math.max(50, Math.round(400 / f.stride))]));
}

export async function extractFeatures2D(session: ModelSession, manifest: ModelManifest, cases: Case2D[], opts: ExtractOptions): Promise<ModelFeatures> {
  const layers = manifest.features;
  const finest = layers.reduce((a, b) => (b.stride < a.stride ? b : a));
  const out: ModelFeatures = {
    modelId: manifest.id,
    layers: layers.map((l) => ({ name: l.name, stride: l.stride, channels: l.channels, cases: [] })),
    sourceProbs: [],
    numSourceClasses: manifest.num_classes,
  };
  const wanted = [manifest.logits_name, ...layers.map((l) => l.name)];
  for (let ci = 0; ci < cases.length; ci++) {
    if (opts.signal?.aborted) throw new TeError('cancelled', 'the study was cancelled');
    const c = cases[ci];
    const plane = c.rows * c.cols;
    const flatLabels = new Int32Array(plane * c.slices.length);
    c.slices.forEach((s, i) => flatLabels.set(s.labels, i * plane));
    const samples = sampleCase(flatLabels, opts.numClasses, layers.map((l) => opts.caps[l.name] ?? 100), opts.mode, opts.rng);
    const feats = layers.map((l, li) => new Float64Array(samples[li].indices.length * l.channels));
    const fi = layers.indexOf(finest);
    const probs = new Float64Array(samples[fi].indices.length * manifest.num_classes);
    for (let si = 0; si < c.slices.length; si++) {
      const pad = padSlice(c.slices[si].image, c.rows, c.cols, manifest.input_multiple, manifest.in_channels);
      const result = await session.run({ [manifest.input_name]: pad.tensor }, wanted);
      checkOutputs(result, manifest, pad);
      layers.forEach((l, li) => {
        const sel = selectSlice(samples[li], si, plane, c.cols, pad.cols);
        if (sel.pixels.length === 0) return;
        const t = result[l.name];
        const tmp = new Float64Array(sel.pixels.length * l.channels);
        readFeaturesAt(t.data, l.channels, t.dims[2], t.dims[3], l.stride, sel.pixels, pad.cols, tmp);
        sel.rows.forEach((r, k) => feats[li].set(tmp.subarray(k * l.channels, (k + 1) * l.channels), r * l.channels));
        if (li === fi) softmaxAt(result[manifest.logits_name], sel.pixels, sel.rows, probs);
      });
    }
    layers.forEach((l, li) => out.layers[li].cases.push({ caseId: c.id, features: feats[li], labels: samples[li].labels }));
    out.sourceProbs.push(probs);
    opts.onEvent?.({ type: 'case-done', model: manifest.id, caseId: c.id });
    opts.onEvent?.({ type: 'progress', stage: 'features', done: ci + 1, total: cases.length, model: manifest.id });
  }
  return out;
}

/** The samples of one layer that fall on slice `si`, as pixel indices on the padded grid and their sample rows. */
function selectSlice(sample: LayerSample, si: number, plane: number, cols: number, paddedCols: number): { pixels: Int32Array; rows: number[] } {
  const pixels: number[] = [];
  const rows: number[] = [];
  for (let k = 0; k < sample.indices.length; k++) {
    const idx = sample.indices[k];
    if (Math.floor(idx / plane) !== si) continue;
    const p = idx - si * plane;
    const r = Math.floor(p / cols);
    pixels.push(r * paddedCols + (p - r * cols));
    rows.push(k);
  }
  return { pixels: Int32Array.from(pixels), rows };
}

function checkOutputs(result: Record<string, { dims: number[] }>, m: ModelManifest, pad: { rows: number; cols: number }): void {
  const logits = result[m.logits_name];
  if (!logits) throw new TeError('unsupported', `${m.id}: the model has no output "${m.logits_name}"`);
  if (logits.dims[1] !== m.num_classes) {
    throw new TeError('shape-mismatch', `${m.id}: the model outputs ${logits.dims[1]} classes, its manifest declares ${m.num_classes}`);
  }
  for (const f of m.features) {
    const t = result[f.name];
    if (!t) throw new TeError('unsupported', `${m.id}: the model has no feature output "${f.name}"`);
    const want = [f.channels, Math.ceil(pad.rows / f.stride), Math.ceil(pad.cols / f.stride)];
    if (t.dims.length !== 4 || t.dims[1] !== want[0] || t.dims[2] !== want[1] || t.dims[3] !== want[2]) {
      throw new TeError('shape-mismatch', `${m.id}: output "${f.name}" has shape ${t.dims.join('×')}, the manifest implies 1×${want.join('×')} (stride ${f.stride})`);
    }
  }
}
