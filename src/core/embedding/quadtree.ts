// Barnes-Hut quadtree for the repulsive t-SNE forces (van der Maaten 2014 §4.2), on flat typed arrays:
// nodes in depth-first preorder with a skip pointer to the end of each subtree, so one point's traversal
// is a loop over an index with no stack, no recursion and no per-node objects. Each node's four numbers
// (centre of mass x, y, point count, squared side) sit together in one cache line.

const MAX_DEPTH = 50;
/** Float64 slots per node in `nodes`: comX, comY, count, side². */
const NF = 4;

export interface QuadTree {
  nNodes: number;
  /** NF numbers per node: centre of mass (x, y), points under the node, squared side of its square cell. */
  nodes: Float64Array;
  /**
   * Two integers per node: the preorder index just past its subtree, and for a leaf with one point its
   * index, for a multi-point leaf (coincident points at the depth limit) −(start + 2) into `perm`, for an
   * inner node −1.
   */
  links: Int32Array;
  /** Point indices in tree order; a multi-point leaf holds perm[start .. start + count). */
  perm: Int32Array;
}

interface Builder extends QuadTree {
  y: Float64Array;
}

function grow(t: Builder): void {
  const nodes = new Float64Array(t.nodes.length * 2);
  nodes.set(t.nodes);
  const links = new Int32Array(t.links.length * 2);
  links.set(t.links);
  t.nodes = nodes;
  t.links = links;
}

/** Moves perm[lo, hi) entries with coordinate `axis` below `at` to the front; returns the split index. */
function partition(perm: Int32Array, y: Float64Array, lo: number, hi: number, axis: number, at: number): number {
  let i = lo, j = hi - 1;
  while (i <= j) {
    if (y[2 * perm[i] + axis] < at) i++;
    else { const t = perm[i]; perm[i] = perm[j]; perm[j] = t; j--; }
  }
  return i;
}

function build(t: Builder, lo: number, hi: number, cx: number, cy: number, half: number, depth: number): void {
  if ((t.nNodes + 1) * NF > t.nodes.length) grow(t);
  const node = t.nNodes++;
  const { perm, y } = t;
  const o = node * NF;
  t.nodes[o + 2] = hi - lo;
  t.nodes[o + 3] = 4 * half * half;
  let sx = 0, sy = 0;
  if (hi - lo === 1 || depth >= MAX_DEPTH) {
    for (let e = lo; e < hi; e++) { sx += y[2 * perm[e]]; sy += y[2 * perm[e] + 1]; }
    t.links[2 * node + 1] = hi - lo === 1 ? perm[lo] : -(lo + 2);
  } else {
    t.links[2 * node + 1] = -1;
    const midY = partition(perm, y, lo, hi, 1, cy);
    const midLo = partition(perm, y, lo, midY, 0, cx);
    const midHi = partition(perm, y, midY, hi, 0, cx);
    const h = half / 2;
    const ranges = [lo, midLo, midY, midHi, hi];
    for (let q = 0; q < 4; q++) {
      const a = ranges[q], b = ranges[q + 1];
      if (a === b) continue;
      const child = t.nNodes;
      build(t, a, b, cx + (q & 1 ? h : -h), cy + (q & 2 ? h : -h), h, depth + 1);
      sx += t.nodes[child * NF] * (b - a);
      sy += t.nodes[child * NF + 1] * (b - a);
    }
  }
  t.nodes[o] = sx / (hi - lo);
  t.nodes[o + 1] = sy / (hi - lo);
  t.links[2 * node] = t.nNodes;
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
  const cap = Math.max(16, 3 * n);
  const t: Builder = { nNodes: 0, perm, y, nodes: new Float64Array(cap * NF), links: new Int32Array(cap * 2) };
  build(t, 0, n, (minX + maxX) / 2, (minY + maxY) / 2, half, 0);
  return { nNodes: t.nNodes, nodes: t.nodes, links: t.links, perm };
}

/**
 * Repulsive forces: for every point i, neg[2i..2i+1] = Σ_j w_ij² (y_i − y_j) over all j ≠ i with cells
 * summarised when side² < θ²·d² (sklearn's criterion), w = 1/(1 + d²). Returns Z = Σ_{i≠j} w_ij.
 */
export function repulsiveForces(t: QuadTree, y: Float64Array, n: number, theta: number, neg: Float64Array): number {
  const { nodes, links, perm, nNodes } = t;
  const theta2 = theta * theta;
  let z = 0;
  for (let r = 0; r < n; r++) {
    const i = perm[r]; // tree order: consecutive queries walk similar paths
    const px = y[2 * i], py = y[2 * i + 1];
    let fx = 0, fy = 0, zi = 0;
    let node = 0;
    while (node < nNodes) {
      const o = node * NF;
      const dx = px - nodes[o], dy = py - nodes[o + 1];
      const d2 = dx * dx + dy * dy;
      const lf = links[2 * node + 1];
      if (lf === -1) {
        if (nodes[o + 3] >= theta2 * d2) { node++; continue; } // open the cell
      } else if (lf < -1) {
        const s = -lf - 2, e = s + nodes[o + 2];
        for (let a = s; a < e; a++) {
          const j = perm[a];
          if (j === i) continue;
          const ex = px - y[2 * j], ey = py - y[2 * j + 1];
          const w = 1 / (1 + ex * ex + ey * ey), m = w * w;
          zi += w; fx += m * ex; fy += m * ey;
        }
        node = links[2 * node];
        continue;
      } else if (lf === i) {
        node = links[2 * node];
        continue;
      }
      const w = 1 / (1 + d2), c = nodes[o + 2] * w, m = c * w;
      zi += c; fx += m * dx; fy += m * dy;
      node = links[2 * node];
    }
    neg[2 * i] = fx; neg[2 * i + 1] = fy; z += zi;
  }
  return z;
}
