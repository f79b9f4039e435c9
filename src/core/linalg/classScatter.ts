// Per-class Gram matrices of (transformed) sample rows in ONE pass over N×D data: the D×D statistics that
// LogME, TransRate, H-score and PCA need (estimators-spec §5–§8), never anything N×N.
// Rows are buffered per class and added as rank-8 updates on 2-row tiles: each Gram entry is loaded once per
// 8 rows and each buffered value once per 2 Gram rows (about 2× faster than row-by-row in V8).

import { columnMeans } from './covariance.ts';
import type { Mat } from './matrix.ts';

export interface ClassGrams {
  d: number;
  numClasses: number;
  /** Rows per class. */
  counts: Float64Array;
  /** Per class, the sum of its (written) rows: C×D row-major. */
  sums: Float64Array;
  /** Per class, Σ_{i∈c} r_i r_iᵀ (D×D, full symmetric) of the written rows r_i. */
  grams: Float64Array[];
}

/** Writes row `i` (any transform of it) into `dst` at `off` (D values). */
export type RowWriter = (i: number, dst: Float64Array, off: number) => void;

const BLOCK = 8;

/**
 * One pass over rows 0..n−1: `writeRow` produces each row, `labels[i]` ∈ 0..C−1 picks its class.
 * Cost n·D²/2 multiply-adds; memory C·D² + C·8·D.
 */
export function classGrams(n: number, d: number, labels: Int32Array, numClasses: number, writeRow: RowWriter): ClassGrams {
  const counts = new Float64Array(numClasses);
  const sums = new Float64Array(numClasses * d);
  const grams = Array.from({ length: numClasses }, () => new Float64Array(d * d));
  const buffers = Array.from({ length: numClasses }, () => new Float64Array(BLOCK * d));
  const filled = new Int32Array(numClasses);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    const buf = buffers[c];
    const off = filled[c] * d;
    writeRow(i, buf, off);
    const s = c * d;
    for (let j = 0; j < d; j++) sums[s + j] += buf[off + j];
    counts[c]++;
    if (++filled[c] === BLOCK) {
      rank8Update(grams[c], buf, d);
      filled[c] = 0;
    }
  }
  for (let c = 0; c < numClasses; c++) {
    for (let r = 0; r < filled[c]; r++) rank1Update(grams[c], buffers[c], r * d, d);
    mirrorUpper(grams[c], d);
  }
  return { d, numClasses, counts, sums, grams };
}

/** G += Σ_{r<8} b_r b_rᵀ on the upper triangle (b_r = rows of `b`), two Gram rows (i, i+1) per sweep. */
function rank8Update(g: Float64Array, b: Float64Array, d: number): void {
  const o1 = d, o2 = 2 * d, o3 = 3 * d, o4 = 4 * d, o5 = 5 * d, o6 = 6 * d, o7 = 7 * d;
  let i = 0;
  for (; i + 1 < d; i += 2) {
    const k = i + 1;
    const a0 = b[i], a1 = b[o1 + i], a2 = b[o2 + i], a3 = b[o3 + i], a4 = b[o4 + i], a5 = b[o5 + i], a6 = b[o6 + i], a7 = b[o7 + i];
    const c0 = b[k], c1 = b[o1 + k], c2 = b[o2 + k], c3 = b[o3 + k], c4 = b[o4 + k], c5 = b[o5 + k], c6 = b[o6 + k], c7 = b[o7 + k];
    const gi = i * d, gk = gi + d;
    g[gi + i] += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7;
    for (let j = k; j < d; j++) {
      const b0 = b[j], b1 = b[o1 + j], b2 = b[o2 + j], b3 = b[o3 + j], b4 = b[o4 + j], b5 = b[o5 + j], b6 = b[o6 + j], b7 = b[o7 + j];
      g[gi + j] += a0 * b0 + a1 * b1 + a2 * b2 + a3 * b3 + a4 * b4 + a5 * b5 + a6 * b6 + a7 * b7;
      g[gk + j] += c0 * b0 + c1 * b1 + c2 * b2 + c3 * b3 + c4 * b4 + c5 * b5 + c6 * b6 + c7 * b7;
    }
  }
  if (i < d) {
    const a0 = b[i], a1 = b[o1 + i], a2 = b[o2 + i], a3 = b[o3 + i], a4 = b[o4 + i], a5 = b[o5 + i], a6 = b[o6 + i], a7 = b[o7 + i];
    g[i * d + i] += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7;
  }
}

function rank1Update(g: Float64Array, b: Float64Array, off: number, d: number): void {
  for (let i = 0; i < d; i++) {
    const a = b[off + i];
    if (a === 0) continue;
    const gi = i * d;
    for (let j = i; j < d; j++) g[gi + j] += a * b[off + j];
  }
}

function mirrorUpper(g: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) g[i * d + j] = g[j * d + i];
}

export interface CentredClassGrams extends ClassGrams {
  /** Global column means μ that were subtracted from every row. */
  mean: Float64Array;
}

/** Per-class Grams of the globally centred rows x_i − μ (μ = column means of all rows). */
export function centredClassGrams(x: Mat, labels: Int32Array, numClasses: number): CentredClassGrams {
  const mean = columnMeans(x);
  const d = x.cols, src = x.data;
  const g = classGrams(x.rows, d, labels, numClasses, (i, dst, off) => {
    const o = i * d;
    for (let j = 0; j < d; j++) dst[off + j] = src[o + j] - mean[j];
  });
  return { ...g, mean };
}

/** Σ_c grams[c] (a new D×D array). */
export function totalGram(g: ClassGrams): Float64Array {
  const out = new Float64Array(g.d * g.d);
  for (const gc of g.grams) for (let k = 0; k < out.length; k++) out[k] += gc[k];
  return out;
}
