// Fine-tuning loop on tfjs (issue 8 §2): plain (constant / last-layer / layer-wise / bi-directional), MetaLR
// (spec §12, both rules, via core metalr.ts) and the transfer-risk-weighted loss (spec §10), SGD or Adam, Dice.
import * as tf from '@tensorflow/tfjs-core';
import { TeError } from '../core/errors.ts';
import { batchSampler } from '../core/finetune/batches.ts';
import { checkGroupOverrides, layerGroups, metalrInitialLrs, trainableGroups, type Scheme } from '../core/finetune/layerGroups.ts';
import { lookAheadSign, metalrLrUpdate, type MetalrRule } from '../core/finetune/metalr.ts';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import { weightsReaching } from '../core/finetune/graphPath.ts';
import type { ModelManifest } from '../core/types.ts';
import { crossEntropy, softDiceLoss, type LossKind } from './tfjsLosses.ts';
import { buildModel, caseSize, disposeModel, forward, imageBatch, replaceHead, updateRunningStats, type FinetuneData, type TfModel } from './tfjsModel.ts';
import { diceOf, modelRiskMap, sourceRiskMap } from './tfjsEvaluate.ts';
import type { RiskMapResult } from '../core/finetune/riskCompare.ts';
import type { BnStats } from './tfjsOps.ts';
import { driveAsync, driveSync, type ReadGen } from './tfjsDrive.ts';

export type FinetuneMethod = 'plain' | 'metalr' | 'risk';

export interface TrainerOptions {
  /** Shorthand: plain = constant LR; metalr = scheme metalr-paper; risk = constant LR + risk-weighted loss. */
  method?: FinetuneMethod;
  scheme?: Scheme;
  riskWeighted?: boolean;
  optimizer?: 'adam' | 'sgd';
  /** LR of the non-MetaLR schemes (default 1e-3). */
  lr?: number;
  loss?: LossKind;
  batch?: number;
  /**
   * Gradient accumulation over this many equal micro-batches (divides `batch`; default 1) for small devices. Exact
   * for the CE losses with per-sample normalisation (InstanceNorm/GroupNorm); with BatchNorm each micro-batch has
   * its own statistics (as in PyTorch), and the soft Dice term is averaged over micro-batches.
   */
  accumulate?: number;
  seed?: number;
  /** Training cases (indices into the data). */
  train: number[];
  /** Held-out cases for Dice. */
  test?: number[];
  /**
   * Cases of the risk map before/after fine-tuning (default: `test`; [] skips it). The source model's map on them is
   * computed at creation, before the head is replaced (`riskBefore`); `riskMap()` gives the current model's.
   */
  riskCases?: number[];
  /** MetaLR validation pool (default: the training cases, as the official code). */
  meta?: number[];
  /** Target class count (default: max label + 1); the head is replaced (seeded) when it differs from the model's. */
  numClasses?: number;
  /** MetaLR hyper-LR η (default 0.1, official --hyper-lr) and initial per-group LRs (default 1e-3, head 1e-2). */
  eta?: number;
  initialLrs?: number[];
  /** MetaLR: optional upper LR clip for either rule (the paper rule has none; the official code's is 1e-2). */
  lrMax?: number;
  topK?: number;
  frozen?: [number, number];
  groupOf?: (param: string) => string;
  /** Parameter name → group name, over `groupOf` (serialisable: the lab's group editor, the CLI's --groups FILE.json). */
  groupOverrides?: Record<string, string>;
}

export interface StepResult {
  iteration: number;
  loss: number;
  /** Per-group LRs used for this step's update. */
  lrs: number[];
  /** MetaLR only: validation loss at the look-ahead point and ⟨∇L_val(θ̂), ∇L_train(θ)⟩ per group. */
  valLoss?: number;
  dots?: number[];
}

export interface EvalResult { dice: number; perClass: number[] }

