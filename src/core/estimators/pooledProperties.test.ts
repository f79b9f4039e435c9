// Property tests (fast-check) for every pooled estimator: row shuffles and class relabelling leave each score
// unchanged; duplicating every row leaves LEEP, NCE, TransRate, GBC and H-score unchanged (they depend on
// empirical proportions and normalised moments only) but CHANGES LogME (the evidence is not a per-sample average:
// twice the data sharpens the posterior over w), which we assert too.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromRows, type Mat } from '../linalg/matrix.ts';
import { createRng } from '../sampling/rng.ts';
import { gbc } from './gbc.ts';
import { hscore } from './hscore.ts';
import { leep } from './leep.ts';
import { logme } from './logme.ts';
import { nce } from './nce.ts';
import { transrate } from './transrate.ts';

interface Data { f: number[][]; y: number[]; p: number[][] }
type Estimator = (f: Mat, y: number[], p: Mat) => number;

const ESTIMATORS: Record<string, Estimator> = {
  leep: (_f, y, p) => leep(p, y),
  nce: (_f, y, p) => nce(p, y),
  logme_fixed_point: (f, y) => logme(f, y, { variant: 'fixed_point' }),
  logme_icml: (f, y) => logme(f, y, { variant: 'icml' }),
  logme_tllib: (f, y) => logme(f, y, { variant: 'tllib' }),
  transrate_appendix: (f, y) => transrate(f, y),
  transrate_official_eig: (f, y) => transrate(f, y, { variant: 'official_eig' }),
  gbc_diagonal: (f, y) => gbc(f, y),
  gbc_spherical: (f, y) => gbc(f, y, { gaussian: 'spherical' }),
  gbc_diagonal_pca2: (f, y) => gbc(f, y, { pcaDims: Math.min(2, f.cols) }),
  hscore: (f, y) => hscore(f, y),
};

const arbData = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 12, max: 40 }),
  d: fc.integer({ min: 1, max: 5 }),
  c: fc.integer({ min: 2, max: 4 }),
}).map(({ seed, n, d, c }): Data => {
  const rng = createRng(seed);
  const y = Array.from({ length: n }, (_, i) => i % c); // every class has ≥ 3 rows
  const f = y.map((k) => Array.from({ length: d }, (_, j) => rng.normal() + (j % c === k ? 1.5 : 0)));
  const p = y.map((k) => softmax([0, 1, 2].map((z) => rng.normal() + (z === k % 3 ? 1 : 0))));
  return { f, y, p };
});

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function scores(d: Data): Record<string, number> {
  const f = fromRows(d.f), p = fromRows(d.p);
  return Object.fromEntries(Object.entries(ESTIMATORS).map(([k, e]) => [k, e(f, d.y, p)]));
}

function expectClose(got: Record<string, number>, want: Record<string, number>, keys = Object.keys(want)): void {
  for (const k of keys) {
    // A degenerate draw (e.g. a class whose within-class scatter vanishes) is NaN under both labellings: invariant too.
    if (Number.isNaN(want[k])) expect(got[k], k).toBeNaN();
    else expect(Math.abs(got[k] - want[k]), k).toBeLessThanOrEqual(1e-12 + 1e-9 * Math.abs(want[k]));
  }
}

describe('pooled estimator properties', () => {
  it('row shuffles leave every score unchanged', () => {
    fc.assert(fc.property(arbData, fc.integer(), (d, s) => {
      const rng = createRng(s);
      const order = d.y.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      expectClose(scores({ f: order.map((i) => d.f[i]), y: order.map((i) => d.y[i]), p: order.map((i) => d.p[i]) }), scores(d));
    }), { numRuns: 20 });
  });

  it('renaming the target classes (a permutation of the ids) leaves every score unchanged', () => {
    fc.assert(fc.property(arbData, fc.integer(), (d, s) => {
      const c = Math.max(...d.y) + 1;
      const perm = fc.sample(fc.shuffledSubarray([...Array(c).keys()], { minLength: c, maxLength: c }), { numRuns: 1, seed: s })[0];
      expectClose(scores({ ...d, y: d.y.map((k) => perm[k]) }), scores(d));
    }), { numRuns: 20 });
  });

  it('duplicating every row: unchanged except LogME, which changes', () => {
    fc.assert(fc.property(arbData, (d) => {
      const twice = scores({ f: [...d.f, ...d.f], y: [...d.y, ...d.y], p: [...d.p, ...d.p] });
      const once = scores(d);
      expectClose(twice, once, Object.keys(once).filter((k) => !k.startsWith('logme')));
      for (const k of ['logme_fixed_point', 'logme_icml', 'logme_tllib']) expect(Math.abs(twice[k] - once[k]), k).toBeGreaterThan(1e-6);
    }), { numRuns: 20 });
  });
});

describe('dead (all-zero) channels, as real ReLU decoder features have (spec §13.4)', () => {
  // An all-zero column adds an exact zero eigenvalue to FᵀF and to every covariance. LogME icml/tllib: the
  // extra ½·log α of the D/2·log α term cancels the extra −½·log(α + β·0); TransRate: log(1 + 0) = 0 and the rank
  // and eigenvalue sum are unchanged; H-score: pinv drops the zero direction; GBC diagonal: equal means and equal
  // floored variances give D_B contribution 0. LEEP/NCE do not read features. Not invariant: GBC spherical (it
  // averages the floor in) and LogME fixed_point: dead channels give EXACT zero eigenvalues (deflated), which the
  // absolute 1e-10 cut drops while D/2·log α still counts them, so each dead channel adds the same mean_c log(α_c)/(2N)
  // (the α, β iteration does not involve D). numpy leaves ~1e-8 rounding noise in those singular values that may or
  // may not pass the cut; we follow the exact-arithmetic behaviour of the official code.
  const INVARIANT = ['logme_icml', 'logme_tllib', 'transrate_appendix', 'transrate_official_eig', 'gbc_diagonal', 'hscore'];
  it('adding a zero column leaves the invariant estimators unchanged', () => {
    fc.assert(fc.property(arbData, fc.nat(), (d, pos) => {
      const at = pos % (d.f[0].length + 1);
      const dead = d.f.map((r) => [...r.slice(0, at), 0, ...r.slice(at)]);
      const got = scores({ ...d, f: dead }), want = scores(d);
      for (const k of INVARIANT) expect(Math.abs(got[k] - want[k]), k).toBeLessThanOrEqual(1e-10 + 1e-8 * Math.abs(want[k]));
      const twoDead = scores({ ...d, f: dead.map((r) => [0, ...r]) });
      const step = got.logme_fixed_point - want.logme_fixed_point;
      expect(Math.abs(twoDead.logme_fixed_point - got.logme_fixed_point - step)).toBeLessThanOrEqual(1e-12);
    }), { numRuns: 20 });
  });
});
