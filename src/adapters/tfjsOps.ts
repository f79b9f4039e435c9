// Trainable tfjs ops for the fine-tuning engine (issue 8 §1, tfjs 4.22 defects): conv gradients as forward
// convolutions (wasm has no Conv2DBackpropFilter), exact ×2 up-sampling, BatchNorm with one-axis-at-a-time sums.
import * as tf from '@tensorflow/tfjs-core';
import { registerTrainingGradients } from './tfjsGradients.ts';

registerTrainingGradients();
import { TeError } from '../core/errors.ts';

type T4 = tf.Tensor4D;
type Fwd = (...args: never[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/** tf.customGrad with plain tensor arguments (its typings take a union of tensors and the save function). */
function custom(fn: Fwd): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(fn as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;
}

/** Σ over `axes`, one axis at a time (float32 single-pass sums over ~1e5 terms lose ~1e-3 on wasm). */
export function sumAxes(x: tf.Tensor, axes: number[], keepDims = false): tf.Tensor {
  let y = x;
  for (const a of [...axes].sort((p, q) => q - p)) y = tf.sum(y, a, keepDims);
  return y;
}

export interface ConvConfig {
  /** ONNX order: [top, left, bottom, right]. */
  pads: [number, number, number, number];
  strides: [number, number];
}

/** dL/dx of a valid convolution of the padded input, as a forward convolution (stride 1) or conv2dTranspose. */
function convInputGrad(dy: T4, w: T4, xShape: number[], cfg: ConvConfig): T4 {
  const [pt, pl, pb, pr] = cfg.pads, [sh, sw] = cfg.strides, [kh, kw] = w.shape;
  if (sh === 1 && sw === 1 && Math.max(pt, pb) <= kh - 1 && Math.max(pl, pr) <= kw - 1) {
    const wT = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as T4;
    const dyp = tf.pad(dy, [[0, 0], [kh - 1 - pt, kh - 1 - pb], [kw - 1 - pl, kw - 1 - pr], [0, 0]]);
    return tf.conv2d(dyp, wT, 1, 'valid');
  }
  const [n, h, wd, c] = xShape;
  const full = tf.conv2dTranspose(dy, w, [n, h + pt + pb, wd + pl + pr, c], [sh, sw], 'valid');
  return tf.slice(full, [0, pt, pl, 0], [n, h, wd, c]);
}

/** dL/dW[i,j,ci,co] = Σ xp[n, h·s+i, w·s+j, ci]·dy[n,h,w,co]: a forward conv with batch ↔ channel swapped. */
function convFilterGrad(xp: T4, dy: T4, wShape: number[], cfg: ConvConfig): T4 {
  const [kh, kw, ci, co] = wShape, [sh, sw] = cfg.strides;
  const xT = tf.transpose(xp, [3, 1, 2, 0]) as T4;
  const dyF = tf.transpose(dy, [1, 2, 0, 3]) as T4;
  let g = tf.conv2d(xT, dyF, 1, 'valid', 'NHWC', [sh, sw]);
  if (g.shape[1] !== kh || g.shape[2] !== kw) g = tf.slice(g, [0, 0, 0, 0], [ci, kh, kw, co]);
  return tf.transpose(g, [1, 2, 0, 3]);
}

/**
 * y = conv(x, w) + b, NHWC, w as [kh, kw, I, O]; both gradients are forward convolutions. `b` null: no bias term and
 * no bias gradient (the extra terms of a sum of convolutions: the parts of a Concat, the depth taps of a 3-D conv).
 */
export function conv2d(x: T4, w: T4, b: tf.Tensor1D | null, cfg: ConvConfig): T4 {
  const [pt, pl, pb, pr] = cfg.pads;
  const grads = (xShape: number[], dy: tf.Tensor, saved: tf.Tensor[]) => [
    convInputGrad(dy as T4, saved[1] as T4, xShape, cfg),
    convFilterGrad(saved[0] as T4, dy as T4, saved[1].shape, cfg),
  ];
  const conv = (xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => {
    const xp = (pt | pl | pb | pr) ? tf.pad(xi as T4, [[0, 0], [pt, pb], [pl, pr], [0, 0]]) : (xi as T4);
    save([xp, wi]);
    return tf.conv2d(xp, wi as T4, cfg.strides, 'valid');
  };
  if (b === null) {
    const f = custom((xi: tf.Tensor, wi: tf.Tensor, save: tf.GradSaveFunc) => ({
      value: conv(xi, wi, save),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => grads(xi.shape, dy, saved),
    }));
    return f(x, w) as T4;
  }
  const f = custom((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => ({
    value: tf.add(conv(xi, wi, save), bi) as T4,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [...grads(xi.shape, dy, saved), sumAxes(dy, [0, 1, 2])],
  }));
  return f(x, w, b) as T4;
}

/** y + b over the last axis, with the bias gradient summed one axis at a time. */
export function addChannelBias(y: T4, b: tf.Tensor1D): T4 {
  const f = custom((yi: tf.Tensor, bi: tf.Tensor) => ({
    value: tf.add(yi, bi),
    gradFunc: (dy: tf.Tensor) => [tf.clone(dy), sumAxes(dy, [0, 1, 2])],
  }));
  return f(y, b) as T4;
}

/**
 * ConvTranspose with kernel = stride and no padding (the U-Net up-sampling) as an exact matmul + pixel shuffle,
 * 4-D tensors only. `w` in ONNX layout [I, O, kh, kw].
 */
export function convTransposeKs(x: T4, w: T4, b: tf.Tensor1D): T4 {
  const [n, h, wd, ci] = x.shape, [, co, kh, kw] = w.shape;
  const wm = tf.reshape(tf.transpose(w, [0, 2, 3, 1]), [ci, kh * kw * co]) as tf.Tensor2D;
  const z = tf.matMul(tf.reshape(x, [n * h * wd, ci]) as tf.Tensor2D, wm);
  const s = tf.transpose(tf.reshape(z, [n * h, wd, kh, kw * co]), [0, 2, 1, 3]);
  return addChannelBias(tf.reshape(s, [n, h * kh, wd * kw, co]) as T4, b);
}

export interface BnStats { mean: tf.Tensor1D; variance: tf.Tensor1D; count: number }

/**
 * Train-mode BatchNorm over N, H, W (NHWC) with batch statistics (biased variance, as PyTorch/ONNX) and the
 * analytic backward dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)); every sum is one axis at a time.
 * The batch statistics are handed to `onStats` (kept tensors: the caller disposes them).
 */
export function batchNormTrain(x: T4, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number, onStats?: (s: BnStats) => void): T4 {
  const m = x.shape[0] * x.shape[1] * x.shape[2];
  const f = custom((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    const mean = tf.div(sumAxes(xi, [0, 1, 2]), m);
    const xc = tf.sub(xi, mean);
    const variance = tf.div(sumAxes(tf.square(xc), [0, 1, 2]), m);
    const inv = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(xc, inv);
    if (onStats) onStats({ mean: tf.keep(mean) as tf.Tensor1D, variance: tf.keep(variance) as tf.Tensor1D, count: m });
    save([xhat, inv, gi]);
    return {
      value: tf.add(tf.mul(xhat, gi), bi),
      gradFunc: (dy: tf.Tensor, [xh, iv, g]: tf.Tensor[]) => {
        const dBeta = sumAxes(dy, [0, 1, 2]);
        const dGamma = sumAxes(tf.mul(dy, xh), [0, 1, 2]);
        const inner = tf.sub(tf.sub(dy, tf.div(dBeta, m)), tf.mul(xh, tf.div(dGamma, m)));
        return [tf.mul(inner, tf.mul(g, iv)), dGamma, dBeta];
      },
    };
  });
  return f(x, gamma, beta) as T4;
}

/** Eval-mode BatchNorm with running statistics. */
export function batchNormEval(x: T4, gamma: tf.Tensor1D, beta: tf.Tensor1D, mean: tf.Tensor1D, variance: tf.Tensor1D, eps: number): T4 {
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, eps)));
  return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(mean, scale)));
}