export interface Trainer {
  /** The active tfjs backend ('wasm', 'cpu', …), to show. */
  backend: string;
  groups: string[];
  trainable: boolean[];
  /** Weights on no differentiable path to the logits (auxiliary / deep-supervision heads, unread branches): frozen. */
  offPath: string[];
  numClasses: number;
  /** Risk weights R of the training cases (case-major, h·w or d·h·w each), when the loss is risk-weighted. */
  risk: Float64Array | null;
  /** The source model's transfer risk map on `riskCases`, before any fine-tuning or head replacement (null if none). */
  riskBefore: RiskMapResult | null;
  /** The current model's transfer risk map (eval-mode softmax → pixel LEEP → 10^Ĥ per image) on `cases` (default `riskCases`). */
  riskMap(cases?: number[]): Promise<RiskMapResult>;
  riskMapSync(cases?: number[]): RiskMapResult;
  step(): Promise<StepResult>;
  stepSync(): StepResult;
  evaluate(cases?: number[]): Promise<EvalResult>;
  evaluateSync(cases?: number[]): EvalResult;
  /** Current weights and BatchNorm running statistics by initialiser name (ONNX layout): the state to export. */
  weights(): Map<string, Float32Array>;
  /**
   * Trained weights and BatchNorm running statistics with their dims (a replaced head's are new): for
   * exportFinetunedOnnx. Read asynchronously (tfjs WebGPU's synchronous read-back is wrong, see tfjsWebgpuPatch).
   */
  exportState(): Promise<TrainerState>;
  exportStateSync(): TrainerState;
  dispose(): void;
}

type Reads = Float32Array[];
export type TrainerState = Map<string, { data: Float32Array; dims: number[] }>;
type StepGen = ReadGen<StepResult>;

function resolveOptions(o: TrainerOptions, labels: ArrayLike<number>) {
  const scheme: Scheme = o.scheme ?? (o.method === 'metalr' ? 'metalr-paper' : 'constant');
  const metalr = scheme === 'metalr-paper' || scheme === 'metalr-official';
  let maxLabel = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > maxLabel) maxLabel = labels[i];
  return {
    scheme, metalr, rule: (scheme === 'metalr-official' ? 'official' : 'paper') as MetalrRule,
    risk: o.riskWeighted ?? o.method === 'risk', optimizer: o.optimizer ?? (metalr ? 'sgd' : 'adam'),
    lr: o.lr ?? 1e-3, loss: o.loss ?? 'ce', batch: o.batch ?? 8, seed: o.seed ?? 0, eta: o.eta ?? 0.1, accumulate: o.accumulate ?? 1,
    numClasses: o.numClasses ?? maxLabel + 1,
  };
}

/** Builds the trainer; reads (the source risk map) are asynchronous: use this in workers and the browser. */
export function createTrainer(onnxBytes: Uint8Array, manifest: Pick<ModelManifest, 'logits_name'>, data: FinetuneData, opts: TrainerOptions): Promise<Trainer> {
  return driveAsync(trainerGen(onnxBytes, manifest, data, opts));
}

/** The same with synchronous reads (Node: CLI, tests, benchmarks). */
export function createTrainerSync(onnxBytes: Uint8Array, manifest: Pick<ModelManifest, 'logits_name'>, data: FinetuneData, opts: TrainerOptions): Trainer {
  return driveSync(trainerGen(onnxBytes, manifest, data, opts));
}

