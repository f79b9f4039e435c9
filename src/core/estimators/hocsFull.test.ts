// hocs_full, HOCS with the full shared within-class covariance (docs/estimators/hocs.md, third round): values on
// fixed data against an independent computation written here (explicit folds, two-pass class covariances,
// Gauss–Jordan inverse, full quadratic form), bootstrap multiplicities (resampled means, whole-set fold covariance),
// invariance to any invertible linear map of the features (the principle it was kept for), a redundant channel,
// collapse, and agreement with `hocs` in one dimension.
import { describe, expect, it } from 'vitest';
import { hocs, HocsPrepared, HOCS_FLOOR } from './hocs.ts';
import { makeCases, toInput, type Rows } from './fixtures/hocsCases.ts';

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan elimination with partial pivoting. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) if (r !== c) { const f = m[r][c]; for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j]; }
  }
  return m.map((r) => r.slice(n));
}

/**
 * Independent reference for one layer. m = case multiplicities (a bootstrap resample; every copy of a case held out):
 * the class means come from the resample, the fold's covariance from every other case once (hocs.ts fullFoldModel).
 */
function naiveFullLayer(cases: Rows[], c: number, m: number[]): number {
  const d = cases[0].x[0].length;
  let acc = 0, w = 0;
  const foldRows = (i: number, mult: (j: number) => number) => {
    const rows: { x: number[]; y: number }[] = [];
    cases.forEach((cs, j) => { if (j !== i) for (let t = 0; t < mult(j); t++) cs.x.forEach((x, r) => rows.push({ x, y: cs.y[r] })); });
    return rows;
  };
  const classMean = (rk: { x: number[] }[]) => Array.from({ length: d }, (_, j) => rk.reduce((s, r) => s + r.x[j], 0) / rk.length);
  cases.forEach((held, i) => {
    if (!m[i]) return;
    const rows = foldRows(i, (j) => m[j]), once = foldRows(i, () => 1);
    const mu = Array.from({ length: c }, (_, k) => classMean(rows.filter((r) => r.y === k)));
    const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let k = 0; k < c; k++) {
      const rk = once.filter((r) => r.y === k), mk = classMean(rk);
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) {
        cov[p][q] += rk.reduce((s, r) => s + (r.x[p] - mk[p]) * (r.x[q] - mk[q]), 0) / (rk.length - 1) / c;
      }
    }
    const avg = cov.reduce((s, r, p) => s + r[p], 0) / d;
    const P = inverse(cov.map((r, p) => r.map((v, q) => (p === q ? v + HOCS_FLOOR * avg : v))));
    const quad = (x: number[], mh: number[]) => {
      let s = 0;
      for (let p = 0; p < d; p++) for (let q = 0; q < d; q++) s += (x[p] - mh[p]) * P[p][q] * (x[q] - mh[q]);
      return s;
    };
    for (let k = 0; k < c; k++) {
      const xs = held.x.filter((_, r) => held.y[r] === k);
      if (!xs.length) continue;
      const post = xs.map((x) => {
        const ll = mu.map((mh) => -0.5 * quad(x, mh));
        const top = Math.max(...ll);
        return Math.exp(ll[k] - top) / ll.reduce((s, l) => s + Math.exp(l - top), 0);
      });
      acc += m[i] * post.reduce((a, b) => a + b, 0) / post.length;
      w += m[i];
    }
  });
  return acc / w;
}

const full = { covariance: 'full' as const };
const mapRows = (cases: Rows[], f: (r: number[]) => number[]): Rows[] => cases.map((c) => ({ x: c.x.map(f), y: c.y }));

