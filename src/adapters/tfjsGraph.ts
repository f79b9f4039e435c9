// Runs a parsed ONNX graph (core/finetune/onnxGraph.ts) as a differentiable tfjs computation (issue 8 §1):
// 4-D activations live in NHWC, parameters in ONNX layout; train mode uses BatchNorm batch statistics.
// 3-D nets: a 5-D NCDHW activation lives as a 4-D [N·D, H, W, C] tensor with its depth D in `Value.d`.
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxNode, ParsedGraph, OnnxTensor } from '../core/finetune/onnxGraph.ts';
import {
  batchNormEval, batchNormTrain, conv2d, conv3d, convTranspose3dKs, convTransposeKs, fromNcdhw, maxPool, maxPool3d2, unsupported, upsample2,
  weightInputChannels, type BnStats,
} from './tfjsOps.ts';

type T4 = tf.Tensor4D;
/** A value: a tensor (4-D ones flagged NHWC or NCHW) or a static integer list (Shape, int constants). */
export interface Value {
  t?: tf.Tensor; nhwc: boolean; ints?: number[]; parts?: T4[];
  /** Set for a 3-D activation: t (or each part) is [N·D, H, W, C] and d = D. */
  d?: number;
}

export interface RunOptions {
  training: boolean;
  /** Called with each train-mode BatchNorm's batch statistics, keyed by the node's running-mean name. */
  onBnStats?: (runningMean: string, s: BnStats) => void;
}

/** Looks up a parameter/buffer/constant tensor by the name the graph uses. */
export type ParamLookup = (name: string) => tf.Tensor;

const nhwc = (v: Value): T4 => (v.t!.rank === 4 && !v.nhwc ? tf.transpose(v.t!, [0, 2, 3, 1]) : v.t!) as T4;
const nchw = (v: Value): tf.Tensor => (v.t!.rank === 4 && v.nhwc ? tf.transpose(v.t!, [0, 3, 1, 2]) : v.t!);
const ints = (a: unknown, d: number[]): number[] => (Array.isArray(a) ? (a as number[]) : d);

function staticInts(v: Value | undefined, what: string, node: OnnxNode): number[] {
  if (v?.ints) return v.ints;
  return unsupported(node.op, node.name, `${what} must be a constant`);
}

function convNode(node: OnnxNode, x: Value, p: ParamLookup): Value {
  const a = node.attrs, w = p(node.inputs[1]) as T4;
  if ((a.group ?? 1) !== 1) unsupported(node.op, node.name, 'grouped convolutions are not supported');
  if (ints(a.dilations, [1, 1]).some((d) => d !== 1)) unsupported(node.op, node.name, 'dilated convolutions are not supported');
  if (typeof a.auto_pad === 'string' && a.auto_pad !== 'NOTSET') unsupported(node.op, node.name, `auto_pad ${a.auto_pad} is not supported`);
  if (w.rank === 5 || x.d !== undefined) return conv3dNode(node, x, w, p);
  if (w.rank !== 4) unsupported(node.op, node.name, `${w.rank - 2}-D convolutions are not supported (2-D and 3-D only)`);
  const pads = ints(a.pads, [0, 0, 0, 0]) as [number, number, number, number];
  const strides = ints(a.strides, [1, 1]) as [number, number];
  const b = (node.inputs[2] ? p(node.inputs[2]) : tf.zeros([w.shape[node.op === 'Conv' ? 0 : 1]])) as tf.Tensor1D;
  if (node.op === 'Conv' && x.parts) return { t: convOfConcat(x.parts, w, b, { pads, strides }), nhwc: true };
  if (node.op === 'Conv') {
    return { t: conv2d(nhwc(x), tf.transpose(w, [2, 3, 1, 0]) as T4, b, { pads, strides }), nhwc: true };
  }
  const [, , kh, kw] = w.shape;
  if (pads.some((q) => q !== 0) || strides[0] !== kh || strides[1] !== kw || ints(a.output_padding, [0, 0]).some((q) => q !== 0)) {
    unsupported(node.op, node.name, 'only kernel = stride, no padding is supported (the U-Net up-sampling)');
  }
  return { t: convTransposeKs(nhwc(x), w, b), nhwc: true };
}

