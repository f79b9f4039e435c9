// deflatedSymmetricEigen: exact zeros for zero rows/columns, the rest as symmetricEigen, A v = λ v throughout.
import { describe, expect, it } from 'vitest';
import { deflatedSymmetricEigen } from './deflatedSymmetricEigen.ts';

describe('deflatedSymmetricEigen', () => {
  it('gives exact zero eigenvalues with unit vectors for zero rows, and the live eigenpairs in place', () => {
    // Live block [[2, 1], [1, 2]] (eigenvalues 1, 3) on indices 0 and 2; index 1 and 3 are dead.
    const a = new Float64Array([2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0]);
    const { values, vectors, zeroRows } = deflatedSymmetricEigen(a, 4);
    expect(zeroRows).toEqual([1, 3]);
    expect(values[0]).toBe(0);
    expect(values[1]).toBe(0);
    expect(values[2]).toBeCloseTo(1, 14);
    expect(values[3]).toBeCloseTo(3, 14);
    expect(Array.from(vectors!.subarray(0, 8))).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
    for (let k = 0; k < 4; k++) {
      for (let i = 0; i < 4; i++) {
        let s = 0;
        for (let j = 0; j < 4; j++) s += a[i * 4 + j] * vectors![k * 4 + j];
        expect(s).toBeCloseTo(values[k] * vectors![k * 4 + i], 13);
      }
    }
  });

  it('orders exact zeros among negative and positive live eigenvalues, and matches plain eigen without zero rows', () => {
    const a = new Float64Array([-1, 0, 0, 0, 0, 0, 0, 0, 4]);
    expect(Array.from(deflatedSymmetricEigen(a, 3, { vectors: false }).values)).toEqual([-1, 0, 4]);
    const full = new Float64Array([2, 1, 1, 2]);
    expect(Array.from(deflatedSymmetricEigen(full, 2).values)).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
  });
});
