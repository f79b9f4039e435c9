// classGrams / centredClassGrams against a direct per-class sum of outer products (including the
// remainder rows that do not fill a 4-row block).
import { describe, expect, it } from 'vitest';
import { centredClassGrams, totalGram } from './classScatter.ts';
import { fromRows } from './matrix.ts';
import { createRng } from '../sampling/rng.ts';

describe('centredClassGrams', () => {
  it('equals Σ_{i∈c} (x_i − μ)(x_i − μ)ᵀ per class, for class sizes that are not multiples of the 8-row block, odd D', () => {
    const rng = createRng(3);
    const n = 53, d = 5;
    const rows = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() * 3 + 1));
    const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3); // sizes 18, 18, 17: two full blocks + remainders
    const g = centredClassGrams(fromRows(rows), y, 3);
    const mu = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
    for (let j = 0; j < d; j++) expect(g.mean[j]).toBeCloseTo(mu[j], 13);
    for (let c = 0; c < 3; c++) {
      const members = rows.filter((_, i) => y[i] === c);
      expect(g.counts[c]).toBe(members.length);
      for (let a = 0; a < d; a++) {
        expect(g.sums[c * d + a]).toBeCloseTo(members.reduce((s, r) => s + r[a] - mu[a], 0), 12);
        for (let b = 0; b < d; b++) {
          const want = members.reduce((s, r) => s + (r[a] - mu[a]) * (r[b] - mu[b]), 0);
          expect(g.grams[c][a * d + b]).toBeCloseTo(want, 11);
        }
      }
    }
    // The total is the scatter of all rows around μ: its trace is Σ_i ‖x_i − μ‖².
    const t = totalGram(g);
    let tr = 0;
    for (let a = 0; a < d; a++) tr += t[a * d + a];
    expect(tr).toBeCloseTo(rows.reduce((s, r) => s + r.reduce((q, v, j) => q + (v - mu[j]) ** 2, 0), 0), 10);
  });

  it('handles a class with a single row and 1-D data', () => {
    const g = centredClassGrams(fromRows([[1], [3], [8]]), Int32Array.from([0, 0, 1]), 2);
    // μ = 4: class 0 deviations −3, −1 → 10; class 1 deviation 4 → 16.
    expect(g.grams[0][0]).toBe(10);
    expect(g.grams[1][0]).toBe(16);
    expect(Array.from(g.counts)).toEqual([2, 1]);
  });
});
