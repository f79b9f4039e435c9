// LEEP (spec §3) on hand-derived cases: perfect one-hot source predictions, uninformative uniform ones,
// a 3-sample table worked out by hand, and a source class with zero mass (divide-no-NaN).
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { fromRows } from '../linalg/matrix.ts';
import { leep } from './leep.ts';

describe('leep', () => {
  it('is 0 when the source predictions are one-hot and equal to the labels', () => {
    const labels = [0, 1, 2, 1, 0];
    const probs = fromRows(labels.map((y) => [0, 1, 2].map((k) => (k === y ? 1 : 0))));
    expect(leep(probs, labels)).toBe(0);
  });

  it('is −H(Y) = Σ p_y log p_y for uniform (uninformative) source predictions', () => {
    const labels = [0, 0, 0, 1]; // p = (3/4, 1/4)
    const probs = fromRows(labels.map(() => [0.5, 0.5]));
    expect(leep(probs, labels)).toBeCloseTo(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25), 14);
  });

  it('matches a 3-sample, 2×2 example computed by hand', () => {
    // joint = [[1.4, 0.6], [0.2, 0.8]]/3, P(z) = [1.6, 1.4]/3 → P(y|z0) = (7/8, 1/8), P(y|z1) = (3/7, 4/7).
    const probs = fromRows([[0.8, 0.2], [0.6, 0.4], [0.2, 0.8]]);
    const eep = [7 / 8 * 0.8 + 3 / 7 * 0.2, 7 / 8 * 0.6 + 3 / 7 * 0.4, 1 / 8 * 0.2 + 4 / 7 * 0.8];
    expect(leep(probs, [0, 0, 1])).toBeCloseTo(eep.reduce((s, e) => s + Math.log(e), 0) / 3, 14);
  });

  it('ignores a source class that never receives probability (P̂(z) = 0 → P̂(y|z) = 0, not NaN)', () => {
    const base = fromRows([[0.8, 0.2], [0.6, 0.4], [0.2, 0.8]]);
    const padded = fromRows([[0.8, 0, 0.2], [0.6, 0, 0.4], [0.2, 0, 0.8]]);
    expect(leep(padded, [0, 0, 1])).toBe(leep(base, [0, 0, 1]));
  });

  it('does not depend on the label ids (remapped with a warning)', () => {
    const probs = fromRows([[0.8, 0.2], [0.6, 0.4], [0.2, 0.8]]);
    const warnings: string[] = [];
    expect(leep(probs, [5, 5, 9], { onWarning: (w) => warnings.push(w.code) })).toBe(leep(probs, [0, 0, 1]));
    expect(warnings).toEqual(['remapped-labels']);
  });

  it('rejects invalid probability rows', () => {
    expect(() => leep(fromRows([[0.5, 0.5], [0, 0]]), [0, 1])).toThrow(TeError);
    expect(() => leep(fromRows([[0.5, 0.5], [1.5, -0.5]]), [0, 1])).toThrow(/negative/);
    expect(() => leep(fromRows([[0.5, 0.5], [NaN, 1]]), [0, 1])).toThrow(TeError);
    expect(() => leep(fromRows([[0.5, 0.5]]), [0, 1])).toThrow(/2 labels for 1 rows/);
  });
});
