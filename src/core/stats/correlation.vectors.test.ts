// Reference vector `correlation` (spec §11): weighted Kendall τ (scipy defaults) and Pearson r.
import { describe, expect, it } from 'vitest';
import { compareNested, loadVector } from '../../../test/support/referenceVectors.ts';
import { estimateCorrelation } from '../estimate/correlationSection.ts';
import type { VectorInput } from '../estimate/schema.ts';
import { weightedKendallTau } from './weightedKendallTau.ts';

describe('reference vector: correlation', () => {
  const v = loadVector('correlation');
  it('every pair matches within the vector tolerance', () => {
    const got = estimateCorrelation(v.input as VectorInput, () => {});
    expect(compareNested(got, v.expected, v.tolerance)).toEqual([]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(v.expected).sort());
  });
  it('scipy docstring example gives −0.5669496815368272', () => {
    expect(Math.abs(weightedKendallTau([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]) - -0.5669496815368272)).toBeLessThanOrEqual(1e-15);
  });
});
