// Exact k-nearest neighbours (squared Euclidean) on a flat row-major float64 matrix, for the sparse
// t-SNE affinities (issue 5 item 5; sklearn's TSNE uses exact brute-force kNN for D > 15 as well).
// Blocked over row/column tiles with ‖x‖² + ‖y‖² − 2 x·y, each pair computed once and offered to both
// rows' bounded max-heaps; the k kept distances are then recomputed exactly as Σ (x − y)².

export interface Knn {
  /** Neighbours per point (self excluded). */
  k: number;
  /** n×k neighbour indices, each row sorted by ascending distance (ties by index). */
  indices: Int32Array;
  /** n×k squared Euclidean distances, matching `indices`. */
  sqDistances: Float64Array;
}

const TILE = 64;

/**
 * Pushes (d, j) into row i's max-heap of capacity k (`size[i]` entries filled) and keeps top[i], the
 * admission bound (∞ while filling, then the largest kept distance). Callers test d < top[i] first.
 */
function offer(heapD: Float64Array, heapI: Int32Array, size: Int32Array, top: Float64Array, i: number, k: number, d: number, j: number): void {
  const base = i * k;
  let s = size[i];
  if (s < k) {
    // sift up
    let c = s;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (heapD[base + p] >= d) break;
      heapD[base + c] = heapD[base + p];
      heapI[base + c] = heapI[base + p];
      c = p;
    }
    heapD[base + c] = d;
    heapI[base + c] = j;
    size[i] = ++s;
    if (s === k) top[i] = heapD[base];
    return;
  }
  // replace the root and sift down
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= k) break;
    const r = l + 1;
    const m = r < k && heapD[base + r] > heapD[base + l] ? r : l;
    if (heapD[base + m] <= d) break;
    heapD[base + c] = heapD[base + m];
    heapI[base + c] = heapI[base + m];
    c = m;
  }
  heapD[base + c] = d;
  heapI[base + c] = j;
  top[i] = heapD[base];
}

function rowNorms(x: Float64Array, n: number, dim: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = i * dim, e = d + dim; d < e; d++) s += x[d] * x[d];
    norms[i] = s;
  }
  return norms;
}

/** Dot product of rows at offsets oi and oj. */
function dot(x: Float64Array, oi: number, oj: number, dim: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let d = 0;
  for (; d + 3 < dim; d += 4) {
    s0 += x[oi + d] * x[oj + d];
    s1 += x[oi + d + 1] * x[oj + d + 1];
    s2 += x[oi + d + 2] * x[oj + d + 2];
    s3 += x[oi + d + 3] * x[oj + d + 3];
  }
  for (; d < dim; d++) s0 += x[oi + d] * x[oj + d];
  return s0 + s1 + s2 + s3;
}

/** Offers every pair (i, j), i < j, of the tile [i0, i1) × [j0, j1) to both heaps. */
function tilePairs(x: Float64Array, dim: number, norms: Float64Array, i0: number, i1: number, j0: number, j1: number,
  heapD: Float64Array, heapI: Int32Array, size: Int32Array, top: Float64Array, k: number): void {
  let i = i0;
  if (j0 >= i1) {
    // off-diagonal tile: four rows against one column at a time, each column value loaded once
    for (; i + 3 < i1; i += 4) {
      const o0 = i * dim, o1 = o0 + dim, o2 = o1 + dim, o3 = o2 + dim;
      for (let j = j0; j < j1; j++) {
        const oj = j * dim;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let d = 0; d < dim; d++) {
          const v = x[oj + d];
          s0 += x[o0 + d] * v; s1 += x[o1 + d] * v; s2 += x[o2 + d] * v; s3 += x[o3 + d] * v;
        }
        const nj = norms[j];
        const d0 = norms[i] + nj - 2 * s0, d1 = norms[i + 1] + nj - 2 * s1;
        const d2 = norms[i + 2] + nj - 2 * s2, d3 = norms[i + 3] + nj - 2 * s3;
        if (d0 < top[i]) offer(heapD, heapI, size, top, i, k, d0, j); if (d0 < top[j]) offer(heapD, heapI, size, top, j, k, d0, i);
        if (d1 < top[i + 1]) offer(heapD, heapI, size, top, i + 1, k, d1, j); if (d1 < top[j]) offer(heapD, heapI, size, top, j, k, d1, i + 1);
        if (d2 < top[i + 2]) offer(heapD, heapI, size, top, i + 2, k, d2, j); if (d2 < top[j]) offer(heapD, heapI, size, top, j, k, d2, i + 2);
        if (d3 < top[i + 3]) offer(heapD, heapI, size, top, i + 3, k, d3, j); if (d3 < top[j]) offer(heapD, heapI, size, top, j, k, d3, i + 3);
      }
    }
  }
  for (; i < i1; i++) {
    for (let j = Math.max(j0, i + 1); j < j1; j++) {
      const dist = norms[i] + norms[j] - 2 * dot(x, i * dim, j * dim, dim);
      if (dist < top[i]) offer(heapD, heapI, size, top, i, k, dist, j);
      if (dist < top[j]) offer(heapD, heapI, size, top, j, k, dist, i);
    }
  }
}

/** Exact k nearest neighbours of every row of `x` (n×dim), self excluded; requires 1 ≤ k ≤ n − 1. */
export function exactKnn(x: Float64Array, n: number, dim: number, k: number): Knn {
  if (!(k >= 1 && k <= n - 1)) throw new RangeError(`exactKnn: k = ${k} must be in [1, n − 1 = ${n - 1}]`);
  const norms = rowNorms(x, n, dim);
  const heapD = new Float64Array(n * k);
  const heapI = new Int32Array(n * k);
  const size = new Int32Array(n);
  const top = new Float64Array(n).fill(Infinity);
  for (let i0 = 0; i0 < n; i0 += TILE) {
    const i1 = Math.min(n, i0 + TILE);
    for (let j0 = i0; j0 < n; j0 += TILE) {
      tilePairs(x, dim, norms, i0, i1, j0, Math.min(n, j0 + TILE), heapD, heapI, size, top, k);
    }
  }
  return finalise(x, n, dim, k, heapI);
}

/** Recomputes the kept distances exactly and sorts each row by (distance, index). */
function finalise(x: Float64Array, n: number, dim: number, k: number, heapI: Int32Array): Knn {
  const indices = new Int32Array(n * k);
  const sqDistances = new Float64Array(n * k);
  const order = new Array<number>(k);
  const dist = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let a = 0; a < k; a++) {
      const oj = heapI[i * k + a] * dim;
      let s = 0;
      for (let d = 0; d < dim; d++) {
        const t = x[oi + d] - x[oj + d];
        s += t * t;
      }
      dist[a] = s;
      order[a] = a;
    }
    order.sort((a, b) => dist[a] - dist[b] || heapI[i * k + a] - heapI[i * k + b]);
    for (let a = 0; a < k; a++) {
      indices[i * k + a] = heapI[i * k + order[a]];
      sqDistances[i * k + a] = dist[order[a]];
    }
  }
  return { k, indices, sqDistances };
}
