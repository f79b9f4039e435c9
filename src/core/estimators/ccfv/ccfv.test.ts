// CC-FV end to end (estimators-spec §2.7): a hand-derived 1-D case, degenerate inputs, the Table 2 ablations,
// and invariances (row and case permutations, class relabelling, translation, duplicated rows).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TeError, type TeWarning } from '../../errors.ts';
import type { CcfvInput } from '../../estimate/schema.ts';
import { createRng } from '../../sampling/rng.ts';
import { ccfv, type CcfvVariant } from './ccfv.ts';

const VARIANTS: CcfvVariant[] = ['official', 'official_symmetric_sqrtm', 'paper', 'paper_unit_sphere'];

/** Case 0: class 1 = [0, 2], background [10]; case 1: class 1 = [5, 6, 7], background [−3]. */
const tiny: CcfvInput = {
  num_classes: 1,
  layers: [{ name: 'L', cases: [
    { features: [[0], [2], [10]], labels: [1, 1, 0] },
    { features: [[5], [6], [7], [-3]], labels: [1, 1, 1, 0] },
  ] }],
};

function synthetic(seed: number, nCases = 3, k = 2, d = 4, perClass = 6): CcfvInput {
  const r = createRng(seed);
  const layer = (name: string, dim: number) => ({
    name,
    cases: Array.from({ length: nCases }, () => {
      const features: number[][] = [], labels: number[] = [];
      for (let c = 0; c <= k; c++) {
        for (let i = 0; i < perClass; i++) {
          features.push(Array.from({ length: dim }, (_, j) => c * (j % 2) + (1 + 0.3 * c) * r.normal()));
          labels.push(c);
        }
      }
      return { features, labels };
    }),
  });
  return { num_classes: k, layers: [layer('a', d), layer('b', d + 3)] };
}

const totals = (input: CcfvInput) => VARIANTS.map((v) => ccfv(input, { variant: v }).total);
const expectClose = (a: number[], b: number[], digits = 9) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], digits));
/** The scipy-style form ('official', first) carries the rounding noise of zero eigenvalues (~1e-8, see w2Gaussian.ts). */
const expectTotalsClose = (a: number[], b: number[]) => {
  expect(a[0]).toBeCloseTo(b[0], 6);
  expectClose(a.slice(1), b.slice(1), 9);
};

describe('hand-derived 1-D case', () => {
  const w = Math.sqrt(25 + (Math.SQRT2 - 1) ** 2);
  it('official: C = S(1 + 2/N²), F_v from case means 4 and 3.75, T = log(F_v/C)', () => {
    const fv = 1 / Math.sqrt(0.0625 + 1e-3), c = w * 1.5;
    for (const v of ['official', 'official_symmetric_sqrtm'] as const) {
      const r = ccfv(tiny, { variant: v });
      expect(r.layers[0].classPairSums[0]).toBeCloseTo(w, 13);
      expect(r.layers[0].ccons).toBeCloseTo(c, 13);
      expect(r.layers[0].fv).toBeCloseTo(fv, 12);
      expect(r.total).toBeCloseTo(Math.log(fv / c), 12);
    }
  });
  it('paper: C = S, F_v = mean 1/E₁ over the rows of each case', () => {
    const e0 = 2 * (1 / 2 + 1 / 10 + 1 / 8);
    const e1 = 2 * (1 + 1 / 2 + 1 / 8 + 1 + 1 / 9 + 1 / 10);
    const fv = (1 / e0 + 1 / e1) / 2;
    const r = ccfv(tiny, { variant: 'paper' });
    expect(r.layers[0].ccons).toBeCloseTo(w, 13);
    expect(r.layers[0].fv).toBeCloseTo(fv, 13);
    expect(r.total).toBeCloseTo(Math.log(fv / w), 12);
  });
});