function* trainerGen(onnxBytes: Uint8Array, manifest: Pick<ModelManifest, 'logits_name'>, data: FinetuneData, opts: TrainerOptions): ReadGen<Trainer> {
  const o = resolveOptions(opts, data.labels);
  const dims = `${data.d === undefined ? '' : `${data.d}×`}${data.h}×${data.w}`;
  if (data.images.length !== data.n * caseSize(data) || data.labels.length !== data.images.length) {
    throw new TeError('shape-mismatch', `fine-tuning: ${data.images.length} pixels and ${data.labels.length} labels for ${data.n} cases of ${dims}`);
  }
  if (!(Number.isInteger(o.accumulate) && o.accumulate >= 1 && o.batch % o.accumulate === 0)) {
    throw new TeError('invalid-input', `fine-tuning: accumulate = ${o.accumulate} must be a whole divisor of the batch size ${o.batch}`);
  }
  const graph = parseOnnx(onnxBytes);
  const rank = graph.inputs[0]?.dims.length ?? 0; // 0: the file does not say
  if ((rank === 5 && data.d === undefined) || (rank === 4 && data.d !== undefined)) {
    throw new TeError('shape-mismatch', `fine-tuning: a ${rank === 5 ? '3-D (NCDHW)' : '2-D (NCHW)'} model and ${data.d === undefined ? '2-D slices' : 'volumes'} of ${dims}`);
  }
  let model: TfModel = buildModel(graph, manifest.logits_name);
  const riskCases = opts.train;
  const risk = o.risk ? yield* sourceRiskMap(model, data, riskCases, o.batch) : null;
  const compareCases = opts.riskCases ?? opts.test ?? [];
  const riskBefore = compareCases.length ? yield* modelRiskMap(model, data, compareCases, o.batch) : null;
  if (model.numClasses !== o.numClasses) {
    disposeModel(model);
    replaceHead(graph, manifest.logits_name, o.numClasses, o.seed + 7919);
    model = buildModel(graph, manifest.logits_name);
  }
  // only weights that reach the logits get gradients (tf.valueAndGrads refuses the others); the rest stay frozen
  const onPath = weightsReaching(graph, manifest.logits_name);
  const offPath = graph.weights.filter((n) => !onPath.includes(n));
  const lg = layerGroups(onPath, opts.groupOf, opts.groupOverrides && checkGroupOverrides(opts.groupOverrides, onPath));
  const head = lg.names.length - 1;
  const trainable = trainableGroups(o.scheme, lg.names.length, { topK: opts.topK, frozen: opts.frozen, head });
  const trainNames = lg.members.flatMap((m, j) => (trainable[j] ? m : []));
  const groupOfParam = new Map(lg.members.flatMap((m, j) => m.map((p) => [p, j] as [string, number])));
  let lrs = o.metalr ? (opts.initialLrs ?? metalrInitialLrs(lg.names.length, head)) : lg.names.map(() => o.lr);
  if (lrs.length !== lg.names.length) throw new TeError('shape-mismatch', `fine-tuning: ${lrs.length} initial LRs for ${lg.names.length} layer groups`);
  const nextBatch = batchSampler(opts.train, o.batch, o.seed);
  const nextMeta = batchSampler(opts.meta ?? opts.train, o.batch, o.seed + 1);
  const adam = { t: 0, m: new Map<string, tf.Tensor>(), v: new Map<string, tf.Tensor>() };
  let iteration = 0;

  const px = caseSize(data), rows = data.d ?? 1; // a case's rows of the depth-stacked logits
  const riskRow = new Map(riskCases.map((c, i) => [c, i]));
  const labelsOf = (idx: number[]) => Int32Array.from(idx.flatMap((c) => Array.from({ length: px }, (_, p) => data.labels[c * px + p])));

  /**
   * One micro-batch's share of the batch loss and its gradients: plain CE is a mean (× 1/k), the risk-weighted CE
   * a sum over the batch's foreground count (exact when summed over micro-batches), soft Dice × 1/k (approximate).
   */
  function chunkLossAndGrads(idx: number[], k: number, fgTotal: number, override?: Map<string, tf.Tensor>, stats?: [string, BnStats][]) {
    const lab = labelsOf(idx);
    const x = imageBatch(data, idx);
    const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor3d(lab, [idx.length * rows, data.h, data.w], 'int32'), o.numClasses), 'float32') as tf.Tensor4D);
    let r: tf.Tensor3D | undefined;
    if (risk) {
      const rw = new Float32Array(idx.length * px);
      idx.forEach((c, i) => rw.set(risk.subarray(riskRow.get(c)! * px, (riskRow.get(c)! + 1) * px), i * px));
      r = tf.tensor3d(rw, [idx.length * rows, data.h, data.w]);
    }
    const f = (...ts: tf.Tensor[]) => {
      const ov = new Map(override ?? []);
      trainNames.forEach((n, i) => ov.set(n, ts[i]));
      const logits = forward(model, x, true, ov, stats && ((rm, s) => stats.push([rm, s])));
      const ce = crossEntropy({ logits, oneHot, risk: r, foreground: fgTotal });
      const part = r ? ce : tf.div(ce, k);
      return (o.loss === 'ce' ? part : tf.add(part, tf.div(softDiceLoss(logits, oneHot), k))) as tf.Scalar;
    };
    const res = tf.valueAndGrads(f)(trainNames.map((n) => override?.get(n) ?? model.vars.get(n)!));
    tf.dispose([x, oneHot, ...(r ? [r] : [])]);
    return res;
  }

  /** Loss and gradients of the batch idx, accumulated over `accumulate` equal micro-batches (train-mode norms). */
  function lossAndGrads(idx: number[], override?: Map<string, tf.Tensor>, stats?: [string, BnStats][]) {
    const k = o.accumulate, size = idx.length / k;
    const fgTotal = labelsOf(idx).reduce((s, v) => s + (v !== 0 ? 1 : 0), 0);
    let acc: { value: tf.Scalar; grads: tf.Tensor[] } | null = null;
    for (let c = 0; c < k; c++) {
      const part = chunkLossAndGrads(idx.slice(c * size, (c + 1) * size), k, fgTotal, override, stats);
      if (!acc) { acc = part; continue; }
      const prev: { value: tf.Scalar; grads: tf.Tensor[] } = acc;
      acc = { value: tf.add(prev.value, part.value) as tf.Scalar, grads: prev.grads.map((g, i) => tf.add(g, part.grads[i])) };
      tf.dispose([prev.value, ...prev.grads, part.value, ...part.grads]);
    }
    return acc!;
  }

  function applyUpdate(grads: tf.Tensor[]): void {
    adam.t++;
    const bc1 = 1 - 0.9 ** adam.t, bc2 = 1 - 0.999 ** adam.t;
    trainNames.forEach((n, i) => {
      const v = model.vars.get(n)!, g = grads[i], lr = lrs[groupOfParam.get(n)!];
      if (o.optimizer === 'sgd') { tf.tidy(() => v.assign(tf.sub(v, tf.mul(g, lr)))); return; }
      const m1 = tf.tidy(() => tf.add(tf.mul(adam.m.get(n) ?? tf.zerosLike(g), 0.9), tf.mul(g, 0.1)));
      const m2 = tf.tidy(() => tf.add(tf.mul(adam.v.get(n) ?? tf.zerosLike(g), 0.999), tf.mul(tf.square(g), 0.001)));
      tf.dispose([adam.m.get(n), adam.v.get(n)].filter((t): t is tf.Tensor => !!t));
      adam.m.set(n, m1); adam.v.set(n, m2);
      tf.tidy(() => v.assign(tf.sub(v, tf.div(tf.mul(m1, lr / bc1), tf.add(tf.div(tf.sqrt(m2), Math.sqrt(bc2)), 1e-8)))));
    });
  }

  const flatGroups = (arrs: Reads): Float32Array[] => lg.members.map((members) => {
    const parts = members.map((n) => arrs[trainNames.indexOf(n)]);
    const out = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
    let off = 0;
    for (const a of parts) { out.set(a, off); off += a.length; }
    return out;
  });

  function* stepGen(): StepGen {
    const stats: [string, BnStats][] = [];
    const tr = lossAndGrads(nextBatch(), undefined, stats);
    let valLoss: number | undefined, dots: number[] | undefined;
    if (o.metalr) {
      const s = lookAheadSign(o.rule);
      const look = new Map(trainNames.map((n, i) => [n, tf.tidy(() => tf.add(model.vars.get(n)!, tf.mul(tr.grads[i], s * lrs[groupOfParam.get(n)!])))]));
      const va = lossAndGrads(nextMeta(), look);
      const reads = yield [...tr.grads, ...va.grads, va.value];
      const upd = metalrLrUpdate(o.rule, lrs, flatGroups(reads.slice(0, trainNames.length)), flatGroups(reads.slice(trainNames.length, 2 * trainNames.length)), o.eta, opts.lrMax);
      lrs = upd.newLrs;
      dots = upd.dots;
      valLoss = reads[2 * trainNames.length][0];
      tf.dispose([...look.values(), ...va.grads, va.value]);
    }
    applyUpdate(tr.grads);
    updateRunningStats(model, stats);
    const [loss] = yield [tr.value];
    tf.dispose([...tr.grads, tr.value]);
    iteration++;
    return { iteration, loss: loss[0], lrs: lrs.slice(), valLoss, dots };
  }

  function* stateGen(): ReadGen<TrainerState> {
    const vars = [...model.vars].filter(([n]) => model.graph.params.get(n)?.role !== 'constant');
    const reads = yield vars.map(([, v]) => v);
    return new Map(vars.map(([n, v], i) => [n, { data: reads[i], dims: v.shape.slice() }]));
  }

  const testCases = opts.test ?? [];
  return {
    backend: tf.getBackend(), groups: lg.names, trainable, offPath, numClasses: o.numClasses, risk,
    stepSync: () => driveSync(stepGen()),
    step: () => driveAsync(stepGen()),
    evaluateSync: (cases = testCases) => driveSync(diceOf(model, data, cases, o.batch)),
    evaluate: (cases = testCases) => driveAsync(diceOf(model, data, cases, o.batch)),
    riskBefore,
    riskMapSync: (cases = compareCases) => driveSync(modelRiskMap(model, data, cases, o.batch)),
    riskMap: (cases = compareCases) => driveAsync(modelRiskMap(model, data, cases, o.batch)),
    weights: () => new Map([...model.vars].map(([n, v]) => [n, v.dataSync() as Float32Array])),
    exportState: () => driveAsync(stateGen()),
    exportStateSync: () => driveSync(stateGen()),
    dispose() {
      disposeModel(model);
      tf.dispose([...adam.m.values(), ...adam.v.values()]);
    },
  };
}
