// The Barnes-Hut t-SNE gradient (van der Maaten 2014 eq. 5, as sklearn's _barnes_hut_tsne.gradient):
// ∂C/∂y_i = 4 (Σ_j p_ij w_ij (y_i − y_j) − Σ_j w_ij² (y_i − y_j) / Z), w_ij = 1/(1 + ‖y_i − y_j‖²), Z = Σ_{k≠l} w_kl,
// attractive part exact over the sparse P, repulsive part and Z from the quadtree.
import type { SparseP } from './affinities.ts';
import { buildQuadTree, repulsiveForces } from './quadtree.ts';

const FLOAT32_TINY = 1.1754943508222875e-38;

/** Work buffers reused across iterations, and P's upper triangle as coordinate lists (each pair once). */
export interface GradientScratch {
  pos: Float64Array;
  neg: Float64Array;
  upperI: Int32Array;
  upperJ: Int32Array;
  upperP: Float64Array;
}

export function gradientScratch(p: SparseP): GradientScratch {
  const { n, indptr, indices, values } = p;
  let m = 0;
  for (let i = 0; i < n; i++) for (let e = indptr[i]; e < indptr[i + 1]; e++) if (indices[e] > i) m++;
  const upperI = new Int32Array(m), upperJ = new Int32Array(m), upperP = new Float64Array(m);
  m = 0;
  for (let i = 0; i < n; i++) {
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      if (indices[e] > i) { upperI[m] = i; upperJ[m] = indices[e]; upperP[m++] = values[e]; }
    }
  }
  return { pos: new Float64Array(2 * n), neg: new Float64Array(2 * n), upperI, upperJ, upperP };
}

/** pos[2i..] = Σ_j exaggeration·p_ij w_ij (y_i − y_j), visiting each symmetric pair once. */
function attractiveForces(s: GradientScratch, y: Float64Array, exaggeration: number): void {
  const { pos, upperI, upperJ, upperP } = s;
  pos.fill(0);
  for (let e = 0, m = upperI.length; e < m; e++) {
    const i2 = 2 * upperI[e], j2 = 2 * upperJ[e];
    const dx = y[i2] - y[j2], dy = y[i2 + 1] - y[j2 + 1];
    const f = (exaggeration * upperP[e]) / (1 + dx * dx + dy * dy);
    pos[i2] += f * dx; pos[i2 + 1] += f * dy;
    pos[j2] -= f * dx; pos[j2 + 1] -= f * dy;
  }
}

/** sklearn's error estimate Σ_ij p log(p / q), q = w / Z, over the non-zeros of (exaggerated) P. */
function klEstimate(p: SparseP, y: Float64Array, exaggeration: number, z: number): number {
  const { n, indptr, indices, values } = p;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = indptr[i], end = indptr[i + 1]; e < end; e++) {
      const j = indices[e];
      const dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const pij = exaggeration * values[e];
      const q = 1 / (1 + dx * dx + dy * dy) / z;
      kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(q, FLOAT32_TINY));
    }
  }
  return kl;
}

/**
 * Writes the t-SNE gradient at `y` (n×2 interleaved) into `grad` for P scaled by `exaggeration`.
 * θ = 0 gives the exact gradient. With `withError`, returns sklearn's error estimate
 * KL(exaggeration·P ‖ Q) over the non-zeros of P (Z from the tree); otherwise NaN.
 */
export function tsneGradient(p: SparseP, y: Float64Array, theta: number, exaggeration: number, grad: Float64Array,
  scratch: GradientScratch = gradientScratch(p), withError = false): number {
  const n = p.n;
  const tree = buildQuadTree(y, n);
  const z = repulsiveForces(tree, y, n, theta, scratch.neg);
  attractiveForces(scratch, y, exaggeration);
  const { pos, neg } = scratch;
  const invZ = 1 / z;
  for (let a = 0; a < 2 * n; a++) grad[a] = 4 * (pos[a] - neg[a] * invZ);
  return withError ? klEstimate(p, y, exaggeration, z) : NaN;
}
