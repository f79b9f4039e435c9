// Exact KL(P‖Q) of a 2-D t-SNE layout over all pairs (O(n²)): the independent oracle of the t-SNE tests and the
// quality figure of bench/tsneVsSklearn.ts.
import type { SparseP } from '../../src/core/embedding/affinities.ts';

/** Exact KL(P ‖ Q) = Σ_{p_ij > 0} p_ij log(p_ij / q_ij), q_ij = w_ij / Σ_{k≠l} w_kl. */
export function exactKl(p: SparseP, y: Float64Array): number {
  const n = p.n;
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) z += 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
  }
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let e = p.indptr[i]; e < p.indptr[i + 1]; e++) {
      const j = p.indices[e];
      const q = 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2) / z;
      kl += p.values[e] * Math.log(p.values[e] / q);
    }
  }
  return kl;
}
