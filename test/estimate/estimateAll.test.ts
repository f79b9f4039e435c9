// Every shared reference vector through the library: the merged output has exactly the keys of
// `expected` (no more, no fewer) and every value is within the vector's own tolerance.
import { describe, expect, it } from 'vitest';
import { estimateAll } from '../../src/core/estimate/estimateAll.ts';
import { compareNested, loadVector, vectorNames } from '../support/referenceVectors.ts';
import type { VectorInput } from '../../src/core/estimate/schema.ts';

describe('estimateAll on the reference vectors', () => {
  for (const name of vectorNames()) {
    it(`${name}: exact key set and values within tolerance`, () => {
      const v = loadVector(name);
      const out = estimateAll(v.input as VectorInput, () => {});
      expect(Object.keys(out).sort()).toEqual(Object.keys(v.expected).sort());
      expect(compareNested(out, v.expected, v.tolerance)).toEqual([]);
    });
  }

  it('computes nothing from an empty input', () => {
    expect(estimateAll({}, () => {})).toEqual({});
  });
});
