// Gradients of the tfjs kernels the fine-tuning graph uses (issue 8 §1). tfjs-core's own gradient files are only
// reachable through extensionless ESM imports that Node cannot load, so they are registered here (sums one axis at a time).
import * as tf from '@tensorflow/tfjs-core';

type Saved = tf.Tensor[];
type Attrs = Record<string, unknown>;
type GradFn = (dy: tf.Tensor, saved: Saved, attrs: Attrs) => Record<string, () => tf.Tensor> | (() => tf.Tensor)[];

/** Σ over axes one at a time, highest first (mirrors tfjsOps.sumAxes; kept here to avoid an import cycle). */
function sumEach(x: tf.Tensor, axes: number[]): tf.Tensor {
  let y = x;
  for (const a of [...axes].sort((p, q) => q - p)) y = tf.sum(y, a);
  return y;
}

/**
 * Sums a broadcast gradient back to `shape`. Always a new tensor: the tape disposes dy after the node, so
 * handing dy itself to an input (as tfjs-core's own configs never do) would free it under the consumer.
 */
function unbroadcast(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, dy.shape);
  return tf.reshape(axes.length > 0 ? sumEach(dy, axes) : dy, shape);
}

function normAxes(axis: unknown, rank: number): number[] {
  const a = Array.isArray(axis) ? (axis as number[]) : axis === undefined || axis === null ? [...Array(rank).keys()] : [axis as number];
  return a.map((v) => (v < 0 ? v + rank : v));
}

/** dy of a reduction, broadcast back to the input shape. */
function expandReduced(dy: tf.Tensor, x: tf.Tensor, axis: unknown): tf.Tensor {
  const axes = normAxes(axis, x.rank);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.mul(tf.reshape(dy, kept), tf.ones(x.shape));
}

const GRADS: [string, string[], boolean, GradFn][] = [
  ['Add', ['a', 'b'], false, (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => unbroadcast(dy, b.shape) })],
  ['Sub', ['a', 'b'], false, (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => unbroadcast(tf.neg(dy), b.shape) })],
  ['Multiply', ['a', 'b'], false, (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy, b), a.shape), b: () => unbroadcast(tf.mul(dy, a), b.shape) })],
  ['RealDiv', ['a', 'b'], false, (dy, [a, b]) => ({
    a: () => unbroadcast(tf.div(dy, b), a.shape),
    b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy, a), tf.square(b))), b.shape),
  })],
  ['Neg', [], false, (dy) => ({ x: () => tf.neg(dy) })],
  ['Square', ['x'], false, (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(x, 2)) })],
  ['Rsqrt', ['x'], false, (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(tf.pow(tf.rsqrt(x), 3), -0.5)) })],
  ['Exp', [], true, (dy, [y]) => ({ x: () => tf.mul(dy, y) })],
  ['Log', ['x'], false, (dy, [x]) => ({ x: () => tf.div(dy, x) })],
  ['Relu', ['x'], false, (dy, [x]) => ({ x: () => tf.mul(dy, tf.step(x)) })],
  ['LeakyRelu', ['x'], false, (dy, [x], at) => ({ x: () => tf.where(tf.greater(x, 0), dy, tf.mul(dy, at.alpha as number)) })],
  ['Sigmoid', [], true, (dy, [y]) => ({ x: () => tf.mul(dy, tf.mul(y, tf.sub(1, y))) })],
  ['Softmax', [], true, (dy, [y], at) => ({
    logits: () => tf.mul(tf.sub(dy, tf.sum(tf.mul(dy, y), at.dim as number[], true)), y),
  })],
  ['Cast', [], false, (dy) => ({ x: () => tf.clone(dy) })],
  ['Identity', [], false, (dy) => ({ x: () => tf.clone(dy) })],
  ['Reshape', ['x'], false, (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) })],
  ['Transpose', [], false, (dy, _s, at) => {
    const perm = at.perm as number[], inv = new Array<number>(perm.length);
    perm.forEach((p, i) => { inv[p] = i; });
    return { x: () => tf.transpose(dy, inv) };
  }],
  ['Sum', ['x'], false, (dy, [x], at) => ({ x: () => expandReduced(dy, x, at.axis) })],
  ['Mean', ['x'], false, (dy, [x], at) => {
    const n = normAxes(at.axis, x.rank).reduce((p, i) => p * x.shape[i], 1);
    return { x: () => tf.div(expandReduced(dy, x, at.axis), n) };
  }],
  ['PadV2', ['x'], false, (dy, [x], at) => ({ x: () => tf.slice(dy, (at.paddings as [number, number][]).map((p) => p[0]), x.shape) })],
  ['Slice', ['x'], false, (dy, [x], at) => {
    const begin = at.begin as number[];
    return { x: () => tf.pad(dy, x.shape.map((d, i) => [begin[i], d - begin[i] - dy.shape[i]] as [number, number])) };
  }],
  ['BatchMatMul', ['a', 'b'], false, (dy, [a, b], at) => {
    if (at.transposeA || at.transposeB) throw new Error('BatchMatMul gradient: transposed operands are not used by the engine');
    return { a: () => tf.matMul(dy, b, false, true), b: () => tf.matMul(a, dy, true, false) };
  }],
  ['MaxPool', ['x'], true, (dy, [x, y], at) => ({
    x: () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y },
      { filterSize: at.filterSize, strides: at.strides, pad: at.pad, dimRoundingMode: at.dimRoundingMode } as unknown as tf.NamedAttrMap) as tf.Tensor,
  })],
];

let registered = false;

/** Registers the gradients once (idempotent). Concat is registered separately: it saves all inputs. */
export function registerTrainingGradients(): void {
  if (registered) return;
  registered = true;
  for (const [kernelName, inputsToSave, saveOutput, gradFunc] of GRADS) {
    tf.registerGradient({ kernelName, inputsToSave, outputsToSave: saveOutput ? [true] : undefined, gradFunc: gradFunc as never });
  }
  tf.registerGradient({
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: ((dy: tf.Tensor, saved: Saved, at: Attrs) => {
      const axis = normAxes(at.axis, dy.rank)[0];
      const parts = tf.split(dy, saved.map((t) => t.shape[axis]), axis);
      return parts.map((p) => () => p);
    }) as never,
  });
}
