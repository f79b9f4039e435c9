// Fine-tuning inputs from a labelled volume (issue 8 §2, §5): every slice along one axis is a case (case unit
// 'slice'), training slices are chosen or given, held-out slices follow batches.ts heldOutCases.
import { TeError } from '../errors.ts';
import type { Volume } from '../types.ts';
import { extractSlice, sliceShape, type Axis } from '../volume/slices.ts';
import { heldOutCases } from './batches.ts';

/** n × h × w single-channel cases (n = slices along the axis, case i = slice i), as the trainer takes them. */
export interface SliceData {
  images: Float32Array;
  labels: Int32Array;
  n: number;
  h: number;
  w: number;
}

/** Every slice of the normalised image and its label volume along `axis` (numpy np.take order, volume/slices.ts). */
export function sliceData(normalized: Float32Array, label: Volume, axis: Axis, imageSize: Volume['size'] = label.size): SliceData {
  if (imageSize.join('×') !== label.size.join('×') || normalized.length !== label.data.length) {
    throw new TeError('shape-mismatch', `${label.name}: labels are ${label.size.join('×')} but the image is ${imageSize.join('×')}`);
  }
  const [h, w] = sliceShape(label.size, axis);
  const n = label.size[axis], px = h * w;
  const images = new Float32Array(n * px), labels = new Int32Array(n * px);
  for (let i = 0; i < n; i++) {
    images.set(extractSlice(normalized, label.size, axis, i), i * px);
    const l = extractSlice(label.data, label.size, axis, i);
    for (let p = 0; p < px; p++) {
      const v = l[p];
      if (!(Number.isInteger(v) && v >= 0)) throw new TeError('invalid-input', `${label.name}: label ${v} in slice ${i} is not a non-negative integer class`);
      labels[i * px + p] = v;
    }
  }
  return { images, labels, n, h, w };
}

/** Slices holding at least one foreground (label > 0) pixel. */
export function foregroundSlices(d: SliceData): number[] {
  const px = d.h * d.w, out: number[] = [];
  for (let i = 0; i < d.n; i++) {
    for (let p = 0; p < px; p++) if (d.labels[i * px + p] > 0) { out.push(i); break; }
  }
  return out;
}

/**
 * min(k, ⌊F/4⌋) (at least 1) evenly spaced slices among the F foreground slices: the bank's few-shot rule (k = 10)
 * on large volumes, and room for held-out slices on small ones.
 */
export function defaultTrainSlices(d: SliceData, k = 10): number[] {
  return defaultTrainOf(foregroundSlices(d), k);
}

/** defaultTrainSlices given the foreground slices `fg` (ascending). */
export function defaultTrainOf(fg: number[], k = 10): number[] {
  if (fg.length === 0) throw new TeError('too-few-cases', 'fine-tuning: no slice has a foreground label');
  const m = Math.min(k, Math.max(1, Math.floor(fg.length / 4)));
  return Array.from({ length: m }, (_, i) => fg[Math.floor(((i + 0.5) * fg.length) / m)]);
}

/** "3,9,15" → [3, 9, 15], each a slice index in 0..n−1 (named in the error otherwise), no duplicates. */
export function parseCaseList(text: string, n: number, what = '--train-cases'): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new TeError('invalid-input', `${what}: no case indices in "${text}"`);
  const out = parts.map((s) => {
    const v = Number(s);
    if (!/^\d+$/.test(s) || v >= n) throw new TeError('invalid-input', `${what}: "${s}" is not a case index in 0..${n - 1}`);
    return v;
  });
  if (new Set(out).size !== out.length) throw new TeError('invalid-input', `${what}: "${text}" lists a case twice`);
  return out;
}

/**
 * Held-out cases for Dice: not a training case and not adjacent to one (heldOutCases), restricted to `pool` when
 * given (e.g. a demo target's task slices) and to slices with foreground otherwise.
 */
export function testSlices(d: SliceData, train: number[], pool?: number[]): number[] {
  return heldOutSlices(d.n, train, pool ?? foregroundSlices(d));
}

/** testSlices given the slice count and the pool held-out slices are taken from (e.g. the foreground slices). */
export function heldOutSlices(n: number, train: number[], pool: number[]): number[] {
  const keep = new Set(pool);
  const out = heldOutCases(n, train).filter((i) => keep.has(i));
  if (out.length === 0) throw new TeError('too-few-cases', `fine-tuning: no held-out slice is left once the training slices ${train.join(',')} and their neighbours are removed`);
  return out;
}

/** Slice count and foreground slices of a label volume along `axis` (no image needed): what a split is checked against. */
export function labelSliceInfo(label: Volume, axis: Axis): { n: number; foreground: number[] } {
  const n = label.size[axis], foreground: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = extractSlice(label.data, label.size, axis, i);
    if (l.some((v) => v > 0)) foreground.push(i);
  }
  return { n, foreground };
}

/**
 * A user's training-slice list ("3, 9, 15"): every entry an integer slice index in 0..n−1, no repeats, and at least
 * one slice with foreground; the error names every bad entry and why. Slices without foreground are allowed: the
 * bank's protocol trains on them too (a demo target's train_slices reach past the labelled extent, e.g. CT slices
 * 3 and 103 of ct_ax_intracranial), and `finetune --train-cases` takes them.
 */
export function parseTrainSlices(text: string, n: number, foreground: number[], what = 'training slices'): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new TeError('invalid-input', `${what}: none given`);
  const seen = new Set<number>();
  const bad: string[] = [], out: number[] = [];
  for (const s of parts) {
    const v = Number(s);
    if (!/^\d+$/.test(s)) bad.push(`"${s}" is not a whole number`);
    else if (v >= n) bad.push(`${s} is not in 0..${n - 1}`);
    else if (seen.has(v)) bad.push(`${s} is listed twice`);
    else { seen.add(v); out.push(v); }
  }
  if (bad.length) throw new TeError('invalid-input', `${what}: ${bad.join('; ')}`);
  const fg = new Set(foreground);
  if (!out.some((v) => fg.has(v))) throw new TeError('invalid-input', `${what}: none of ${out.join(', ')} has a foreground label`);
  return out;
}
