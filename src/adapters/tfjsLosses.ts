// Segmentation losses on NHWC logits for the fine-tuning engine (issue 8 §2; spec §10.3): mean cross-entropy,
// risk-weighted foreground-normalised cross-entropy, soft Dice (as tools/bank/unet.py loss_fn); sums one axis at a time.
import * as tf from '@tensorflow/tfjs-core';
import { sumAxes } from './tfjsOps.ts';

export type LossKind = 'ce' | 'ce-dice';

export interface LossInputs {
  /** [N, H, W, C] logits. */
  logits: tf.Tensor4D;
  /** [N, H, W, C] one-hot labels (float32). */
  oneHot: tf.Tensor4D;
  /** [N, H, W] transfer-risk weights R ∈ [1, 10] (spec §10.2); absent = plain cross-entropy. */
  risk?: tf.Tensor3D;
  /** Foreground pixel count of the batch (the risk loss's denominator, guarded to ≥ 1). */
  foreground?: number;
}

/** −Σ_c onehot·log softmax per pixel, [N, H, W]. */
export function pixelCe(logits: tf.Tensor4D, oneHot: tf.Tensor4D): tf.Tensor3D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 3)) as tf.Tensor3D;
}

/** Mean CE over all pixels, or Σ R·ℓ / max(1, #foreground) when a risk map is given (spec §10.3). */
export function crossEntropy(inp: LossInputs): tf.Scalar {
  const l = pixelCe(inp.logits, inp.oneHot);
  if (inp.risk) return tf.div(sumAxes(tf.mul(l, inp.risk), [0, 1, 2]), Math.max(1, inp.foreground ?? 0)) as tf.Scalar;
  return tf.div(sumAxes(l, [0, 1, 2]), l.size) as tf.Scalar;
}

/** 1 − mean over foreground classes of (2 Σ p·y + 1) / (Σ p + Σ y + 1), sums over the whole batch. */
export function softDiceLoss(logits: tf.Tensor4D, oneHot: tf.Tensor4D): tf.Scalar {
  const c = logits.shape[3];
  const p = tf.softmax(logits);
  const inter = sumAxes(tf.mul(p, oneHot), [0, 1, 2]);
  const den = tf.add(sumAxes(p, [0, 1, 2]), sumAxes(oneHot, [0, 1, 2]));
  const dice = tf.div(tf.add(tf.mul(inter, 2), 1), tf.add(den, 1));
  return tf.sub(1, tf.mean(tf.slice(dice, [1], [c - 1]))) as tf.Scalar;
}

export function segmentationLoss(kind: LossKind, inp: LossInputs): tf.Scalar {
  const ce = crossEntropy(inp);
  return kind === 'ce' ? ce : (tf.add(ce, softDiceLoss(inp.logits, inp.oneHot)) as tf.Scalar);
}
