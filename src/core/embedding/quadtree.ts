// Barnes-Hut quadtree for the repulsive t-SNE forces (van der Maaten 2014 §4.2), on flat typed arrays:
// nodes in depth-first preorder with a skip pointer to the end of each subtree, so one point's traversal
// is a loop over an index with no stack, no recursion and no per-node objects.

const MAX_DEPTH = 50;

export interface QuadTree {
  nNodes: number;
  /** Centre of mass of each node. */
  comX: Float64Array;
  comY: Float64Array;
  /** Points under each node. */
  count: Float64Array;
  /** Squared side length of each node's square cell. */
  side2: Float64Array;
  /** Preorder index just past the node's subtree. */
  skip: Int32Array;
  /** For leaves: the point index (single-point leaf) or −(start + 2) into `perm` for a multi-point leaf; −1 for inner nodes. */
  leaf: Int32Array;
  /** For multi-point leaves: their size is count[node]; their points are perm[start .. start + count). */
  perm: Int32Array;
}

interface Builder extends QuadTree {
  y: Float64Array;
}

function allocate(cap: number): Omit<QuadTree, 'nNodes' | 'perm'> {
  return {
    comX: new Float64Array(cap), comY: new Float64Array(cap), count: new Float64Array(cap),
    side2: new Float64Array(cap), skip: new Int32Array(cap), leaf: new Int32Array(cap),
  };
}

function grow(t: Builder): void {
  const cap = t.comX.length * 2;
  const next = allocate(cap);
  next.comX.set(t.comX); next.comY.set(t.comY); next.count.set(t.count);
  next.side2.set(t.side2); next.skip.set(t.skip); next.leaf.set(t.leaf);
  Object.assign(t, next);
}

/** Moves perm[lo, hi) entries with `test` true to the front; returns the split index. */
function partition(perm: Int32Array, y: Float64Array, lo: number, hi: number, axis: number, at: number): number {
  let i = lo, j = hi - 1;
  while (i <= j) {
    if (y[2 * perm[i] + axis] < at) i++;
    else { const t = perm[i]; perm[i] = perm[j]; perm[j] = t; j--; }
  }
  return i;
}

function build(t: Builder, lo: number, hi: number, cx: number, cy: number, half: number, depth: number): void {
  if (t.nNodes >= t.comX.length) grow(t);
  const node = t.nNodes++;
  const { perm, y } = t;
  t.side2[node] = 4 * half * half;
  t.count[node] = hi - lo;
  if (hi - lo === 1 || depth >= MAX_DEPTH) {
    let sx = 0, sy = 0;
    for (let e = lo; e < hi; e++) { sx += y[2 * perm[e]]; sy += y[2 * perm[e] + 1]; }
    t.comX[node] = sx / (hi - lo);
    t.comY[node] = sy / (hi - lo);
    t.leaf[node] = hi - lo === 1 ? perm[lo] : -(lo + 2);
    t.skip[node] = t.nNodes;
    return;
  }
  t.leaf[node] = -1;
  const midY = partition(perm, y, lo, hi, 1, cy);
  const midLo = partition(perm, y, lo, midY, 0, cx);
  const midHi = partition(perm, y, midY, hi, 0, cx);
  const h = half / 2;
  const ranges = [lo, midLo, midY, midHi, hi];
  let sx = 0, sy = 0;
  for (let q = 0; q < 4; q++) {
    const a = ranges[q], b = ranges[q + 1];
    if (a === b) continue;
    const child = t.nNodes;
    build(t, a, b, cx + (q & 1 ? h : -h), cy + (q & 2 ? h : -h), h, depth + 1);
    sx += t.comX[child] * t.count[child];
    sy += t.comY[child] * t.count[child];
  }
  t.comX[node] = sx / (hi - lo);
  t.comY[node] = sy / (hi - lo);
  t.skip[node] = t.nNodes;
}

/** Builds the tree over the n points of `y` (n×2, interleaved x, y). */
export function buildQuadTree(y: Float64Array, n: number): QuadTree {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = y[2 * i], b = y[2 * i + 1];
    if (a < minX) minX = a;
    if (a > maxX) maxX = a;
    if (b < minY) minY = b;
    if (b > maxY) maxY = b;
  }
  const span = Math.max(maxX - minX, maxY - minY);
  const half = (span > 0 ? span : 1) * 0.5 * (1 + 1e-9);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const t: Builder = { nNodes: 0, perm, y, ...allocate(Math.max(16, 3 * n)) };
  build(t, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
  const { comX, comY, count, side2, skip, leaf, nNodes } = t;
  return { comX, comY, count, side2, skip, leaf, nNodes, perm };
}

/**
 * Repulsive forces: for every point i, neg[2i..2i+1] = Σ_j w_ij² (y_i − y_j) over all j ≠ i with cells
 * summarised when side² < θ²·d² (sklearn's criterion), w = 1/(1 + d²). Returns Z = Σ_{i≠j} w_ij.
 */
export function repulsiveForces(t: QuadTree, y: Float64Array, n: number, theta: number, neg: Float64Array): number {
  const { comX, comY, count, side2, skip, leaf, perm, nNodes } = t;
  const theta2 = theta * theta;
  let z = 0;
  for (let r = 0; r < n; r++) {
    const i = perm[r]; // tree order: neighbouring queries walk similar paths
    const px = y[2 * i], py = y[2 * i + 1];
    let fx = 0, fy = 0, zi = 0;
    let node = 0;
    while (node < nNodes) {
      const dx = px - comX[node], dy = py - comY[node];
      const d2 = dx * dx + dy * dy;
      const lf = leaf[node];
      if (lf === -1 && side2[node] >= theta2 * d2) { node++; continue; }
      if (lf >= 0 || lf === -1) {
        if (lf !== i) {
          const w = 1 / (1 + d2), c = count[node] * w, m = c * w;
          zi += c; fx += m * dx; fy += m * dy;
        }
      } else {
        const s = -lf - 2, e = s + count[node];
        for (let a = s; a < e; a++) {
          const j = perm[a];
          if (j === i) continue;
          const ex = px - y[2 * j], ey = py - y[2 * j + 1];
          const w = 1 / (1 + ex * ex + ey * ey), m = w * w;
          zi += w; fx += m * ex; fy += m * ey;
        }
      }
      node = skip[node];
    }
    neg[2 * i] = fx; neg[2 * i + 1] = fy; z += zi;
  }
  return z;
}