describe('hocs_full', () => {
  const l0 = makeCases(1, 4, 3, 2, 1.5), l1 = makeCases(2, 4, 5, 2, 0.7);
  const l2 = makeCases(3, 5, 4, 3, 2.0);

  it('equals an independent computation (binary, two layers; three classes)', () => {
    const r = hocs(toInput([l0, l1], 2), undefined, full);
    expect(r.layers[0]).toBeCloseTo(naiveFullLayer(l0, 2, [1, 1, 1, 1]), 12);
    expect(r.layers[1]).toBeCloseTo(naiveFullLayer(l1, 2, [1, 1, 1, 1]), 12);
    expect(r.total).toBeCloseTo((r.layers[0] + r.layers[1]) / 2, 14);
    expect(hocs(toInput([l2], 3), undefined, full).total).toBeCloseTo(naiveFullLayer(l2, 3, [1, 1, 1, 1, 1]), 12);
    // a different number from the diagonal model (sample correlations between channels)
    expect(Math.abs(hocs(toInput([l1], 2), undefined, full).total - hocs(toInput([l1], 2)).total)).toBeGreaterThan(1e-4);
  });

  it('a bootstrap resample weights cases by multiplicity, holds out every copy of a case, keeps the fold covariance of the whole set', () => {
    const p = new HocsPrepared(toInput([l2], 3), full);
    expect(p.score([0, 0, 3, 4, 4]).total).toBeCloseTo(naiveFullLayer(l2, 3, [2, 0, 0, 1, 2]), 12);
    expect(p.score([1, 1, 1]).total).toBeNaN();
  });

  it('is invariant to any invertible linear map of the features (diagonal HOCS is not), to class relabelling and case order', () => {
    const A = [[2, -1, 0.5, 0], [0.3, 1, 0, -2], [0, 0.7, 3, 1], [1, 0, -0.4, 0.5]]; // det ≠ 0
    const mapped = mapRows(l2, (r) => A.map((row) => row.reduce((s, a, j) => s + a * r[j], 0) + 7));
    const base = hocs(toInput([l2], 3), undefined, full).total;
    // the 1e-6 relative floor is the only basis-dependent term
    expect(hocs(toInput([mapped], 3), undefined, full).total).toBeCloseTo(base, 5); // |Δ| 5.7e-7 here
    expect(Math.abs(hocs(toInput([mapped], 3)).total - hocs(toInput([l2], 3)).total)).toBeGreaterThan(1e-3);
    const relabel = l2.map((c) => ({ x: c.x, y: c.y.map((k) => [2, 0, 1][k]) }));
    expect(hocs(toInput([relabel], 3), undefined, full).total).toBeCloseTo(base, 12);
    expect(hocs(toInput([[...l2].reverse()], 3), undefined, full).total).toBeCloseTo(base, 12);
  });

  it('a redundant copy of a channel adds no evidence (the diagonal model counts it twice)', () => {
    const dup = mapRows(l0, (r) => [...r, r[0]]);
    const f0 = hocs(toInput([l0], 2), undefined, full).total, f1 = hocs(toInput([dup], 2), undefined, full).total;
    const d0 = hocs(toInput([l0], 2)).total, d1 = hocs(toInput([dup], 2)).total;
    expect(Math.abs(f1 - f0)).toBeLessThan(1e-3);
    expect(Math.abs(d1 - d0)).toBeGreaterThan(10 * Math.abs(f1 - f0));
  });

  it('equals the diagonal model in one dimension; does not reward collapse', () => {
    const one = mapRows(l1, (r) => [r[0]]);
    expect(hocs(toInput([one], 2), undefined, full).total).toBeCloseTo(hocs(toInput([one], 2)).total, 12);
    const good = hocs(toInput([l0], 2), undefined, full).total;
    expect(hocs(toInput([mapRows(l0, (r) => r.map((v) => v * 1e-3))], 2), undefined, full).total).toBeCloseTo(good, 10);
    const merged = hocs(toInput([makeCases(1, 4, 3, 2, 0)], 2), undefined, full).total;
    expect(merged).toBeLessThan(good - 0.1);
  });

  it('keeps dead channels finite and warns, under its own key, when a layer cannot be scored', () => {
    const dead = mapRows(l0, (r) => [...r, 0]);
    expect(hocs(toInput([dead], 2), undefined, full).total).toBeCloseTo(hocs(toInput([l0], 2), undefined, full).total, 5);
    const warnings: string[] = [];
    expect(hocs(toInput([mapRows(l0, (r) => r.map(() => 0))], 2), (w) => warnings.push(w.message), full).total).toBeNaN();
    expect(warnings.join()).toMatch(/^hocs_full: layer l0: .*zero variance/);
  });
});
