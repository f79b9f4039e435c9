// Tests of the streaming t-SNE: cluster recovery on 64-D Gaussian clusters (neighbourhood preservation),
// seeding, exact KL(P‖Q) (computed here, O(n²)) decreasing over iterations, streaming and input checks.
import { describe, expect, it } from 'vitest';
import { TeError, type TeWarning } from '../errors.ts';
import { gaussianClusters } from './gaussianClusters.ts';
import { neighbourhoodScore } from './neighbourhoodScore.ts';
import { createTsne } from './tsne.ts';
import { exactKl } from '../../../test/support/exactTsneKl.ts';


function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('neighbourhoodScore', () => {
  it('is 1 for separated clusters and about 1/C for a random layout', () => {
    const labels = Int32Array.from({ length: 500 }, (_, i) => i % 5);
    const separated = new Float64Array(1000);
    const mixed = new Float64Array(1000);
    let s = 1;
    const u = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 500; i++) {
      separated[2 * i] = 100 * labels[i] + u(); separated[2 * i + 1] = u();
      mixed[2 * i] = u(); mixed[2 * i + 1] = u();
    }
    expect(neighbourhoodScore(separated, labels)).toBe(1);
    expect(Math.abs(neighbourhoodScore(mixed, labels) - 0.2)).toBeLessThan(0.05);
  });
});

describe('createTsne', () => {
  it('separates 10 overlapping Gaussian clusters in 64-D (1 000 points, 300 iterations): score ≥ 0.9', () => {
    // centres ~ N(0, 0.6²·I): the clusters are apart in 64-D but overlap in any 2-D projection
    const c = gaussianClusters(1000, 64, 10, 7, 0.6);
    const t = createTsne(c.points, c.n, c.dim, { seed: 7, iterations: 300 });
    // before any step the PCA layout does not separate 10 clusters in 2-D
    expect(neighbourhoodScore(t.embedding(), c.labels)).toBeLessThan(0.9);
    t.step(300);
    expect(t.done).toBe(true);
    expect(t.iteration).toBe(300);
    expect(neighbourhoodScore(t.embedding(), c.labels)).toBeGreaterThanOrEqual(0.9);
  });

  it('is reproducible for a seed and differs for another seed (Float32 input too)', () => {
    const c = gaussianClusters(300, 16, 4, 1);
    const run = (seed: number, pts: Float64Array | Float32Array = c.points) => {
      const t = createTsne(pts, c.n, c.dim, { seed, iterations: 150 });
      t.step(150);
      return t.embedding();
    };
    const a = run(1);
    expect(run(1)).toEqual(a);
    expect(maxAbsDiff(run(2), a)).toBeGreaterThan(1e-3);
    const b = run(1, Float32Array.from(c.points));
    expect(b.every(Number.isFinite)).toBe(true);
    const r = createTsne(c.points, c.n, c.dim, { seed: 1, init: 'random', iterations: 50 });
    const r2 = createTsne(c.points, c.n, c.dim, { seed: 1, init: 'random', iterations: 50 });
    r.step(50); r2.step(50);
    expect(r.embedding()).toEqual(r2.embedding());
  });

  it('lowers the exact KL(P‖Q) over the iterations (n = 200)', () => {
    const c = gaussianClusters(200, 20, 4, 3);
    const t = createTsne(c.points, c.n, c.dim, { seed: 3, perplexity: 15, iterations: 600 });
    const at = (i: number) => { t.step(i - t.iteration); return exactKl(t.affinities, t.embedding()); };
    const initial = at(0);
    // During early exaggeration the descent minimises KL(12·P ‖ Q), so KL(P ‖ Q) need not fall steadily
    // there: only its first stretch is checked; from iteration 250 on it must fall at every checkpoint.
    expect(at(100)).toBeLessThan(initial);
    const kl = [250, 300, 400, 500, 600].map(at);
    for (let a = 1; a < kl.length; a++) expect(kl[a]).toBeLessThan(kl[a - 1]);
    expect(kl[kl.length - 1]).toBeLessThan(0.5 * initial);
    // the reported estimate (un-exaggerated after iteration 250) agrees with the exact value at θ = 0.5
    expect(Math.abs(t.klDivergence - kl[kl.length - 1])).toBeLessThan(0.05 * kl[kl.length - 1]);
  });

  it('streams: step(k) advances k iterations, embedding() is a copy, done stops stepping', () => {
    const c = gaussianClusters(60, 5, 3, 2);
    const t = createTsne(c.points, c.n, c.dim, { perplexity: 10, iterations: 30 });
    t.step();
    expect(t.iteration).toBe(1);
    t.step(9);
    expect(t.iteration).toBe(10);
    const e = t.embedding();
    e[0] = 1e9;
    expect(t.embedding()[0]).not.toBe(1e9);
    t.step(100);
    expect(t.iteration).toBe(30);
    expect(t.done).toBe(true);
    const last = t.embedding();
    t.step(5);
    expect(t.embedding()).toEqual(last);
  });

  it('rejects non-finite features, too few points and bad shapes/options with typed errors', () => {
    const x = new Float64Array(40).fill(1);
    x[13] = NaN;
    const code = (f: () => unknown) => { try { f(); } catch (e) { return e instanceof TeError ? e.code : 'other'; } return 'none'; };
    expect(code(() => createTsne(x, 10, 4))).toBe('non-finite');
    expect(code(() => createTsne(Float64Array.of(1, 2, 3, 4, 5, 6), 3, 2))).toBe('too-few-samples');
    expect(code(() => createTsne(new Float64Array(10), 4, 2))).toBe('shape-mismatch');
    const ok = gaussianClusters(20, 3, 2, 1).points;
    expect(code(() => createTsne(ok, 20, 3, { theta: 2 }))).toBe('invalid-input');
    expect(code(() => createTsne(ok, 20, 3, { perplexity: -1 }))).toBe('invalid-input');
    expect(code(() => createTsne(ok, 20, 3, { init: new Float64Array(3) }))).toBe('shape-mismatch');
  });

  it('clamps a perplexity ≥ n with a warning (sklearn requires perplexity < n) and still runs', () => {
    const c = gaussianClusters(12, 4, 2, 5);
    const warnings: TeWarning[] = [];
    const t = createTsne(c.points, c.n, c.dim, { perplexity: 30, iterations: 100, warn: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/perplexity 30 must be below the number of points \(12\)/);
    t.step(100);
    expect(t.embedding().every(Number.isFinite)).toBe(true);
    expect(neighbourhoodScore(t.embedding(), c.labels, 3)).toBeGreaterThan(0.8);
  });

  it('reports divergence (an absurd learning rate) as a typed error instead of NaN coordinates', () => {
    const c = gaussianClusters(40, 4, 2, 5);
    const t = createTsne(c.points, c.n, c.dim, { perplexity: 5, learningRate: 1e300, iterations: 50 });
    let err: unknown;
    try { t.step(50); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TeError);
    expect((err as TeError).code).toBe('not-converged');
    expect(t.done).toBe(true);
  });

  it('survives identical points (PCA has no variance)', () => {
    const t = createTsne(new Float64Array(40 * 3).fill(2), 40, 3, { perplexity: 5, iterations: 60 });
    t.step(60);
    expect(t.embedding().every(Number.isFinite)).toBe(true);
  });
});
