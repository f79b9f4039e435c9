// Summaries of a risk map before/after fine-tuning, by hand: means overall, on the foreground and per class.
import { describe, expect, it } from 'vitest';
import { compareRisk, evenlySpaced, riskSummary, type RiskMapResult } from './riskCompare.ts';
import { TeError } from '../errors.ts';

// data of 3 cases × 4 pixels; the map covers cases 2 and 0 (in that order)
const labels = [0, 1, 1, 2, /* case 1 */ 2, 2, 2, 2, /* case 2 */ 0, 0, 1, 0];
const res = (risk: number[], score = -0.5): RiskMapResult => ({ cases: [2, 0], transferability: new Float64Array(8), risk: Float64Array.from(risk), score });

describe('risk comparison', () => {
  it('means R over all pixels, the foreground and each class (classes without pixels: null)', () => {
    const s = riskSummary(res([1, 1, 4, 1, /* case 0 */ 2, 6, 8, 10]), labels, 4, 4);
    // case 2: labels 0 0 1 0 → R 1 1 4 1; case 0: labels 0 1 1 2 → R 2 6 8 10
    expect(s.pixels).toEqual([4, 3, 1, 0]);
    expect(s.perClass).toEqual([(1 + 1 + 1 + 2) / 4, (4 + 6 + 8) / 3, 10, null]);
    expect(s.foreground).toBe((4 + 6 + 8 + 10) / 4);
    expect(s.mean).toBe(33 / 8);
    expect(s.score).toBe(-0.5);
  });

  it('compares two maps of the same cases and refuses different ones', () => {
    const c = compareRisk(res([10, 10, 10, 10, 10, 10, 10, 10], -1), res([1, 1, 4, 1, 2, 6, 8, 10], -0.25), labels, 4, 3);
    expect(c).toMatchObject({ cases: [2, 0], meanBefore: 10, meanAfter: 33 / 8, foregroundBefore: 10, foregroundAfter: 7, scoreBefore: -1, scoreAfter: -0.25 });
    expect(c.perClass).toEqual({ before: [10, 10, 10], after: [1.25, 6, 10], pixels: [4, 3, 1] });
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    expect(() => compareRisk(res([1]), { ...res([1]), cases: [0, 2] }, labels, 4, 3)).toThrow(TeError);
  });

  it('picks up to k evenly spaced display cases, first and last included', () => {
    expect(evenlySpaced([5, 6, 7, 8, 9, 10, 11], 3)).toEqual([5, 8, 11]);
    expect(evenlySpaced([5, 6, 7, 8], 3)).toEqual([5, 7, 8]);
    expect(evenlySpaced([5, 6], 3)).toEqual([5, 6]);
    expect(evenlySpaced([5, 6, 7], 1)).toEqual([6]);
  });
});
