// The fine-tuning engine's parity self-test (issue 8: WebGPU is used only after it passes): on the active tfjs backend,
// the built-in test net's eval-mode logits and, in train mode, its CE + soft Dice loss and every weight's gradient;
// and the deviation of one backend's result from another's, relative to each tensor's largest reference value.
import * as tf from '@tensorflow/tfjs-core';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import { selfTestNet } from '../core/finetune/selfTestNet.ts';
import type { ReadGen } from './tfjsDrive.ts';
import { segmentationLoss } from './tfjsLosses.ts';
import { buildModel, disposeModel, forward, imageBatch } from './tfjsModel.ts';

export interface SelfTestResult {
  /** Eval-mode logits, NHWC. */
  logits: Float32Array;
  /** Train-mode CE + soft Dice loss. */
  loss: number;
  /** d loss / d weight, by initialiser name (ONNX layout). */
  grads: Map<string, Float32Array>;
}

/** Runs the self-test net on the active backend; every tensor it makes is freed. */
export function* selfTestGen(): ReadGen<SelfTestResult> {
  const net = selfTestNet();
  const model = buildModel(parseOnnx(net.onnx), net.logitsName);
  const names = model.graph.weights;
  const idx = Array.from({ length: net.n }, (_, i) => i);
  let kept: tf.Tensor[] = [];
  try {
    const { logits, value, grads } = tf.tidy(() => {
      const x = imageBatch(net, idx);
      const oneHot = tf.cast(tf.oneHot(tf.tensor3d(net.labels, [net.n, net.h, net.w], 'int32'), net.classes), 'float32') as tf.Tensor4D;
      const f = (...ts: tf.Tensor[]) => {
        const ov = new Map(names.map((n, i) => [n, ts[i]]));
        return segmentationLoss('ce-dice', { logits: forward(model, x, true, ov), oneHot });
      };
      const vg = tf.valueAndGrads(f)(names.map((n) => model.vars.get(n)!));
      return { logits: forward(model, x, false), value: vg.value, grads: vg.grads };
    });
    kept = [logits, value, ...grads];
    const reads = yield kept;
    return { logits: reads[0], loss: reads[1][0], grads: new Map(names.map((n, i) => [n, reads[2 + i]])) };
  } finally {
    tf.dispose(kept);
    disposeModel(model);
  }
}

export interface SelfTestDeviation {
  /** max |Δ| / max |reference| over the logits. */
  logits: number;
  /** |Δ| / |reference| of the loss. */
  loss: number;
  /** The largest gradient deviation, each weight's max |Δ| over its own largest |reference|, and which weight. */
  grads: number;
  worstGrad: string;
  /** The largest of the three. */
  max: number;
}

function relToMax(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let d = 0, m = 0;
  for (let i = 0; i < ref.length; i++) {
    const di = Math.abs(a[i] - ref[i]);
    d = Number.isNaN(di) ? Infinity : Math.max(d, di);
    m = Math.max(m, Math.abs(ref[i]));
  }
  return m > 0 ? d / m : d;
}

/** How far `got` is from `ref` (NaN or a missing tensor counts as Infinity). */
export function selfTestDeviation(ref: SelfTestResult, got: SelfTestResult): SelfTestDeviation {
  const logits = relToMax(got.logits, ref.logits);
  const dl = Math.abs(got.loss - ref.loss) / Math.max(Math.abs(ref.loss), 1e-30);
  const loss = Number.isNaN(dl) ? Infinity : dl;
  let grads = 0, worstGrad = '';
  for (const [name, r] of ref.grads) {
    const g = got.grads.get(name);
    const d = g ? relToMax(g, r) : Infinity;
    if (d >= grads) { grads = d; worstGrad = name; }
  }
  return { logits, loss, grads, worstGrad, max: Math.max(logits, loss, grads) };
}