/** Conv / ConvTranspose of a 3-D activation (depth-stacked, see tfjsOps.conv3d): stride 1, or ConvTranspose k = s. */
function conv3dNode(node: OnnxNode, x: Value, w: tf.Tensor, p: ParamLookup): Value {
  const a = node.attrs;
  const depth = x.d;
  if (w.rank !== 5 || depth === undefined) return unsupported(node.op, node.name, `a ${w.rank - 2}-D kernel on a ${depth === undefined ? 'non-3-D' : '3-D'} activation`);
  const b = (node.inputs[2] ? p(node.inputs[2]) : tf.zeros([w.shape[node.op === 'Conv' ? 0 : 1] as number])) as tf.Tensor1D;
  const pads = ints(a.pads, [0, 0, 0, 0, 0, 0]), strides = ints(a.strides, [1, 1, 1]);
  if (node.op === 'ConvTranspose') {
    if (pads.some((q) => q !== 0) || strides.some((s, i) => s !== w.shape[2 + i]) || ints(a.output_padding, [0, 0, 0]).some((q) => q !== 0)) {
      unsupported(node.op, node.name, 'only kernel = stride, no padding is supported (the U-Net up-sampling)');
    }
    const r = convTranspose3dKs(x.t! as T4, depth, w, b);
    return { t: r.y, nhwc: true, d: r.depth };
  }
  if (strides.some((s) => s !== 1)) unsupported(node.op, node.name, '3-D convolutions with stride other than 1 are not supported');
  let outDepth = depth;
  const y = sumOverParts(x.parts ?? [x.t! as T4], b, (part, off, bias) => {
    const r = conv3d(part, depth, x.parts ? weightInputChannels(w, off, part.shape[3]) : w, bias, pads);
    outDepth = r.depth;
    return r.y;
  });
  return { t: y, nhwc: true, d: outDepth };
}

/**
 * Σᵢ f(partᵢ, its first input channel, the bias for the first part only): conv(concat(a, b, …), W) = Σ conv(part,
 * W[:, its channels]), so a channel Concat feeding a Conv is never built (tfjs-wasm's last-axis Concat and its SplitV
 * gradient cost ~20 % of a U-Net step).
 */
function sumOverParts(parts: T4[], b: tf.Tensor1D, f: (part: T4, off: number, bias: tf.Tensor1D | null) => T4): T4 {
  let off = 0, y: T4 | null = null;
  for (const [i, part] of parts.entries()) {
    const yi = f(part, off, i === 0 ? b : null);
    y = y ? (tf.add(y, yi) as T4) : yi;
    off += part.shape[3];
  }
  return y!;
}

/** A 2-D Conv of a channel Concat's parts, without building the Concat (sumOverParts). */
function convOfConcat(parts: T4[], w: T4, b: tf.Tensor1D, cfg: { pads: [number, number, number, number]; strides: [number, number] }): T4 {
  return sumOverParts(parts, b, (part, off, bias) => {
    const c = part.shape[3];
    return conv2d(part, tf.transpose(tf.slice(w, [0, off, 0, 0], [w.shape[0], c, w.shape[2], w.shape[3]]), [2, 3, 1, 0]) as T4, bias, cfg);
  });
}