describe('degenerate input', () => {
  it('fewer than 2 cases → too-few-cases', () => {
    const one = { num_classes: 1, layers: [{ name: 'L', cases: [tiny.layers[0].cases[0]] }] };
    expect(() => ccfv(one)).toThrow(expect.objectContaining({ code: 'too-few-cases' }));
  });
  it('a class absent from a case, or with 1 sample → NaN with a warning naming layer, case and class', () => {
    const input = synthetic(1);
    const c = input.layers[1].cases[2];
    c.labels = c.labels.map((l) => (l === 2 ? 0 : l)); // class 2 absent in case 2 of layer b
    input.layers[0].cases[1].labels[input.layers[0].cases[1].labels.indexOf(1) + 1] = 0;
    input.layers[0].cases[1].labels = input.layers[0].cases[1].labels.map((l, i, a) => (l === 1 && a.indexOf(1) !== i ? 0 : l)); // 1 sample of class 1
    const warnings: TeWarning[] = [];
    const r = ccfv(input, { variant: 'paper' }, (w) => warnings.push(w));
    expect(Number.isNaN(r.total)).toBe(true);
    expect(Number.isNaN(r.layers[0].classPairSums[0])).toBe(true);
    expect(Number.isFinite(r.layers[0].classPairSums[1])).toBe(true);
    expect(Number.isNaN(r.layers[1].classPairSums[1])).toBe(true);
    const msgs = warnings.map((w) => w.message).join('\n');
    expect(msgs).toMatch(/layer a, case 1, class 1: 1 sampled voxel/);
    expect(msgs).toMatch(/layer b, case 2, class 2: 0 sampled voxel/);
  });
  it('NaN / Inf features → non-finite naming layer and case; bad labels, ragged D → typed errors', () => {
    const bad = synthetic(2);
    bad.layers[1].cases[1].features[3][2] = NaN;
    expect(() => ccfv(bad)).toThrow(/layer b, case 1/);
    expect(() => ccfv(bad)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const inf = synthetic(2);
    inf.layers[0].cases[0].features[0][0] = Infinity;
    expect(() => ccfv(inf)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const lab = synthetic(2);
    lab.layers[0].cases[0].labels[0] = 3;
    expect(() => ccfv(lab)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
    const dim = synthetic(2);
    dim.layers[0].cases[1] = synthetic(3, 3, 2, 5).layers[0].cases[1];
    expect(() => ccfv(dim)).toThrow(expect.objectContaining({ code: 'shape-mismatch' }));
    expect(() => ccfv({ ...tiny, num_classes: 0 })).toThrow(TeError);
  });
});

describe('Table 2 ablations', () => {
  const input = synthetic(5);
  it('T = T(without C_cons) + T(without F_v); single-scale = that layer alone', () => {
    for (const variant of VARIANTS) {
      const full = ccfv(input, { variant });
      const noC = ccfv(input, { variant, ablation: 'without_ccons' });
      const noF = ccfv(input, { variant, ablation: 'without_fv' });
      expect(noC.total + noF.total).toBeCloseTo(full.total, 12);
      expect(noC.layers[0].logRatio).toBeCloseTo(Math.log(full.layers[0].fv), 12);
      const single = ccfv(input, { variant, ablation: 'single_scale', singleScaleLayer: 0 });
      const alone = ccfv({ ...input, layers: [input.layers[0]] }, { variant });
      expect(single.total).toBeCloseTo(alone.total, 12);
      expect(single.layers).toHaveLength(1);
    }
  });
  it('KL and Bhattacharyya between 1-D Gaussians match the closed forms', () => {
    const [m0, v0, m1, v1] = [1, 2, 6, 1];
    const kl = (ma: number, va: number, mb: number, vb: number) => 0.5 * Math.log(vb / va) + (va + (ma - mb) ** 2) / (2 * vb) - 0.5;
    const r = ccfv(tiny, { variant: 'paper', ablation: 'kl_divergence' });
    expect(r.layers[0].classPairSums[0]).toBeCloseTo((kl(m0, v0, m1, v1) + kl(m1, v1, m0, v0)) / 2, 12);
    const b = ccfv(tiny, { variant: 'paper', ablation: 'bhattacharyya' });
    const bh = (m0 - m1) ** 2 / (4 * (v0 + v1)) + 0.5 * Math.log((v0 + v1) / (2 * Math.sqrt(v0 * v1)));
    expect(b.layers[0].classPairSums[0]).toBeCloseTo(bh, 12);
    expect(b.layers[0].distance).toBe('bhattacharyya');
  });
  it('singular covariances are regularised with a warning, giving finite values', () => {
    const warnings: TeWarning[] = [];
    const r = ccfv(synthetic(6, 3, 1, 9, 4), { variant: 'paper', ablation: 'kl_divergence' }, (w) => warnings.push(w));
    expect(Number.isFinite(r.total)).toBe(true);
    expect(warnings.some((w) => w.code === 'rank-deficient' && /regularised/.test(w.message))).toBe(true);
  });
});

describe('invariances', () => {
  const shuffle = <T,>(xs: T[], seed: number): T[] => {
    const r = createRng(seed), out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  const mapCases = (input: CcfvInput, f: (c: CcfvInput['layers'][0]['cases'][0], li: number) => CcfvInput['layers'][0]['cases'][0]): CcfvInput =>
    ({ ...input, layers: input.layers.map((l, li) => ({ ...l, cases: l.cases.map((c) => f(c, li)) })) });

  it('row order within a case and case order do not change any variant', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), (seed) => {
      const input = synthetic(seed);
      const base = totals(input);
      const rows = mapCases(input, (c) => {
        const idx = shuffle(c.labels.map((_, i) => i), seed);
        return { features: idx.map((i) => c.features[i]), labels: idx.map((i) => c.labels[i]) };
      });
      expectTotalsClose(totals(rows), base);
      const order = shuffle([0, 1, 2], seed + 1);
      const cases = { ...input, layers: input.layers.map((l) => ({ ...l, cases: order.map((i) => l.cases[i]) })) };
      expectTotalsClose(totals(cases), base);
    }), { numRuns: 8 });
  });

  it('relabelling the foreground classes permutes the class sums; paper C_cons is unchanged', () => {
    const input = synthetic(11);
    const swapped = mapCases(input, (c) => ({ features: c.features, labels: c.labels.map((l) => (l === 0 ? 0 : 3 - l)) }));
    for (const variant of ['paper', 'official_symmetric_sqrtm'] as const) {
      const a = ccfv(input, { variant }), b = ccfv(swapped, { variant });
      a.layers.forEach((l, i) => expectClose([...l.classPairSums].reverse(), b.layers[i].classPairSums, 10));
      if (variant === 'paper') expect(b.total).toBeCloseTo(a.total, 10);
    }
  });

  it('translating every feature by one constant vector leaves official, symmetric and paper T unchanged', () => {
    const input = synthetic(12);
    const moved = mapCases(input, (c, li) => ({ features: c.features.map((row) => row.map((v, j) => v + 50 + li * j)), labels: c.labels }));
    expectClose(totals(moved).slice(0, 3), totals(input).slice(0, 3), 7);
  });

  it('duplicating every row keeps official F_v, rescales Σ by 2(n−1)/(2n−1), and makes paper F_v 0 with a warning', () => {
    const input = synthetic(13, 2, 1, 3, 8); // n = 8 per class and case, D = 3: full-rank covariances
    const dup = mapCases(input, (c) => ({ features: [...c.features, ...c.features], labels: [...c.labels, ...c.labels] }));
    const a = ccfv(input, { variant: 'official_symmetric_sqrtm' }), b = ccfv(dup, { variant: 'official_symmetric_sqrtm' });
    expect(b.layers[0].fv).toBeCloseTo(a.layers[0].fv, 12);
    // W₂² = ‖Δμ‖² + f·(tr Σ₁ + tr Σ₂ − 2 tr(Σ₁Σ₂)^{1/2}) with f = 2(n−1)/(2n−1): √f ≤ W₂(dup)/W₂ ≤ 1.
    const ratio = b.layers[0].classPairSums[0] / a.layers[0].classPairSums[0];
    expect(ratio).toBeGreaterThanOrEqual(Math.sqrt(14 / 15) - 1e-12);
    expect(ratio).toBeLessThanOrEqual(1 + 1e-12);
    const warnings: TeWarning[] = [];
    expect(ccfv(dup, { variant: 'paper' }, (w) => warnings.push(w)).layers[0].fv).toBe(0);
    expect(warnings.some((w) => /duplicate feature rows/.test(w.message))).toBe(true);
  });
});
