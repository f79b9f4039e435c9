// Dice by hand and its documented degenerate case.
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { dice, meanForegroundDice } from './dice.ts';

describe('dice', () => {
  it('by hand: pred {1,2,3}, target {2,3,4} (class 1) → 2·2/(3+3) = 2/3', () => {
    const pred = [1, 1, 1, 0, 0];
    const target = [0, 1, 1, 1, 0];
    expect(dice(pred, target, 1)).toBeCloseTo(2 / 3, 15);
  });
  it('per class on a 3-class map and the foreground mean', () => {
    const pred = [0, 1, 2, 2, 1, 0];
    const target = [0, 1, 2, 1, 1, 2];
    // class 1: P={1,4}, T={1,3,4} → 2·2/5; class 2: P={2,3}, T={2,5} → 2·1/4
    expect(dice(pred, target, 1)).toBeCloseTo(0.8, 15);
    expect(dice(pred, target, 2)).toBeCloseTo(0.5, 15);
    expect(meanForegroundDice(pred, target, 3)).toBeCloseTo(0.65, 15);
  });
  it('identical maps → 1; disjoint → 0', () => {
    expect(dice([1, 0, 1], [1, 0, 1])).toBe(1);
    expect(dice([1, 0, 0], [0, 0, 1])).toBe(0);
  });
  it('class absent from both → NaN with a warning; skipped in the mean', () => {
    const msgs: string[] = [];
    expect(dice([0, 0], [0, 0], 1, (m) => msgs.push(m))).toBeNaN();
    expect(msgs).toHaveLength(1);
    expect(meanForegroundDice([1, 0], [1, 0], 3)).toBe(1);
  });
  it('length mismatch → TeError; single class → TeError', () => {
    expect(() => dice([1], [1, 0])).toThrow(TeError);
    expect(() => meanForegroundDice([0], [0], 1)).toThrow(TeError);
  });
});