function bnNode(node: OnnxNode, x: Value, p: ParamLookup, opts: RunOptions): Value {
  const [, g, b, m, v] = node.inputs.map((n, i) => (i === 0 ? undefined : p(n) as tf.Tensor1D));
  const eps = (node.attrs.epsilon as number | undefined) ?? 1e-5;
  if (nhwc(x).rank !== 4) unsupported(node.op, node.name, '2-D (4-D tensor) BatchNorm only');
  if (opts.training) return { t: batchNormTrain(nhwc(x), g!, b!, eps, opts.onBnStats && ((s) => opts.onBnStats!(node.inputs[3], s))), nhwc: true, d: x.d };
  return { t: batchNormEval(nhwc(x), g!, b!, m!, v!, eps), nhwc: true, d: x.d };
}

function instanceNorm(node: OnnxNode, x: Value, p: ParamLookup): Value {
  const eps = (node.attrs.epsilon as number | undefined) ?? 1e-5;
  const t = x.t!, r = t.rank;
  const axes = x.nhwc ? [1, 2] : Array.from({ length: r - 2 }, (_, i) => i + 2);
  const shape = x.nhwc ? [-1] : [1, -1, ...new Array<number>(r - 2).fill(1)];
  const mean = tf.mean(t, axes, true);
  const xc = tf.sub(t, mean);
  const y = tf.mul(xc, tf.rsqrt(tf.add(tf.mean(tf.square(xc), axes, true), eps)));
  return { t: tf.add(tf.mul(y, tf.reshape(p(node.inputs[1]), shape)), tf.reshape(p(node.inputs[2]), shape)), nhwc: x.nhwc };
}

function resizeNode(node: OnnxNode, x: Value, vals: (n: string) => Value | undefined): Value {
  const a = node.attrs;
  const mode = (a.mode as string | undefined) ?? 'nearest';
  const ctm = (a.coordinate_transformation_mode as string | undefined) ?? 'half_pixel';
  const scales = node.inputs[2] ? vals(node.inputs[2])?.ints : undefined;
  const t = nhwc(x);
  const sizes = node.inputs[3] ? staticInts(vals(node.inputs[3]), 'sizes', node) : undefined;
  const s = scales ?? (sizes ? [1, 1, sizes[2] / t.shape[1], sizes[3] / t.shape[2]] : undefined);
  if (!s || s.length !== 4 || s[0] !== 1 || s[1] !== 1 || s[2] !== 2 || s[3] !== 2) unsupported(node.op, node.name, 'only ×2 spatial up-sampling of 4-D tensors is supported');
  if (mode === 'nearest' && !(ctm === 'asymmetric' && ((a.nearest_mode as string | undefined) ?? 'round_prefer_floor') === 'floor')) {
    unsupported(node.op, node.name, `nearest with ${ctm}/${String(a.nearest_mode)} is not supported (asymmetric/floor only)`);
  }
  if (mode === 'linear' && !(ctm === 'half_pixel' || ctm === 'pytorch_half_pixel')) unsupported(node.op, node.name, `linear with ${ctm} is not supported (half_pixel only)`);
  if (mode !== 'nearest' && mode !== 'linear') unsupported(node.op, node.name, `mode ${mode} is not supported`);
  return { t: upsample2(t, mode as 'nearest' | 'linear'), nhwc: true };
}

function reshapeNode(node: OnnxNode, x: Value, vals: (n: string) => Value | undefined): Value {
  const t = nchw(x);
  const target = staticInts(vals(node.inputs[1]), 'the shape', node).map((d, i) => (d === 0 ? t.shape[i] : d));
  return { t: tf.reshape(t, target), nhwc: false };
}

function elementwise(node: OnnxNode, a: Value, b: Value, consts: Set<string>): Value {
  const fn = node.op === 'Add' ? tf.add : tf.mul;
  const isConst = (i: number) => consts.has(node.inputs[i]);
  const scalar = (v: Value) => v.t!.size === 1;
  if ((isConst(0) && !scalar(a)) || (isConst(1) && !scalar(b)) || a.nhwc !== b.nhwc) {
    if (a.t!.rank === 4 && b.t!.rank === 4 && !isConst(0) && !isConst(1)) return { t: fn(nhwc(a), nhwc(b)), nhwc: true };
    return { t: fn(nchw(a), nchw(b)), nhwc: false };
  }
  return { t: fn(a.t!, b.t!), nhwc: a.nhwc };
}