/** Interleaves a and b along axis 1 of [P, L, Q] tensors → [P, 2L, Q] (4-D concat, no 5-D stack). */
function interleave(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [p, l, q] = a.shape;
  const ab = tf.concat([tf.reshape(a, [p, l, 1, q]), tf.reshape(b, [p, l, 1, q])], 2);
  return tf.reshape(ab, [p, 2 * l, q]);
}

/** ×2 linear up-sampling along axis 1 of [P, L, Q], half-pixel centres, edge clamp (PyTorch align_corners=False). */
function up2Linear1d(x: tf.Tensor3D): tf.Tensor3D {
  const [p, l, q] = x.shape;
  const prev = l > 1 ? tf.concat([tf.slice(x, [0, 0, 0], [p, 1, q]), tf.slice(x, [0, 0, 0], [p, l - 1, q])], 1) : x;
  const next = l > 1 ? tf.concat([tf.slice(x, [0, 1, 0], [p, l - 1, q]), tf.slice(x, [0, l - 1, 0], [p, 1, q])], 1) : x;
  const even = tf.add(tf.mul(prev, 0.25), tf.mul(x, 0.75)) as tf.Tensor3D;
  const odd = tf.add(tf.mul(x, 0.75), tf.mul(next, 0.25)) as tf.Tensor3D;
  return interleave(even, odd);
}

