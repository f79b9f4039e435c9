// HOCS (docs/estimators/hocs.md): values on fixed data against an independent two-pass computation written here,
// invariances (global and per-channel feature scaling, class relabelling, case order), collapse not rewarded,
// bootstrap multiplicities, degenerate inputs.
import { describe, expect, it } from 'vitest';
import { hocs, HocsPrepared, HOCS_FLOOR } from './hocs.ts';
import { makeCases, toInput, type Rows } from './fixtures/hocsCases.ts';

/** Independent reference: explicit rows, two-pass means and variances, direct softmax. m = case multiplicities. */
function naiveLayer(cases: Rows[], c: number, m: number[]): number {
  const d = cases[0].x[0].length;
  let acc = 0, w = 0;
  cases.forEach((held, i) => {
    if (!m[i]) return;
    const rows: { x: number[]; y: number }[] = [];
    cases.forEach((cs, j) => { if (j !== i) for (let t = 0; t < m[j]; t++) cs.x.forEach((x, r) => rows.push({ x, y: cs.y[r] })); });
    const mu: number[][] = [], v: number[][] = [];
    for (let k = 0; k < c; k++) {
      const rk = rows.filter((r) => r.y === k);
      mu.push(Array.from({ length: d }, (_, j) => rk.reduce((s, r) => s + r.x[j], 0) / rk.length));
      v.push(Array.from({ length: d }, (_, j) => rk.reduce((s, r) => s + (r.x[j] - mu[k][j]) ** 2, 0) / (rk.length - 1)));
    }
    const pooled = Array.from({ length: d }, (_, j) => v.reduce((s, vk) => s + vk[j], 0) / c);
    const avg = pooled.reduce((a, b) => a + b, 0) / d;
    const s2 = pooled.map((p) => p + HOCS_FLOOR * avg);
    for (let k = 0; k < c; k++) {
      const xs = held.x.filter((_, r) => held.y[r] === k);
      if (!xs.length) continue;
      const post = xs.map((x) => {
        const ll = mu.map((mh) => -0.5 * mh.reduce((s, q, j) => s + (x[j] - q) ** 2 / s2[j], 0));
        return Math.exp(ll[k]) / ll.reduce((s, l) => s + Math.exp(l), 0);
      });
      acc += m[i] * post.reduce((a, b) => a + b, 0) / post.length;
      w += m[i];
    }
  });
  return acc / w;
}

describe('hocs', () => {
  const l0 = makeCases(1, 4, 3, 2, 1.5), l1 = makeCases(2, 4, 5, 2, 0.7);
  const l2 = makeCases(3, 5, 4, 3, 2.0);

  it('equals an independent two-pass computation (binary, two layers; three classes)', () => {
    const r = hocs(toInput([l0, l1], 2));
    const ones = [1, 1, 1, 1];
    expect(r.layers[0]).toBeCloseTo(naiveLayer(l0, 2, ones), 12);
    expect(r.layers[1]).toBeCloseTo(naiveLayer(l1, 2, ones), 12);
    expect(r.total).toBeCloseTo((r.layers[0] + r.layers[1]) / 2, 14);
    expect(hocs(toInput([l2], 3)).total).toBeCloseTo(naiveLayer(l2, 3, [1, 1, 1, 1, 1]), 12);
  });

  it('a bootstrap resample weights cases by multiplicity and holds out every copy of a case', () => {
    const p = new HocsPrepared(toInput([l2], 3));
    expect(p.score([0, 0, 3, 4, 4]).total).toBeCloseTo(naiveLayer(l2, 3, [2, 0, 0, 1, 2]), 12);
    expect(p.score([2, 2, 2, 2, 2]).total).toBeNaN(); // one distinct case: nothing to train on
  });

  it('is invariant to feature scaling, class relabelling and case order', () => {
    const base = hocs(toInput([l2], 3)).total;
    const scaled = l2.map((c) => ({ x: c.x.map((r) => r.map((v, j) => v * 1e-4 * (j + 1))), y: c.y }));
    expect(hocs(toInput([scaled], 3)).total).toBeCloseTo(base, 5); // per-channel scale moves only the 1e-6 floor
    const global = l2.map((c) => ({ x: c.x.map((r) => r.map((v) => v * 1e6)), y: c.y }));
    expect(hocs(toInput([global], 3)).total).toBeCloseTo(base, 12);
    const relabel = l2.map((c) => ({ x: c.x, y: c.y.map((k) => [2, 0, 1][k]) }));
    expect(hocs(toInput([relabel], 3)).total).toBeCloseTo(base, 12);
    expect(hocs(toInput([[...l2].reverse()], 3)).total).toBeCloseTo(base, 12);
  });

  it('does not reward collapse: shrinking the features keeps the score, merging the classes lowers it', () => {
    const good = hocs(toInput([l0], 2)).total;
    const tiny = l0.map((c) => ({ x: c.x.map((r) => r.map((v) => v * 1e-3)), y: c.y }));
    expect(hocs(toInput([tiny], 2)).total).toBeCloseTo(good, 10);
    const merged = makeCases(1, 4, 3, 2, 0); // same noise, no class signal
    const m = hocs(toInput([merged], 2)).total;
    expect(m).toBeLessThan(good - 0.1);
    expect(m).toBeGreaterThan(0.2); // near chance (0.5) rather than degenerate
  });

  it('keeps dead (all-zero) channels finite and reports degenerate input', () => {
    const dead = l0.map((c) => ({ x: c.x.map((r) => [...r, 0]), y: c.y }));
    expect(hocs(toInput([dead], 2)).total).toBeCloseTo(hocs(toInput([l0], 2)).total, 5);
    expect(() => hocs(toInput([[l0[0]]], 2))).toThrow(/at least 2 cases/);
    expect(() => hocs(toInput([l0], 1))).toThrow(/at least 2 target classes/);
    const bad = l0.map((c, i) => ({ x: c.x.map((r) => (i === 1 ? [NaN, ...r.slice(1)] : r)), y: c.y }));
    expect(() => hocs(toInput([bad], 2))).toThrow(/layer l0 case 1 row 0: non-finite/);
    const zero = l0.map((c) => ({ x: c.x.map((r) => r.map(() => 0)), y: c.y }));
    const warnings: string[] = [];
    expect(hocs(toInput([zero], 2), (w) => warnings.push(w.message)).total).toBeNaN();
    expect(warnings.join()).toMatch(/zero variance/);
  });
});
