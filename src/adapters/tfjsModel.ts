// A trainable model built from a parsed ONNX graph (issue 8 §1): weights and BatchNorm buffers as tf.Variables,
// seeded head replacement when the class count differs, batched eval-mode inference (softmax, argmax).
import * as tf from '@tensorflow/tfjs-core';
import { TeError } from '../core/errors.ts';
import type { OnnxNode, ParsedGraph } from '../core/finetune/onnxGraph.ts';
import { createRng } from '../core/sampling/rng.ts';
import { paramTensor, runGraph } from './tfjsGraph.ts';
import type { BnStats } from './tfjsOps.ts';
import type { ReadGen } from './tfjsDrive.ts';

/** Single-channel cases, already normalised as the model expects: 2-D slices, or volumes of `d` slices for a 3-D net. */
export interface FinetuneData {
  /** n × h × w (n × d × h × w for volumes), case-major, row-major inside a case. */
  images: Float32Array;
  /** Integer labels 0..C−1 (0 = background), laid out as the images. */
  labels: ArrayLike<number>;
  n: number;
  h: number;
  w: number;
  /** Depth of each case for a 3-D (NCDHW) net; absent for a 2-D net. */
  d?: number;
}

/** Pixels (voxels) per case. */
export const caseSize = (d: FinetuneData): number => (d.d ?? 1) * d.h * d.w;

export interface TfModel {
  graph: ParsedGraph;
  vars: Map<string, tf.Variable>;
  /** Running-mean name → { running-var name, ONNX momentum } of each BatchNorm. */
  bn: Map<string, { variance: string; momentum: number }>;
  logits: string;
  numClasses: number;
}

/** The Conv producing `logits` (following Identity nodes back). */
export function headNode(g: ParsedGraph, logits: string): OnnxNode {
  let name = logits;
  for (;;) {
    const node = g.nodes.find((n) => n.outputs.includes(name));
    if (!node) throw new TeError('invalid-input', `fine-tuning: no node produces the logits output "${logits}"`);
    if (node.op === 'Identity') { name = node.inputs[0]; continue; }
    if (node.op !== 'Conv') throw new TeError('unsupported', `fine-tuning: the logits come from a ${node.op} node ("${node.name}"), not a Conv head`, { node: node.name });
    return node;
  }
}

/** Replaces the head conv by a fresh one with `classes` outputs, PyTorch's default init U(±1/√fan_in), seeded. */
export function replaceHead(g: ParsedGraph, logits: string, classes: number, seed: number): void {
  const head = headNode(g, logits);
  const w = g.params.get(head.inputs[1]);
  if (!w) throw new TeError('unsupported', `fine-tuning: head "${head.name}" has no weight initialiser`);
  const rest = w.dims.slice(1), fanIn = rest.reduce((a, q) => a * q, 1); // [cin, kh, kw] or [cin, kd, kh, kw]
  const bound = 1 / Math.sqrt(fanIn), rng = createRng(seed);
  const u = (k: number) => Float32Array.from({ length: k }, () => (2 * rng.next() - 1) * bound);
  w.dims = [classes, ...rest];
  w.data = u(classes * fanIn);
  const bName = head.inputs[2];
  if (bName && g.params.get(bName)) {
    const b = g.params.get(bName)!;
    b.dims = [classes];
    b.data = u(classes);
  }
}

export function buildModel(g: ParsedGraph, logits: string): TfModel {
  const vars = new Map<string, tf.Variable>();
  for (const p of g.params.values()) {
    if (!(p.data instanceof Float32Array)) continue;
    // tf.variable shares the initial tensor's data but leaves that tensor registered: dispose it, or every model
    // built leaks a copy of its weights (seen as numTensors/numBytes left after dispose in test/finetune/leak500).
    const init = paramTensor(p);
    vars.set(p.name, tf.variable(init, false, `${p.name}_${Math.random().toString(36).slice(2)}`));
    init.dispose();
  }
  const bn = new Map<string, { variance: string; momentum: number }>();
  for (const n of g.nodes) {
    if (n.op === 'BatchNormalization') bn.set(n.inputs[3], { variance: n.inputs[4], momentum: (n.attrs.momentum as number | undefined) ?? 0.9 });
  }
  const head = headNode(g, logits);
  return { graph: g, vars, bn, logits, numClasses: g.params.get(head.inputs[1])!.dims[0] };
}

/** Cases `idx` as an [B, 1, H, W] tensor ([B, 1, D, H, W] for volumes). */
export function imageBatch(d: FinetuneData, idx: number[]): tf.Tensor {
  const px = caseSize(d), out = new Float32Array(idx.length * px);
  idx.forEach((c, i) => out.set(d.images.subarray(c * px, (c + 1) * px), i * px));
  return d.d === undefined ? tf.tensor4d(out, [idx.length, 1, d.h, d.w]) : tf.tensor(out, [idx.length, 1, d.d, d.h, d.w]);
}

/** Logits (NHWC; a 3-D net's depth-stacked, [N·D, H, W, C]) of the model for x; `override` replaces some parameters (MetaLR look-ahead). */
export function forward(m: TfModel, x: tf.Tensor, training: boolean, override?: Map<string, tf.Tensor>, onBnStats?: (rm: string, s: BnStats) => void): tf.Tensor4D {
  const p = (n: string): tf.Tensor => override?.get(n) ?? m.vars.get(n) ?? tf.tensor(Array.from(m.graph.params.get(n)!.data));
  return runGraph(m.graph, p, x, [m.logits], { training, onBnStats })[0] as tf.Tensor4D;
}

/** PyTorch's running-statistics update: r ← m·r + (1−m)·batch, the variance unbiased (·M/(M−1)). */
export function updateRunningStats(m: TfModel, stats: [string, BnStats][]): void {
  for (const [rm, s] of stats) {
    const info = m.bn.get(rm);
    const mean = m.vars.get(rm), variance = info && m.vars.get(info.variance);
    if (info && mean && variance) {
      const mom = info.momentum, unbias = s.count > 1 ? s.count / (s.count - 1) : 1;
      tf.tidy(() => {
        mean.assign(tf.add(tf.mul(mean, mom), tf.mul(s.mean, 1 - mom)));
        variance.assign(tf.add(tf.mul(variance, mom), tf.mul(s.variance, (1 - mom) * unbias)));
      });
    }
    s.mean.dispose();
    s.variance.dispose();
  }
}

/** Eval-mode softmax probabilities of cases `idx` as n·h·w·C (n·d·h·w·C) float64 (the PixelProbs layout), in chunks. */
export function* predictProbs(m: TfModel, d: FinetuneData, idx: number[], chunk: number): ReadGen<Float64Array> {
  const c = m.numClasses, px = caseSize(d), out = new Float64Array(idx.length * px * c);
  for (let s = 0; s < idx.length; s += chunk) {
    const part = idx.slice(s, s + chunk);
    const probs = tf.tidy(() => tf.softmax(forward(m, imageBatch(d, part), false)));
    const [data] = yield [probs];
    out.set(data, s * px * c);
    probs.dispose();
  }
  return out;
}

export function disposeModel(m: TfModel): void {
  for (const v of m.vars.values()) v.dispose();
}