/** Exact ×2 up-sampling of NHWC (nearest = floor/asymmetric, linear = half-pixel); autodiff-safe (no resize kernels). */
export function upsample2(x: T4, mode: 'nearest' | 'linear'): T4 {
  const [n, h, w, c] = x.shape;
  const along = (t: tf.Tensor3D) => (mode === 'linear' ? up2Linear1d(t) : interleave(t, t));
  const xw = along(tf.reshape(x, [n * h, w, c]) as tf.Tensor3D); // [n·h, 2w, c]
  const xh = along(tf.reshape(xw, [n, h, 2 * w * c]) as tf.Tensor3D); // [n, 2h, 2w·c]
  return tf.reshape(xh, [n, 2 * h, 2 * w, c]);
}

/** Interleaves a, b ([N, H, W, C]) along W, then such rows along H: the inverse of 2×2 phase splitting. */
function unphase(d00: T4, d01: T4, d10: T4, d11: T4): T4 {
  const [n, h, w, c] = d00.shape;
  const row = (a: T4, b: T4) => interleave(tf.reshape(a, [n * h, w, c]) as tf.Tensor3D, tf.reshape(b, [n * h, w, c]) as tf.Tensor3D);
  const r0 = tf.reshape(row(d00, d01), [n, h, 2 * w * c]) as tf.Tensor3D, r1 = tf.reshape(row(d10, d11), [n, h, 2 * w * c]) as tf.Tensor3D;
  return tf.reshape(interleave(r0, r1), [n, 2 * h, 2 * w, c]);
}

/**
 * 2×2 / stride 2 max pooling with an exact gradient to the first maximum of each window in row-major order (as
 * PyTorch): tfjs-wasm's MaxPoolGrad drops some gradients (seen for 1 and 3 channels).
 */
function maxPool2(x: T4): T4 {
  const f = custom((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const value = tf.maxPool(xi as T4, 2, 2, 'valid');
    save([xi, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, [xs, y]: tf.Tensor[]) => {
        const [n, h, w, c] = y.shape;
        const phase = (i: number, j: number) => tf.stridedSlice(xs, [0, i, j, 0], [n, i + 2 * h, j + 2 * w, c], [1, 2, 2, 1]);
        let taken = tf.cast(tf.zerosLike(y), 'bool');
        const parts = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([i, j]) => {
          const hit = tf.logicalAnd(tf.equal(phase(i, j), y), tf.logicalNot(taken));
          taken = tf.logicalOr(taken, hit);
          return tf.mul(dy, tf.cast(hit, 'float32')) as T4;
        });
        const dx = unphase(parts[0], parts[1], parts[2], parts[3]);
        const [, xh, xw] = xs.shape;
        return [dx.shape[1] === xh && dx.shape[2] === xw ? dx : tf.pad(dx, [[0, 0], [0, xh - dx.shape[1]], [0, xw - dx.shape[2]], [0, 0]])];
      },
    };
  });
  return f(x) as T4;
}

