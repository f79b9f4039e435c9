// Pixel LEEP map, risk map and risk-weighted loss (spec §10) on tiny images computed by hand.
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { pixelLeepMap, type PixelLabels, type PixelProbs } from './pixelLeepMap.ts';
import { riskMap } from './riskMap.ts';
import { pixelCrossEntropy, riskWeightedCe } from './riskWeightedLoss.ts';

const probs = (rows: number[][], n = 1): PixelProbs => ({ n, h: 1, w: rows.length / n, c: rows[0].length, data: Float64Array.from(rows.flat()) });
const labels = (ys: number[], n = 1): PixelLabels => ({ n, h: 1, w: ys.length / n, data: Int32Array.from(ys) });

describe('riskMap by hand', () => {
  it('1×2 image, T = [log 0.5, log 0.25]: H = [ln2, ln4] → Ĥ = [0, 1] → R = [1, 10]', () => {
    expect(Array.from(riskMap(Float64Array.from([Math.log(0.5), Math.log(0.25)]), 2))).toEqual([1, 10]);
  });
  it('two 1×2 images, T = [−1, −2 | −3, −3]: per image [1, 10 | 1, 1]; per dataset [1, √10, 10, 10]', () => {
    const t = Float64Array.from([-1, -2, -3, -3]);
    expect(Array.from(riskMap(t, 2, 'image'))).toEqual([1, 10, 1, 1]);
    const d = riskMap(t, 2, 'dataset');
    [1, Math.sqrt(10), 10, 10].forEach((e, i) => expect(d[i]).toBeCloseTo(e, 14));
  });
  it('a map constant up to rounding (1 ulp apart) is constant: R = 1, not [1, 10]', () => {
    const a = Math.log(62 / 99);
    expect(Array.from(riskMap(Float64Array.from([a, a + Number.EPSILON * Math.abs(a)]), 2))).toEqual([1, 1]);
    expect(Array.from(riskMap(Float64Array.from([0, -1e-9]), 2))).toEqual([1, 10]);
  });
  it('rejects a map that is not whole images', () => {
    expect(() => riskMap(new Float64Array(3), 2)).toThrow(TeError);
  });
});

describe('pixel LEEP → risk → loss on a 1×3 image by hand', () => {
  // θ = [.9,.1], [.5,.5], [.2,.8]; y = [0,0,1]. P̂(y,z)·N: y0 [1.4, .6], y1 [.2, .8]; P̂(z)·N = [1.6, 1.4]
  // P̂(y|z): y0 [7/8, 3/7], y1 [1/8, 4/7] → EEP = [93/112, 73/112, 54/112]
  const src = probs([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]]);
  const y = labels([0, 0, 1]);
  const res = pixelLeepMap(src, y);
  const eep = [93 / 112, 73 / 112, 54 / 112];
  it('map and score', () => {
    eep.forEach((e, i) => expect(res.map[i]).toBeCloseTo(Math.log(e), 14));
    expect(res.score).toBeCloseTo(Math.log(eep[0] * eep[1] * eep[2]) / 3, 14);
    [7 / 8, 3 / 7, 1 / 8, 4 / 7].forEach((e, i) => expect(res.conditional[i]).toBeCloseTo(e, 15));
  });
  const r1 = Math.pow(10, Math.log(93 / 73) / Math.log(93 / 54));
  it('risk: the easiest pixel 1, the hardest 10, the middle 10^(ln(93/73)/ln(93/54))', () => {
    const r = riskMap(res.map, 3);
    expect(r[0]).toBeCloseTo(1, 14);
    expect(r[1]).toBeCloseTo(r1, 13);
    expect(r[2]).toBeCloseTo(10, 13);
  });
  it('loss: (−ln .7 − R₁ ln .6 − 10 ln .75) / 1 foreground pixel', () => {
    const ce = pixelCrossEntropy(probs([[0.7, 0.3], [0.6, 0.4], [0.25, 0.75]]), y);
    [-Math.log(0.7), -Math.log(0.6), -Math.log(0.75)].forEach((e, i) => expect(ce[i]).toBeCloseTo(e, 15));
    const l = riskWeightedCe(riskMap(res.map, 3), ce, y.data);
    expect(l.foregroundPixels).toBe(1);
    expect(l.loss).toBeCloseTo(-Math.log(0.7) - r1 * Math.log(0.6) - 10 * Math.log(0.75), 12);
  });
});

describe('degenerate input', () => {
  it('NaN probability → TeError non-finite', () => {
    try {
      pixelLeepMap(probs([[0.5, NaN], [0.5, 0.5]]), labels([0, 1]));
      expect.unreachable();
    } catch (e) {
      expect((e as TeError).code).toBe('non-finite');
    }
  });
  it('empty foreground: denominator guarded to 1, with a warning', () => {
    const msgs: string[] = [];
    const l = riskWeightedCe([1, 2], [0.5, 0.25], [0, 0], (m) => msgs.push(m));
    expect(l.loss).toBe(1);
    expect(l.foregroundPixels).toBe(0);
    expect(msgs).toHaveLength(1);
  });
  it('all background: warned, map = log Σθ = 0, risk = 1 everywhere', () => {
    const msgs: string[] = [];
    const res = pixelLeepMap(probs([[0.25, 0.75], [0.5, 0.5]]), labels([0, 0]), (m) => msgs.push(m));
    expect(Array.from(res.map)).toEqual([0, 0]);
    expect(Array.from(riskMap(res.map, 2))).toEqual([1, 1]);
    expect(msgs.length).toBeGreaterThan(0);
  });
  it('label beyond the target model classes, shape mismatch, negative label → TeError', () => {
    expect(() => pixelCrossEntropy(probs([[1, 0], [0, 1]]), labels([0, 2]))).toThrow(TeError);
    expect(() => pixelLeepMap(probs([[1, 0], [0, 1]]), labels([0, 1, 1]))).toThrow(TeError);
    expect(() => pixelLeepMap(probs([[1, 0], [0, 1]]), labels([0, -1]))).toThrow(TeError);
  });
  it('zero target probability for the label: CE floored with a warning, stays finite', () => {
    const msgs: string[] = [];
    const ce = pixelCrossEntropy(probs([[1, 0], [0, 1]]), labels([1, 1]), (m) => msgs.push(m));
    expect(Number.isFinite(ce[0])).toBe(true);
    expect(ce[0]).toBeGreaterThan(700);
    expect(msgs).toHaveLength(1);
  });
});
