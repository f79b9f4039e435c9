// MetaLR rules (spec §12) on a 1-parameter toy by hand, clipping bounds, and the MLP's gradients and
// meta-gradients against central finite differences (independent of the hand-written backward pass).
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { metalrLrUpdate, updateLrs } from './metalr.ts';
import { metalrStep } from './metalrStep.ts';
import { mlpAxpy, mlpLossAndGrad, mlpTensors, type MlpParams } from './tanhMlp.ts';

describe('1-parameter toy by hand: L_train = (θ−1)², L_val = (θ−2)², θ = 0', () => {
  // g = 2(0 − 1) = −2
  it('paper, α = 0.1, η = 0.5: θ̂ = 0.2, ∇L_val(θ̂) = −3.6, ⟨·,g⟩ = 7.2 → meta-grad −7.2, α = 0.1 + 3.6 = 3.7', () => {
    const thetaHat = 0 - 0.1 * -2;
    expect(thetaHat).toBeCloseTo(0.2, 15);
    const r = metalrLrUpdate('paper', [0.1], [[-2]], [[2 * (thetaHat - 2)]], 0.5);
    expect(r.metaGrad[0]).toBeCloseTo(-7.2, 14);
    expect(r.newLrs[0]).toBeCloseTo(3.7, 14);
  });
  it('official, α = 0.005, η = 0.01: θ̂ = −0.01, ∇L_val = −4.02, dot 8.04 → α·(1 − 0.0804) = 0.004598', () => {
    const thetaHat = 0 + 0.005 * -2;
    const r = metalrLrUpdate('official', [0.005], [[-2]], [[2 * (thetaHat - 2)]], 0.01);
    expect(r.metaGrad[0]).toBeCloseTo(8.04, 14);
    expect(r.newLrs[0]).toBeCloseTo(0.004598, 15);
  });
  it('bounds: paper floors at 1e-6 (no upper bound); official clips to [1e-6, 1e-2]', () => {
    expect(updateLrs('paper', [0.1], [100], 0.5)).toEqual([1e-6]);
    expect(updateLrs('paper', [0.1], [-100], 0.5)).toEqual([50.1]);
    expect(updateLrs('official', [0.005], [100], 0.5)).toEqual([1e-6]);
    expect(updateLrs('official', [0.005], [-100], 0.5)).toEqual([1e-2]);
    // optional clip: 0.1 + 0.5·100 = 50.1 is cut to 0.02; official's own 1e-2 bound replaced by 5e-3; below-floor refused
    expect(updateLrs('paper', [0.1, 0.1], [-100, 0.1], 0.5, 0.02)).toEqual([0.02, 0.02]);
    expect(updateLrs('paper', [0.01, 0.1], [0, 100], 0.5, 0.02)).toEqual([0.01, 1e-6]);
    expect(updateLrs('official', [0.004], [-100], 0.5, 5e-3)).toEqual([5e-3]);
    expect(() => updateLrs('paper', [0.1], [0], 0.5, 1e-7)).toThrow(TeError);
  });
  it('mismatched groups or non-finite gradients are TeErrors', () => {
    expect(() => metalrLrUpdate('paper', [0.1, 0.1], [[1]], [[1]], 0.1)).toThrow(TeError);
    expect(() => metalrLrUpdate('paper', [0.1], [[1, 2]], [[1]], 0.1)).toThrow(TeError);
    expect(() => metalrLrUpdate('paper', [0.1], [[NaN]], [[1]], 0.1)).toThrow(TeError);
  });
});

function randomMlp(seed: number, d = 3, h = 4, c = 3, withB2 = false): MlpParams {
  const rng = createRng(seed);
  const r = (n: number) => Float64Array.from({ length: n }, () => 0.7 * rng.normal());
  return { d, h, c, W1: r(d * h), b1: r(h), W2: r(h * c), b2: withB2 ? r(c) : undefined };
}

function batch(seed: number, n: number, d: number, c: number) {
  const rng = createRng(seed);
  return { x: Float64Array.from({ length: n * d }, () => rng.normal()), y: Array.from({ length: n }, () => rng.int(c)) };
}

describe('tanh MLP and MetaLR step against finite differences', () => {
  it('backward pass = central differences of the mean CE (with and without b2)', () => {
    for (const withB2 of [false, true]) {
      const p = randomMlp(3, 3, 4, 3, withB2), b = batch(4, 6, 3, 3);
      const { grad } = mlpLossAndGrad(p, b.x, b.y);
      const gt = mlpTensors(grad);
      mlpTensors(p).forEach(([, v], t) => {
        for (let i = 0; i < v.length; i++) {
          const e = 1e-6, old = v[i];
          v[i] = old + e; const lp = mlpLossAndGrad(p, b.x, b.y).loss;
          v[i] = old - e; const lm = mlpLossAndGrad(p, b.x, b.y).loss;
          v[i] = old;
          expect(Math.abs(gt[t][1][i] - (lp - lm) / (2 * e))).toBeLessThan(1e-8);
        }
      });
    }
  });
  it('meta_grad = d/dα_j L_val(θ ± α g) by central differences, for both rules', () => {
    const p = randomMlp(9), tr = batch(10, 8, 3, 3), va = batch(11, 8, 3, 3), lrs = [0.05, 0.2];
    const g = mlpLossAndGrad(p, tr.x, tr.y).grad;
    for (const [rule, s] of [['paper', -1], ['official', 1]] as const) {
      const res = metalrStep(rule, p, tr, va, lrs, 0.1);
      for (let j = 0; j < 2; j++) {
        const at = (alpha: number) => {
          const a = lrs.slice(); a[j] = alpha;
          const th = mlpAxpy(p, g, (name) => s * (name.endsWith('1') ? a[0] : a[1]));
          return mlpLossAndGrad(th, va.x, va.y).loss;
        };
        const e = 1e-6, fd = (at(lrs[j] + e) - at(lrs[j] - e)) / (2 * e);
        expect(Math.abs(res.metaGrad[j] - fd)).toBeLessThan(1e-8);
      }
    }
  });
  it('new θ = θ − α_new g per group (SGD), and groups of 3 LRs are per tensor', () => {
    const p = randomMlp(5), tr = batch(6, 8, 3, 3), va = batch(7, 8, 3, 3);
    const g = mlpLossAndGrad(p, tr.x, tr.y).grad;
    const res = metalrStep('official', p, tr, va, [0.001, 0.002, 0.003], 0.1);
    expect(res.newLrs).toHaveLength(3);
    const a = res.newLrs;
    expect(res.newTheta.b1[2]).toBeCloseTo(p.b1[2] - a[1] * g.b1[2], 15);
    expect(res.newTheta.W2[4]).toBeCloseTo(p.W2[4] - a[2] * g.W2[4], 15);
    expect(() => metalrStep('paper', p, tr, va, [0.1], 0.1)).toThrow(TeError);
  });
  it('invalid labels and NaN inputs are TeErrors', () => {
    const p = randomMlp(5), tr = batch(6, 4, 3, 3), va = batch(7, 4, 3, 3);
    expect(() => metalrStep('paper', p, { x: tr.x, y: [0, 1, 3, 0] }, va, [0.1, 0.1], 0.1)).toThrow(TeError);
    const bad = Float64Array.from(tr.x); bad[0] = NaN;
    expect(() => metalrStep('paper', p, { x: bad, y: tr.y }, va, [0.1, 0.1], 0.1)).toThrow(TeError);
  });
});
