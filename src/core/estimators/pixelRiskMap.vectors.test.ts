// Reference vector `pixel_risk_map` (spec §10): every output key within the vector's tolerance.
import { describe, expect, it } from 'vitest';
import { compareNested, loadVector } from '../../../test/support/referenceVectors.ts';
import { estimatePixel } from '../estimate/pixelSection.ts';
import type { VectorInput } from '../estimate/schema.ts';

describe('reference vector: pixel_risk_map', () => {
  const v = loadVector('pixel_risk_map');
  it('matches every expected key, and gives exactly those keys', () => {
    const got = estimatePixel(v.input as VectorInput, () => {});
    expect(compareNested(got, v.expected, v.tolerance)).toEqual([]);
    expect(Object.keys(got).sort()).toEqual(Object.keys(v.expected).sort());
  });
  it('without target_probs the CE keys are absent', () => {
    const input = structuredClone(v.input) as { pixel: Record<string, unknown> };
    delete input.pixel.target_probs;
    const got = estimatePixel(input as unknown as VectorInput, () => {});
    expect(Object.keys(got).sort()).toEqual(['pixel_leep', 'pixel_leep_map', 'risk_map_dataset', 'risk_map_image']);
  });
});
