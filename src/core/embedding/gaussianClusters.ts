// Seeded synthetic clustered features for the t-SNE tests, benchmarks and demo (issue 5 item 5):
// C isotropic Gaussian clusters in D dimensions, as in the measurements of browser-stack.md §7.
import { createRng } from '../sampling/rng.ts';

export interface Clusters {
  /** n×dim row-major. */
  points: Float64Array;
  labels: Int32Array;
  n: number;
  dim: number;
}

/**
 * n points in `dim` dimensions, point i in cluster i mod C; centres ~ N(0, separation²·I), points ~
 * centre + N(0, I). With separation 4 and dim 64 centres are ~45 apart and clusters ~11 wide.
 */
export function gaussianClusters(n: number, dim: number, clusters: number, seed: number, separation = 4): Clusters {
  const rng = createRng(seed);
  const centres = new Float64Array(clusters * dim);
  for (let a = 0; a < centres.length; a++) centres[a] = separation * rng.normal();
  const points = new Float64Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % clusters;
    labels[i] = c;
    for (let d = 0; d < dim; d++) points[i * dim + d] = centres[c * dim + d] + rng.normal();
  }
  return { points, labels, n, dim };
}
