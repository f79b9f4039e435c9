// Hand-checked values of the patched ops (issue 8: tfjs defects), on cpu and wasm: 2×2 max-pool gradient to the
// first maximum (wasm's MaxPoolGrad drops some), exact ×2 up-sampling (forward and adjoint), one-axis sums.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { maxPool, sumAxes, upsample2 } from '../../src/adapters/tfjsOps.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { WASM_DIR } from './fixture.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`patched ops on ${backend}`, () => {
    beforeAll(async () => { await initTfjsBackend(backend, WASM_DIR); });

    it('max-pool gradient goes to the first maximum of each window (row-major), ties included', () => {
      // one channel, 2×4: windows [[3,1],[0,3]] (tie: first) and [[2,2],[2,2]] (all tied: first)
      const x = tf.tensor4d([3, 1, 2, 2, 0, 3, 2, 2], [1, 2, 4, 1]);
      const dx = tf.grad((t) => tf.sum(tf.mul(maxPool(t as tf.Tensor4D, [2, 2], [2, 2], [0, 0, 0, 0]), tf.tensor4d([5, 7], [1, 1, 2, 1]))))(x);
      expect(Array.from(dx.dataSync())).toEqual([5, 0, 7, 0, 0, 0, 0, 0]);
    });

    it('max-pool gradient matches the window maxima on 1 and 3 channels (where wasm MaxPoolGrad fails)', () => {
      for (const c of [1, 3]) {
        const x = tf.tensor4d(Float32Array.from({ length: 4 * 4 * c }, (_, i) => Math.sin(i * 1.7 + 0.3)), [1, 4, 4, c]);
        const dx = tf.grad((t) => tf.sum(maxPool(t as tf.Tensor4D, [2, 2], [2, 2], [0, 0, 0, 0])))(x).dataSync();
        const xv = x.dataSync();
        for (let wy = 0; wy < 2; wy++) for (let wx = 0; wx < 2; wx++) for (let ch = 0; ch < c; ch++) {
          const idx = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([i, j]) => ((2 * wy + i) * 4 + 2 * wx + j) * c + ch);
          const best = idx.reduce((b, k) => (xv[k] > xv[b] ? k : b), idx[0]);
          for (const k of idx) expect(dx[k]).toBe(k === best ? 1 : 0);
        }
      }
    });

    it('×2 bilinear (half-pixel, edge clamp) and nearest up-sampling: values and adjoint', () => {
      const x = tf.tensor4d([0, 4], [1, 1, 2, 1]);
      expect(Array.from(upsample2(x, 'linear').dataSync())).toEqual([0, 1, 3, 4, 0, 1, 3, 4]);
      expect(Array.from(upsample2(x, 'nearest').dataSync())).toEqual([0, 0, 4, 4, 0, 0, 4, 4]);
      // adjoint: ⟨up(x), v⟩ = ⟨x, upᵀ v⟩ with the gradient as upᵀ; v = 1..8 → columns weights by hand
      const v = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 4, 1]);
      const g = tf.grad((t) => tf.sum(tf.mul(upsample2(t as tf.Tensor4D, 'linear'), v)))(x).dataSync();
      // x0 contributes 1, .75, .25, 0 to columns 0..3 of both rows: (1+5)·1 + (2+6)·.75 + (3+7)·.25 = 14.5
      expect(g[0]).toBeCloseTo(14.5, 5);
      expect(g[1]).toBeCloseTo(36 - 14.5 + 0, 5);
    });

    it('sums one axis at a time equal the exact sum', () => {
      const x = tf.tensor3d(Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i), [2, 3, 4]);
      expect(Array.from(sumAxes(x, [0, 2]).dataSync())).toEqual([0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 4 + 5 + 6 + 7 + 16 + 17 + 18 + 19, 8 + 9 + 10 + 11 + 20 + 21 + 22 + 23]);
    });
  });
}
