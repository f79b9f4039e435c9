// Tests of the sparse t-SNE affinities: exact kNN against a naive sort, per-point perplexity, symmetry
// and normalisation, and scikit-learn 1.2.1's own P on a seeded input (fixtures/sklearn-joint-p.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../sampling/rng.ts';
import { conditionalProbabilities, jointProbabilities, neighboursFor, symmetrise, type SparseP } from './affinities.ts';
import { exactKnn } from './knn.ts';

function randomPoints(n: number, dim: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * dim }, () => rng.normal() * (1 + rng.next() * 3));
}

function entry(p: SparseP, i: number, j: number): number {
  for (let e = p.indptr[i]; e < p.indptr[i + 1]; e++) if (p.indices[e] === j) return p.values[e];
  return 0;
}

describe('exactKnn', () => {
  it('equals a naive full sort of the distances (n = 150, dim = 7, tiles crossed)', () => {
    const n = 150, dim = 7, k = 12;
    const x = randomPoints(n, dim, 3);
    const knn = exactKnn(x, n, dim, k);
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      const all: [number, number][] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let s = 0;
        for (let d = 0; d < dim; d++) s += (x[i * dim + d] - x[j * dim + d]) ** 2;
        all.push([s, j]);
      }
      all.sort((a, b) => a[0] - b[0]);
      for (let a = 0; a < k; a++) {
        const [d, j] = all[a];
        if (knn.indices[i * k + a] !== j || Math.abs(knn.sqDistances[i * k + a] - d) > 1e-12 * d) bad.push(`${i}[${a}]`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('rejects k outside [1, n − 1]', () => {
    expect(() => exactKnn(new Float64Array(8), 4, 2, 4)).toThrow(RangeError);
  });
});

describe('conditional probabilities', () => {
  it('each row sums to 1 and has the asked perplexity exp(H)', () => {
    const n = 200, dim = 10, perplexity = 12;
    const x = randomPoints(n, dim, 5);
    const k = neighboursFor(n, perplexity);
    expect(k).toBe(37);
    const knn = exactKnn(x, n, dim, k);
    const p = conditionalProbabilities(knn.sqDistances, n, k, perplexity);
    for (let i = 0; i < n; i++) {
      let s = 0, h = 0;
      for (let a = 0; a < k; a++) {
        const v = p[i * k + a];
        s += v;
        if (v > 0) h -= v * Math.log(v);
      }
      expect(s).toBeCloseTo(1, 12);
      expect(Math.abs(h - Math.log(perplexity))).toBeLessThanOrEqual(1.1e-5);
    }
  });
});

describe('jointProbabilities', () => {
  it('is symmetric, non-negative and sums to 1', () => {
    const n = 120, dim = 6;
    const p = jointProbabilities(randomPoints(n, dim, 9), n, dim, 10);
    let total = 0;
    const bad: string[] = [];
    for (let i = 0; i < n; i++) {
      for (let e = p.indptr[i]; e < p.indptr[i + 1]; e++) {
        const j = p.indices[e];
        if (!(p.values[e] > 0) || j === i || entry(p, j, i) !== p.values[e]) bad.push(`(${i}, ${j})`);
        total += p.values[e];
      }
    }
    expect(bad).toEqual([]);
    expect(total).toBeCloseTo(1, 12);
  });

  it("matches scikit-learn 1.2.1's _joint_probabilities_nn on a seeded input (pattern and values)", () => {
    const ref = JSON.parse(readFileSync(new URL('./fixtures/sklearn-joint-p.json', import.meta.url), 'utf8')) as {
      perplexity: number; n: number; dim: number; x: number[]; rows: number[]; cols: number[]; values: number[];
    };
    const x = Float64Array.from(ref.x);
    const worstDeviation = (p: SparseP): number => {
      expect(p.values.length).toBe(ref.values.length);
      let worst = 0;
      for (let e = 0; e < ref.values.length; e++) {
        const got = entry(p, ref.rows[e], ref.cols[e]);
        worst = Math.max(worst, Math.abs(got - ref.values[e]) / ref.values[e]);
      }
      return worst;
    };
    // sklearn searches β on float32 distances and stops within 1e-5 of the target entropy, so in float64
    // the bisection may stop one step apart: p ∝ exp(−β d) then moves by Δβ·d, ~1e-4 relative.
    expect(worstDeviation(jointProbabilities(x, ref.n, ref.dim, ref.perplexity))).toBeLessThan(5e-4);
    // Fed the same float32-rounded distances, the search takes sklearn's exact path.
    const k = neighboursFor(ref.n, ref.perplexity);
    const knn = exactKnn(x, ref.n, ref.dim, k);
    const d32 = knn.sqDistances.map(Math.fround);
    const cond = conditionalProbabilities(d32, ref.n, k, ref.perplexity);
    expect(worstDeviation(symmetrise(cond, knn, ref.n))).toBeLessThan(1e-5);
  });
});
