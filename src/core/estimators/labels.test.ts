// Label validation and remapping (spec §1): contiguous ids pass unchanged, non-contiguous ids are remapped
// in ascending order WITH a warning, bad labels and bad features are typed errors.
import { describe, expect, it } from 'vitest';
import { TeError, type TeWarning } from '../errors.ts';
import { fromRows } from '../linalg/matrix.ts';
import { prepareLabels, preparePooled } from './labels.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof TeError ? e.code : 'not a TeError';
  }
  return undefined;
}

describe('prepareLabels', () => {
  it('keeps contiguous labels and counts classes, without warning', () => {
    const warnings: TeWarning[] = [];
    const l = prepareLabels([1, 0, 2, 1, 1], 5, (w) => warnings.push(w));
    expect(Array.from(l.y)).toEqual([1, 0, 2, 1, 1]);
    expect(l.numClasses).toBe(3);
    expect(l.counts).toEqual([1, 3, 1]);
    expect(l.remapped).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('remaps non-contiguous ids to 0..C−1 in ascending order and warns', () => {
    const warnings: TeWarning[] = [];
    const l = prepareLabels([7, 3, 3, 12, 7], 5, (w) => warnings.push(w));
    expect(Array.from(l.y)).toEqual([1, 0, 0, 2, 1]);
    expect(l.classIds).toEqual([3, 7, 12]);
    expect(l.remapped).toBe(true);
    expect(warnings.map((w) => w.code)).toEqual(['remapped-labels']);
    expect(warnings[0].message).toContain('[3, 7, 12]');
    // A missing id in the middle (0, 2) is also remapped: the official range(max+1) loop would see an empty class 1.
    expect(Array.from(prepareLabels([0, 2, 2], 3).y)).toEqual([0, 1, 1]);
  });

  it('rejects bad labels with typed errors', () => {
    expect(codeOf(() => prepareLabels([0, 1], 3))).toBe('shape-mismatch');
    expect(codeOf(() => prepareLabels([0, 1.5], 2))).toBe('invalid-input');
    expect(codeOf(() => prepareLabels([0, -1], 2))).toBe('invalid-input');
    expect(codeOf(() => prepareLabels([0, NaN], 2))).toBe('non-finite');
    expect(codeOf(() => prepareLabels([], 0))).toBe('too-few-samples');
  });
});

describe('preparePooled', () => {
  it('rejects NaN/Inf features and fewer than 2 rows, and warns on one class and on tiny classes', () => {
    expect(codeOf(() => preparePooled(fromRows([[1, 2], [3, NaN]]), [0, 1], 'x'))).toBe('non-finite');
    expect(codeOf(() => preparePooled(fromRows([[1, 2], [3, Infinity]]), [0, 1], 'x'))).toBe('non-finite');
    expect(codeOf(() => preparePooled(fromRows([[1, 2]]), [0], 'x'))).toBe('too-few-samples');
    const warnings: TeWarning[] = [];
    preparePooled(fromRows([[1], [2], [3]]), [0, 0, 0], 'x', (w) => warnings.push(w));
    preparePooled(fromRows([[1], [2], [3]]), [0, 0, 1], 'x', (w) => warnings.push(w));
    expect(warnings.map((w) => w.code)).toEqual(['single-class', 'too-few-samples']);
  });
});
