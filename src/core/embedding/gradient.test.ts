// Independent checks of the Barnes-Hut gradient: θ = 0 against the exact O(n²) t-SNE gradient written
// here from van der Maaten (2014) eq. 5, θ = 0.5 close to it, duplicates and a multi-point leaf.
import { describe, expect, it } from 'vitest';
import { createRng } from '../sampling/rng.ts';
import { jointProbabilities, type SparseP } from './affinities.ts';
import { tsneGradient } from './gradient.ts';

/** ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)/(1 + ‖y_i − y_j‖²), q_ij = w_ij / Σ_{k≠l} w_kl, dense. */
function exactGradient(p: SparseP, y: Float64Array, exaggeration: number): Float64Array {
  const n = p.n;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let e = p.indptr[i]; e < p.indptr[i + 1]; e++) dense[i * n + p.indices[e]] = p.values[e];
  const w = new Float64Array(n * n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      w[i * n + j] = 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
      z += w[i * n + j];
    }
  }
  const g = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const f = 4 * (exaggeration * dense[i * n + j] - w[i * n + j] / z) * w[i * n + j];
      g[2 * i] += f * (y[2 * i] - y[2 * j]);
      g[2 * i + 1] += f * (y[2 * i + 1] - y[2 * j + 1]);
    }
  }
  return g;
}

function setup(n: number, seed: number): { p: SparseP; y: Float64Array } {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n * 8 }, () => rng.normal());
  const y = Float64Array.from({ length: 2 * n }, () => 3 * rng.normal());
  return { p: jointProbabilities(x, n, 8, 10), y };
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i] - b[i]) ** 2; den += b[i] ** 2; }
  return Math.sqrt(num / den);
}

describe('tsneGradient', () => {
  it('with θ = 0 equals the exact gradient (with and without exaggeration)', () => {
    const { p, y } = setup(80, 1);
    for (const ex of [1, 12]) {
      const g = new Float64Array(160);
      tsneGradient(p, y, 0, ex, g);
      const ref = exactGradient(p, y, ex);
      for (let a = 0; a < 160; a++) expect(g[a]).toBeCloseTo(ref[a], 12);
    }
  });

  it('with θ = 0.5 is within a few per cent of the exact gradient', () => {
    const { p, y } = setup(400, 2);
    const g = new Float64Array(800);
    tsneGradient(p, y, 0.5, 1, g);
    const err = relativeError(g, exactGradient(p, y, 1));
    expect(err).toBeGreaterThan(0); // it does approximate
    expect(err).toBeLessThan(0.05);
  });

  it('handles coincident points (a multi-point leaf) exactly at θ = 0', () => {
    const { p, y } = setup(30, 3);
    // points 1, 2, 3 on top of point 0: the quadtree stops splitting and keeps them in one leaf
    for (const j of [1, 2, 3]) { y[2 * j] = y[0]; y[2 * j + 1] = y[1]; }
    const g = new Float64Array(60);
    tsneGradient(p, y, 0, 1, g);
    const ref = exactGradient(p, y, 1);
    for (let a = 0; a < 60; a++) expect(g[a]).toBeCloseTo(ref[a], 12);
  });
});
