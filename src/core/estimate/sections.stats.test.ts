// Key contracts of the pixel, correlation and MetaLR estimate sections on inputs other than the shared
// vectors: only the keys the present input allows, typed errors for broken input.
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { estimateCorrelation } from './correlationSection.ts';
import { estimateMetalr } from './metalrSection.ts';
import { estimatePixel } from './pixelSection.ts';
import type { VectorInput } from './schema.ts';

const code = (f: () => unknown): string => {
  try { f(); } catch (e) { return e instanceof TeError ? e.code : 'other'; }
  return 'none';
};

describe('estimateCorrelation', () => {
  it('only {x, y} objects become pairs; other keys are ignored', () => {
    const got = estimateCorrelation({ a: { x: [1, 2, 3], y: [1, 3, 2] }, pixel: { labels: [] }, lrs: [1, 2], eta: 0.1 } as unknown as VectorInput, () => {});
    expect(Object.keys(got)).toEqual(['a']);
    expect((got.a as { pearson: number }).pearson).toBeCloseTo(0.5, 15);
    expect(estimateCorrelation({}, () => {})).toEqual({});
  });
  it('constant y → NaN for both, with warnings; null (JSON NaN) → non-finite', () => {
    const msgs: string[] = [];
    const got = estimateCorrelation({ c: { x: [1, 2, 3], y: [5, 5, 5] } } as VectorInput, (m) => msgs.push(m)).c as Record<string, number>;
    expect(got.weighted_kendall_tau).toBeNaN();
    expect(got.pearson).toBeNaN();
    expect(msgs).toHaveLength(2);
    expect(code(() => estimateCorrelation({ d: { x: [1, null, 3], y: [1, 2, 3] } } as VectorInput, () => {}))).toBe('non-finite');
  });
});

describe('estimatePixel', () => {
  const labels = [[[0, 1]]];
  const src = [[[[0.8, 0.2], [0.3, 0.7]]]];
  it('absent pixel → {}; ragged or NaN input → typed errors', () => {
    expect(estimatePixel({}, () => {})).toEqual({});
    expect(code(() => estimatePixel({ pixel: { source_probs: [[[[0.8, 0.2], [0.3]]]], labels } } as VectorInput, () => {}))).toBe('shape-mismatch');
    expect(code(() => estimatePixel({ pixel: { source_probs: [[[[0.8, null], [0.3, 0.7]]]], labels } } as unknown as VectorInput, () => {}))).toBe('non-finite');
    expect(code(() => estimatePixel({ pixel: { source_probs: src, labels: [[[0, 0.5]]] } } as VectorInput, () => {}))).toBe('invalid-input');
  });
  it('1×2 image: both pixels have EEP = Σ_z θ_z²/P̂(z) = 62/99, so the risk map is 1 everywhere', () => {
    const got = estimatePixel({ pixel: { source_probs: src, labels } } as VectorInput, () => {});
    expect(got.pixel_leep as number).toBeCloseTo(Math.log(62 / 99), 15);
    expect(got.risk_map_image).toEqual([[[1, 1]]]);
  });
});

describe('estimateMetalr', () => {
  const rule = { g_train: [[1, 2], [3]], g_val_lookahead: [[0.5, -0.5], [2]], lrs: [0.001, 0.005] };
  it('update_rule_only alone gives only that key; missing eta → default 0.1 with a warning', () => {
    const msgs: string[] = [];
    const got = estimateMetalr({ update_rule_only: rule }, (m) => msgs.push(m));
    expect(Object.keys(got)).toEqual(['update_rule_only']);
    expect(msgs).toHaveLength(1);
    const u = got.update_rule_only as Record<string, { eta: number; meta_grad: number[]; new_lrs: number[] }>;
    // dots: 0.5 − 1 = −0.5 and 6; paper α = max(α + 0.1·d, 1e-6): [1e-6, 0.605]
    expect(u.paper.meta_grad).toEqual([0.5, -6]);
    expect(u.paper.new_lrs[0]).toBe(1e-6);
    expect(u.paper.new_lrs[1]).toBeCloseTo(0.605, 15);
    // official α·(1 − 0.1·d): 0.001·1.05, 0.005·0.4
    expect(u.official.new_lrs[0]).toBeCloseTo(0.00105, 15);
    expect(u.official.new_lrs[1]).toBeCloseTo(0.002, 15);
    expect(u.paper_small_eta.eta).toBe(0.001);
  });
  it('partial step input (no x_val) gives no step keys; bad theta shapes → shape-mismatch', () => {
    const partial = { theta: { W1: [[1]], b1: [0], W2: [[1]] }, x_train: [[1]], y_train: [0], y_val: [0], lrs: [0.1, 0.1], eta: 0.1 };
    expect(estimateMetalr(partial as VectorInput, () => {})).toEqual({});
    const bad = { ...partial, x_val: [[1]], theta: { W1: [[1, 2]], b1: [0], W2: [[1]] } };
    expect(code(() => estimateMetalr(bad as VectorInput, () => {}))).toBe('shape-mismatch');
  });
});