/** MaxPool (NHWC), explicit pads filled with −∞; 2×2/2 through maxPool2's exact gradient. */
export function maxPool(x: T4, kernel: [number, number], strides: [number, number], pads: [number, number, number, number]): T4 {
  const [pt, pl, pb, pr] = pads;
  const xp = (pt | pl | pb | pr) ? tf.pad(x, [[0, 0], [pt, pb], [pl, pr], [0, 0]], -3.4e38) : x;
  if (kernel[0] === 2 && kernel[1] === 2 && strides[0] === 2 && strides[1] === 2) return maxPool2(xp);
  return tf.maxPool(xp, kernel, strides, 'valid');
}

// ---- 3-D nets: a 5-D NCDHW activation is held as a 4-D [N·D, H, W, C] tensor (N cases of D slices), so every
// kernel and gradient is a 4-D (or lower) one: wasm has no Conv3D and no 3-D pool, and its 5-D paths are slow.

/** The depth-slab `k` (of `depth` slices per case, after padding the depth axis by pd0/pd1 zeros), [N·Do, H, W, C]. */
function depthWindow(x: T4, depth: number, pd0: number, pd1: number, k: number, outDepth: number): T4 {
  const [m, h, w, c] = x.shape, n = m / depth;
  if (k === pd0 && outDepth === depth) return x;
  let xr = tf.reshape(x, [n, depth, h * w * c]) as tf.Tensor3D;
  if (pd0 || pd1) xr = tf.pad(xr, [[0, 0], [pd0, pd1], [0, 0]]);
  return tf.reshape(tf.slice(xr, [0, k, 0], [n, outDepth, h * w * c]), [n * outDepth, h, w, c]);
}

/**
 * Conv with a 3-D kernel, stride 1, on a depth-stacked activation: y[d] = Σ_k conv2d(x[d + k − pd0], W[:, :, k]) + b,
 * each term the 2-D conv above with its own gradients (the bias, if any, on the first only). `w` in ONNX layout [O, I, kd, kh, kw]; `pads` ONNX order
 * [d0, h0, w0, d1, h1, w1]. Returns the output and its depth.
 */
export function conv3d(x: T4, depth: number, w: tf.Tensor, b: tf.Tensor1D | null, pads: number[]): { y: T4; depth: number } {
  const [co, ci, kd, kh, kw] = w.shape;
  const [pd0, ph0, pw0, pd1, ph1, pw1] = pads;
  const outDepth = depth + pd0 + pd1 - kd + 1;
  const wT = tf.transpose(tf.reshape(w, [co, ci, kd, kh * kw]), [2, 3, 1, 0]); // [kd, kh·kw, I, O]
  let y: T4 | null = null;
  for (let k = 0; k < kd; k++) {
    const wk = (kd === 1 ? tf.reshape(wT, [kh, kw, ci, co]) : tf.reshape(tf.slice(wT, [k, 0, 0, 0], [1, kh * kw, ci, co]), [kh, kw, ci, co])) as T4;
    const yk = conv2d(depthWindow(x, depth, pd0, pd1, k, outDepth), wk, k === 0 ? b : null, { pads: [ph0, pw0, ph1, pw1], strides: [1, 1] });
    y = y ? (tf.add(y, yk) as T4) : yk;
  }
  return { y: y!, depth: outDepth };
}

/** Channels [from, from + count) of a 5-D ONNX conv weight (axis 1), through a 3-D slice. */
export function weightInputChannels(w: tf.Tensor, from: number, count: number): tf.Tensor {
  const [co, ci, ...k] = w.shape, kk = k.reduce((a, q) => a * q, 1);
  return tf.reshape(tf.slice(tf.reshape(w, [co, ci, kk]), [0, from, 0], [co, count, kk]), [co, count, ...k]);
}

/**
 * ConvTranspose with kernel = stride, no padding, 3-D, on a depth-stacked activation: a matmul, then the depth phase
 * moved next to the case/depth rows and the 2-D pixel shuffle of `convTransposeKs`. `w` ONNX [I, O, kd, kh, kw].
 */
