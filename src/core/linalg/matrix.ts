// Dense float64 matrix helpers on flat row-major Float64Arrays: the few products the estimators need.
// Kept tiny and allocation-aware; loops are ordered so the innermost index walks memory contiguously.

/** A row-major matrix view: `data[i * cols + j]`. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) throw new RangeError(`mat: ${rows}×${cols} needs ${rows * cols} values, got ${d.length}`);
  return { rows, cols, data: d };
}

/** From number[][] (rows); throws on ragged input or non-finite numbers when `finite` is set. */
export function fromRows(rows: ArrayLike<ArrayLike<number>>, what = 'matrix'): Mat {
  const r = rows.length;
  const c = r > 0 ? rows[0].length : 0;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    const row = rows[i];
    if (row.length !== c) throw new RangeError(`${what}: row ${i} has ${row.length} values, row 0 has ${c}`);
    for (let j = 0; j < c; j++) out[i * c + j] = row[j];
  }
  return mat(r, c, out);
}

export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** C = A · B. */
export function matmul(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new RangeError(`matmul: ${a.rows}×${a.cols} · ${b.rows}×${b.cols}`);
  const n = a.rows, k = a.cols, m = b.cols;
  const c = new Float64Array(n * m);
  const A = a.data, B = b.data;
  for (let i = 0; i < n; i++) {
    const ci = i * m;
    for (let p = 0; p < k; p++) {
      const aip = A[i * k + p];
      if (aip === 0) continue;
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] += aip * B[bp + j];
    }
  }
  return mat(n, m, c);
}

/** G = Aᵀ · A (cols×cols, symmetric). */
export function gramCols(a: Mat): Mat {
  const n = a.rows, d = a.cols, A = a.data;
  const g = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    for (let i = 0; i < d; i++) {
      const x = A[off + i];
      if (x === 0) continue;
      const gi = i * d;
      for (let j = i; j < d; j++) g[gi + j] += x * A[off + j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) g[i * d + j] = g[j * d + i];
  return mat(d, d, g);
}

export function transpose(a: Mat): Mat {
  const t = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t[j * a.rows + i] = a.data[i * a.cols + j];
  return mat(a.cols, a.rows, t);
}

export function trace(a: Mat): number {
  let t = 0;
  for (let i = 0; i < Math.min(a.rows, a.cols); i++) t += a.data[i * a.cols + i];
  return t;
}
