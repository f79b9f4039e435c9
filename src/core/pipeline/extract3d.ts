// Sample first, then infer, for 3-D models (issue 4 §3–4): each case (a slab of the volume) draws its class-balanced
// sample, the samples are grouped by non-overlapping roi-sized tiles, and only tiles holding samples are run.
// Layout (bank manifests): NCDHW with D = voxel axis k, H = i, W = j; windows beyond the volume are zero-padded.
import { TeError } from '../errors.ts';
import type { ModelSession, Tensor } from '../ports.ts';
import type { ModelManifest, Volume } from '../types.ts';
import { sampleCase } from '../sampling/classBalanced.ts';
import { readFeaturesAt3D } from '../sampling/pointRead3d.ts';
import type { ExtractOptions, ModelFeatures } from './extract2d.ts';
import { countWindows, tilesOfSamples } from './windows.ts';

export interface Case3D { id: string; z0: number; z1: number }

export interface Extract3DOptions extends ExtractOptions {
  /** MONAI roiSize (D, H, W); each a multiple of the model's input multiple. Default 64³. */
  roiSize?: number[];
}

export interface WindowStats { windowsRun: number; windowsFullPass: number }

export async function extractFeatures3D(
  session: ModelSession, m: ModelManifest, norm: Float32Array, label: Volume, cases: Case3D[], opts: Extract3DOptions,
): Promise<ModelFeatures & WindowStats> {
  const [X, Y, Z] = label.size;
  const roi = (opts.roiSize ?? [64, 64, 64]).map((r) => Math.ceil(r / m.input_multiple) * m.input_multiple);
  const layers = m.features;
  const fi = layers.indexOf(layers.reduce((a, b) => (b.stride < a.stride ? b : a)));
  // 1. Sample every case; positions are global (z, y, x) = (k, i, j).
  const perCase = cases.map((c) => {
    const nz = c.z1 - c.z0;
    const flat = new Int32Array(nz * X * Y);
    for (let d = 0; d < nz; d++) for (let h = 0; h < X; h++) for (let w = 0; w < Y; w++) flat[(d * X + h) * Y + w] = label.data[h + X * (w + Y * (c.z0 + d))];
    const samples = sampleCase(flat, opts.numClasses, layers.map((l) => opts.caps[l.name] ?? 100), opts.mode, opts.rng);
    return samples.map((s) => {
      const pos = new Int32Array(s.indices.length * 3);
      s.indices.forEach((idx, r) => {
        const d = Math.floor(idx / (X * Y)), rest = idx - d * X * Y;
        pos[3 * r] = c.z0 + d; pos[3 * r + 1] = Math.floor(rest / Y); pos[3 * r + 2] = rest % Y;
      });
      return { pos, labels: s.labels };
    });
  });
  const feats = perCase.map((ls) => ls.map((l, li) => new Float64Array(l.labels.length * layers[li].channels)));
  const probs = perCase.map((ls) => new Float64Array(ls[fi].labels.length * m.num_classes));
  // 2. Every sampled voxel of every case and layer, grouped by tile.
  const refs: [number, number, number][] = [];
  const all: number[] = [];
  perCase.forEach((ls, ci) => ls.forEach((l, li) => { for (let r = 0; r < l.labels.length; r++) { refs.push([ci, li, r]); all.push(l.pos[3 * r], l.pos[3 * r + 1], l.pos[3 * r + 2]); } }));
  const tiles = tilesOfSamples(Int32Array.from(all), [Z, X, Y], roi);
  const wanted = [m.logits_name, ...layers.map((l) => l.name)];
  for (let t = 0; t < tiles.length; t++) {
    if (opts.signal?.aborted) throw new TeError('cancelled', 'the study was cancelled');
    const { origin, members } = tiles[t];
    const out = await session.run({ [m.input_name]: windowTensor(norm, [X, Y, Z], origin, roi) }, wanted);
    layers.forEach((l, li) => {
      const mine = members.filter((k) => refs[k][1] === li);
      for (const k of mine) {
        const [ci, , r] = refs[k];
        const local = Int32Array.from([0, 1, 2].map((a) => perCase[ci][li].pos[3 * r + a] - origin[a]));
        const o = out[l.name];
        if (!o || o.dims.length !== 5) throw new TeError('unsupported', `${m.id}: output "${l.name}" is not a 5-D feature map`);
        readFeaturesAt3D(o.data, l.channels, o.dims[2], o.dims[3], o.dims[4], l.stride, local, [r], feats[ci][li]);
        if (li === fi) softmax3D(out[m.logits_name], local, r, probs[ci]);
      }
    });
    opts.onEvent?.({ type: 'progress', stage: 'windows', done: t + 1, total: tiles.length, model: m.id });
  }
  return {
    modelId: m.id,
    layers: layers.map((l, li) => ({ name: l.name, stride: l.stride, channels: l.channels, cases: cases.map((c, ci) => ({ caseId: c.id, features: feats[ci][li], labels: perCase[ci][li].labels })) })),
    sourceProbs: probs,
    numSourceClasses: m.num_classes,
    windowsRun: tiles.length,
    windowsFullPass: countWindows([Z, X, Y], roi, 0.5),
  };
}

/** The roi window at `origin` (z, y, x) as a [1, 1, D, H, W] tensor; voxels outside the volume are 0. */
function windowTensor(norm: Float32Array, size: number[], origin: number[], roi: number[]): Tensor {
  const [X, Y, Z] = size;
  const [rd, rh, rw] = roi;
  const data = new Float32Array(rd * rh * rw);
  for (let d = 0; d < rd; d++) {
    const k = origin[0] + d;
    if (k >= Z) break;
    for (let h = 0; h < rh; h++) {
      const i = origin[1] + h;
      if (i >= X) break;
      for (let w = 0; w < rw; w++) {
        const j = origin[2] + w;
        if (j >= Y) break;
        data[(d * rh + h) * rw + w] = norm[i + X * (j + Y * k)];
      }
    }
  }
  return { dims: [1, 1, rd, rh, rw], data };
}

function softmax3D(logits: Tensor, local: Int32Array, row: number, out: Float64Array): void {
  const k = logits.dims[1], [d, h, w] = logits.dims.slice(2);
  const p = (local[0] * h + local[1]) * w + local[2], vol = d * h * w;
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, logits.data[c * vol + p]);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += (out[row * k + c] = Math.exp(logits.data[c * vol + p] - max));
  for (let c = 0; c < k; c++) out[row * k + c] /= sum;
}
