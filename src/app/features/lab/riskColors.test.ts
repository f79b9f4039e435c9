// The risk view's colours: a fixed [1, 10] heat scale (so before and after compare), grey blended underneath.
import { describe, expect, it } from 'vitest';
import { colorBarPixels, heat, overlayPixels } from './riskColors.ts';

describe('risk colours', () => {
  it('maps R on the fixed [1, 10] scale: 1 black, 4 red, 7 yellow, 10 white; clamps outside', () => {
    expect(heat(1)).toEqual([0, 0, 0]);
    expect(heat(4)).toEqual([255, 0, 0]);
    expect(heat(7)).toEqual([255, 255, 0]);
    expect(heat(10)).toEqual([255, 255, 255]);
    expect(heat(0)).toEqual([0, 0, 0]);
    expect(heat(12)).toEqual([255, 255, 255]);
    expect(heat(2.5)).toEqual([128, 0, 0]); // (2.5 − 1)/9·3 = 0.5 of the red ramp
  });

  it('blends the grey slice (own min..max) with the heat colour at 0.55', () => {
    const px = overlayPixels(Float32Array.from([0, 2]), Float32Array.from([4, 1]));
    // pixel 0: grey 0, red → (0.55·255, 0, 0); pixel 1: grey 255, black → 0.45·255
    expect(Array.from(px)).toEqual([140, 0, 0, 255, 115, 115, 115, 255]);
  });

  it('draws the colour bar with 10 on top and 1 at the bottom', () => {
    const bar = colorBarPixels(2, 4);
    expect(Array.from(bar.subarray(0, 4))).toEqual([255, 255, 255, 255]);
    expect(Array.from(bar.subarray(4 * 6, 4 * 7))).toEqual([0, 0, 0, 255]);
    expect(Array.from(bar.subarray(4 * 2, 4 * 3))).toEqual([255, 255, 0, 255]); // y = 1 → R = 7
  });
});
