// NCE (spec §4) on hand-derived joint tables: −H(Y|Z) from hard source labels (first argmax).
import { describe, expect, it } from 'vitest';
import { fromRows } from '../linalg/matrix.ts';
import { argmaxRows, nce, nceFromSourceLabels } from './nce.ts';

describe('nce', () => {
  it('matches −H(Y|Z) of a 4-sample table', () => {
    // y = [0,0,1,1], z = [0,0,0,1]: P(0,0) = 1/2, P(1,0) = 1/4, P(1,1) = 1/4; P(z0) = 3/4, P(z1) = 1/4.
    const want = 0.5 * Math.log(0.5 / 0.75) + 0.25 * Math.log(0.25 / 0.75) + 0.25 * Math.log(1);
    expect(nceFromSourceLabels(Int32Array.from([0, 0, 0, 1]), 2, [0, 0, 1, 1])).toBeCloseTo(want, 15);
    const probs = fromRows([[0.9, 0.1], [0.6, 0.4], [0.7, 0.3], [0.2, 0.8]]);
    expect(nce(probs, [0, 0, 1, 1])).toBeCloseTo(want, 15);
  });

  it('is 0 when the source labels determine the target labels, and −H(Y) when they carry nothing', () => {
    expect(nceFromSourceLabels(Int32Array.from([2, 0, 1, 2]), 3, [1, 0, 0, 1])).toBe(0);
    // z constant: −H(Y) with p = (1/4, 3/4).
    expect(nceFromSourceLabels(Int32Array.from([0, 0, 0, 0]), 1, [0, 1, 1, 1])).toBeCloseTo(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75), 15);
  });

  it('takes the first maximum on argmax ties, as numpy', () => {
    expect(Array.from(argmaxRows(fromRows([[0.4, 0.4, 0.2], [0.1, 0.45, 0.45], [1, 0, 0]])))).toEqual([0, 1, 0]);
  });
});