function concatNode(node: OnnxNode, xs: Value[]): Value {
  const axis = node.attrs.axis as number;
  if (xs.some((v) => v.d !== undefined)) {
    if (!(axis === 1 || axis === -4) || xs.some((v) => v.d !== xs[0].d)) unsupported(node.op, node.name, '3-D activations are concatenated on channels only');
    return { nhwc: true, parts: xs.map((v) => v.t as T4), d: xs[0].d };
  }
  const r = xs[0].t!.rank;
  const ax = axis < 0 ? axis + r : axis;
  if (r === 4 && ax === 1) return { nhwc: true, parts: xs.map(nhwc) };
  if (r === 4) return { t: tf.concat(xs.map(nhwc), [0, 3, 1, 2][ax]), nhwc: true };
  return { t: tf.concat(xs.map(nchw), ax), nhwc: false };
}

function softmaxNode(node: OnnxNode, x: Value): Value {
  const r = x.t!.rank;
  let axis = (node.attrs.axis as number | undefined) ?? -1;
  if (x.d !== undefined) {
    if (axis !== 1 && axis !== -4) unsupported(node.op, node.name, '3-D activations: softmax over channels only');
    return { t: tf.softmax(x.t!), nhwc: true, d: x.d };
  }
  if (axis < 0) axis += r;
  const t = r === 4 ? nhwc(x) : x.t!;
  const ax = r === 4 ? [0, 3, 1, 2][axis] : axis;
  if (ax === r - 1) return { t: tf.softmax(t), nhwc: r === 4 };
  const perm = Array.from({ length: r }, (_, i) => i);
  [perm[ax], perm[r - 1]] = [perm[r - 1], perm[ax]];
  return { t: tf.transpose(tf.softmax(tf.transpose(t, perm)), perm), nhwc: r === 4 };
}

function runNode(node: OnnxNode, get: (n: string, keepParts?: boolean) => Value, p: ParamLookup, opts: RunOptions, vals: (n: string) => Value | undefined, consts: Set<string>): Value {
  const x = () => get(node.inputs[0]);
  const same = (v: Value, t: tf.Tensor): Value => ({ t, nhwc: v.nhwc, d: v.d });
  switch (node.op) {
    case 'Conv': return convNode(node, get(node.inputs[0], true), p);
    case 'ConvTranspose': return convNode(node, x(), p);
    case 'BatchNormalization': return bnNode(node, x(), p, opts);
    case 'InstanceNormalization': return instanceNorm(node, x(), p);
    case 'Relu': return same(x(), tf.relu(x().t!));
    case 'LeakyRelu': return same(x(), tf.leakyRelu(x().t!, (node.attrs.alpha as number | undefined) ?? 0.01));
    case 'Sigmoid': return same(x(), tf.sigmoid(x().t!));
    case 'Softmax': return softmaxNode(node, x());
    case 'MaxPool': {
      const a = node.attrs;
      if ((a.ceil_mode ?? 0) !== 0 || ints(a.dilations, [1, 1]).some((d) => d !== 1)) unsupported(node.op, node.name, 'ceil_mode and dilations are not supported');
      const k = ints(a.kernel_shape, []) as [number, number];
      const xv = x(), depth = xv.d, k3 = ints(a.kernel_shape, []);
      if (depth !== undefined || k3.length === 3) {
        const s = ints(a.strides, [1, 1, 1]);
        if (depth === undefined || k3.length !== 3 || [...k3, ...s].some((q) => q !== 2) || ints(a.pads, []).some((q) => q !== 0)) {
          return unsupported(node.op, node.name, '3-D max pooling: kernel 2×2×2, stride 2, no padding only');
        }
        const r = maxPool3d2(xv.t! as T4, depth);
        return { t: r.y, nhwc: true, d: r.depth };
      }
      return { t: maxPool(nhwc(x()), k, ints(a.strides, [1, 1]) as [number, number], ints(a.pads, [0, 0, 0, 0]) as [number, number, number, number]), nhwc: true };
    }
    case 'Resize': return resizeNode(node, x(), vals);
    case 'Concat': return concatNode(node, node.inputs.map((n) => get(n)));
    case 'Add': case 'Mul': return elementwise(node, get(node.inputs[0]), get(node.inputs[1]), consts);
    case 'Reshape': return reshapeNode(node, x(), vals);
    case 'Shape': return { nhwc: false, ints: nchw(x()).shape.slice() };
    case 'Identity': return x();
    default: return unsupported(node.op, node.name, 'not supported by the fine-tuning engine');
  }
}

