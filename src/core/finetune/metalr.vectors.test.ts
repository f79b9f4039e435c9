// Reference vector `metalr` (spec §12): one full iteration under both rules and the bare update rules.
import { describe, expect, it } from 'vitest';
import { compareNested, loadVector } from '../../../test/support/referenceVectors.ts';
import { estimateMetalr } from '../estimate/metalrSection.ts';
import type { VectorInput } from '../estimate/schema.ts';

describe('reference vector: metalr', () => {
  const v = loadVector('metalr');
  it('paper, official and update_rule_only match within the vector tolerance', () => {
    const got = estimateMetalr(v.input as VectorInput, () => {});
    expect(compareNested(got, v.expected, v.tolerance)).toEqual([]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(v.expected).sort());
  });
});