export function convTranspose3dKs(x: T4, depth: number, w: tf.Tensor, b: tf.Tensor1D): { y: T4; depth: number } {
  const [m, h, wd, ci] = x.shape, [, co, kd, kh, kw] = w.shape;
  const wm = tf.reshape(tf.transpose(tf.reshape(w, [ci, co, kd * kh * kw]), [0, 2, 1]), [ci, kd * kh * kw * co]) as tf.Tensor2D;
  const z = tf.matMul(tf.reshape(x, [m * h * wd, ci]) as tf.Tensor2D, wm); // [(m, h, w), (a, b, c, o)]
  const zd = tf.transpose(tf.reshape(z, [m, h * wd, kd, kh * kw * co]), [0, 2, 1, 3]); // [m, a, (h, w), (b, c, o)]
  const s = tf.transpose(tf.reshape(zd, [m * kd * h, wd, kh, kw * co]), [0, 2, 1, 3]); // [(m, a, h), b, w, (c, o)]
  return { y: addChannelBias(tf.reshape(s, [m * kd, h * kh, wd * kw, co]) as T4, b), depth: depth * kd };
}

/** max(x[2j], x[2j+1]) along axis 1 of [P, 2, Q] → [P, 1, Q]; the gradient goes to the first maximum (ties: 2j). */
function maxPairs(x: tf.Tensor3D): tf.Tensor3D {
  const f = custom((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const [p, , q] = xi.shape;
    const a = tf.slice(xi, [0, 0, 0], [p, 1, q]), b = tf.slice(xi, [0, 1, 0], [p, 1, q]);
    const first = tf.greaterEqual(a, b);
    save([first]);
    return {
      value: tf.where(first, a, b),
      gradFunc: (dy: tf.Tensor, [fst]: tf.Tensor[]) => {
        const zero = tf.zerosLike(dy);
        return [tf.concat([tf.where(fst as tf.Tensor, dy, zero), tf.where(fst as tf.Tensor, zero, dy)], 1)];
      },
    };
  });
  return f(x) as tf.Tensor3D;
}

/**
 * MaxPool 2×2×2 / stride 2 on a depth-stacked activation: the exact 2-D pool of each slice, then the larger of each
 * depth pair. Both pick the first maximum, so the gradient goes where PyTorch's (d, h, w)-ordered scan sends it.
 * An odd last slice is dropped (floor mode).
 */
export function maxPool3d2(x: T4, depth: number): { y: T4; depth: number } {
  const p = maxPool2(x);
  const [m, h, w, c] = p.shape, n = m / depth, half = Math.floor(depth / 2);
  let r = tf.reshape(p, [n, depth, h * w * c]) as tf.Tensor3D;
  if (depth % 2 === 1) r = tf.slice(r, [0, 0, 0], [n, 2 * half, h * w * c]);
  const y = maxPairs(tf.reshape(r, [n * half, 2, h * w * c]) as tf.Tensor3D);
  return { y: tf.reshape(y, [n * half, h, w, c]) as T4, depth: half };
}

/** NCDHW [N, C, D, H, W] → depth-stacked [N·D, H, W, C] (through 3-D transposes). */
export function fromNcdhw(x: tf.Tensor): T4 {
  const [n, c, d, h, w] = x.shape;
  const t = c === 1 ? tf.reshape(x, [n, d * h * w, 1]) : tf.transpose(tf.reshape(x, [n, c, d * h * w]), [0, 2, 1]);
  return tf.reshape(t, [n * d, h, w, c]) as T4;
}

/** Depth-stacked [N·D, H, W, C] → NCDHW [N, C, D, H, W]. */
export function toNcdhw(x: tf.Tensor, depth: number): tf.Tensor {
  const [m, h, w, c] = x.shape, n = m / depth;
  return tf.reshape(tf.transpose(tf.reshape(x, [n, depth * h * w, c]), [0, 2, 1]), [n, c, depth, h, w]);
}

export function unsupported(op: string, node: string, why: string): never {
  throw new TeError('unsupported', `ONNX op ${op} (node "${node}"): ${why}`, { op, node });
}