/** Ops that take 3-D (depth-stacked) activations; any other op refuses them. */
const NODES_3D = new Set(['Conv', 'ConvTranspose', 'BatchNormalization', 'Relu', 'LeakyRelu', 'Sigmoid', 'Softmax', 'MaxPool', 'Concat', 'Identity']);

/**
 * Runs the graph on x (NCHW, or NCDHW for a 3-D net) and returns the requested outputs as NHWC 4-D tensors (or as
 * they are); a 3-D net's activations come back depth-stacked, [N·D, H, W, C] (tfjsOps.toNcdhw gives NCDHW).
 */
export function runGraph(g: ParsedGraph, p: ParamLookup, x: tf.Tensor, outputs: string[], opts: RunOptions): tf.Tensor[] {
  const env = new Map<string, Value>();
  env.set(g.inputs[0].name, x.rank === 5 ? { t: fromNcdhw(x), nhwc: true, d: x.shape[2] } : { t: x, nhwc: false });
  const consts = new Set<string>();
  const vals = (n: string): Value | undefined => {
    if (env.has(n)) return env.get(n);
    const prm = g.params.get(n);
    if (!prm) return undefined;
    consts.add(n);
    const isInt = !(prm.data instanceof Float32Array);
    if (isInt) return { nhwc: false, ints: Array.from(prm.data) };
    // small constants (Resize scales) are also readable as numbers
    return { t: p(n), nhwc: false, ints: prm.role === 'constant' && prm.data.length <= 8 ? Array.from(prm.data) : undefined };
  };
  const get = (n: string, keepParts = false): Value => {
    const v = vals(n);
    if (v?.parts && !keepParts) {
      const whole = { t: tf.concat(v.parts, 3), nhwc: true, d: v.d };
      env.set(n, whole);
      return whole;
    }
    if (!v || (!v.t && v.ints)) return v?.ints ? { t: tf.tensor(v.ints), nhwc: false } : unsupported('?', n, 'value is not defined before use');
    return v;
  };
  const needed = new Set(outputs);
  for (const node of g.nodes) {
    if (!NODES_3D.has(node.op) && node.inputs.some((n) => env.get(n)?.d !== undefined)) unsupported(node.op, node.name, 'not supported on 3-D activations');
    const out = runNode(node, get, p, opts, vals, consts);
    env.set(node.outputs[0], out);
  }
  return [...needed].map((n) => {
    const v = env.has(n) ? get(n) : undefined;
    if (!v?.t) return unsupported('output', n, 'not produced by the graph');
    return v.t.rank === 4 && !v.nhwc ? tf.transpose(v.t, [0, 2, 3, 1]) : v.t;
  });
}

/** A parameter's data as a float32 tensor in ONNX layout. */
export function paramTensor(t: Pick<OnnxTensor, 'dims' | 'data'>): tf.Tensor {
  return tf.tensor(t.data instanceof Float32Array ? t.data : Float32Array.from(t.data), t.dims);
}
