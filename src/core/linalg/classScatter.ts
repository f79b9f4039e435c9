// Per-class Gram matrices of (transformed) sample rows in ONE pass over N×D data: the D×D statistics that
// LogME, TransRate, H-score and PCA need (estimators-spec §5–§8), never anything N×N.
// Rows are buffered per class and added as rank-4 block updates, so each Gram entry is loaded once per 4 rows.

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

const BLOCK = 4;

/**
 * One pass over rows 0..n−1: `writeRow` produces each row, `labels[i]` ∈ 0..C−1 picks its class.
 * Cost n·D²/2 multiply-adds; memory C·D² + C·4·D.
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
      rank4Update(grams[c], buf, d);
      filled[c] = 0;
    }
  }
  for (let c = 0; c < numClasses; c++) {
    for (let r = 0; r < filled[c]; r++) rank1Update(grams[c], buffers[c], r * d, d);
    mirrorUpper(grams[c], d);
  }
  return { d, numClasses, counts, sums, grams };
}

/** G += Σ_{r<4} b_r b_rᵀ on the upper triangle (b_r = rows of `b`). */
function rank4Update(g: Float64Array, b: Float64Array, d: number): void {
  const d2 = 2 * d, d3 = 3 * d;
  for (let i = 0; i < d; i++) {
    const a0 = b[i], a1 = b[d + i], a2 = b[d2 + i], a3 = b[d3 + i];
    const gi = i * d;
    for (let j = i; j < d; j++) g[gi + j] += a0 * b[j] + a1 * b[d + j] + a2 * b[d2 + j] + a3 * b[d3 + j];
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
