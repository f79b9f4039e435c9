// A model whose weights do not all reach the logits (a deep-supervision head, an unread conv, an unused
// initialiser) trains: only the weights on the logits' path move; the others stay bit-identical and are reported.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainerSync } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { DEAD_BRANCH_WEIGHTS, deadBranchOnnx } from '../support/deadBranchOnnx.ts';
import { maxAbs } from './fixture.ts';

let data: FinetuneData;

beforeAll(async () => {
  await initTfjsBackend('cpu');
  const n = 6, h = 8, w = 8, images = new Float32Array(n * h * w), labels = new Int32Array(n * h * w);
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) {
    const p = (i * h + r) * w + c, fg = Math.abs(r - 3.5) + Math.abs(c - 2 - i / 2) < 3;
    images[p] = fg ? 0.8 + 0.02 * i : 0.1 + 0.01 * c;
    labels[p] = fg ? 1 : 0;
  }
  data = { images, labels, n, h, w };
});

describe('trainer on a graph with weights off the logits path', () => {
  for (const method of ['plain', 'metalr', 'risk'] as const) {
    it(`${method}: trains the live weights, keeps aux/dead frozen and reports them`, () => {
      const t = createTrainerSync(deadBranchOnnx(), { logits_name: 'logits' }, data, { method, train: [0, 1, 2, 3], test: [4, 5], batch: 2, seed: 0 });
      expect(t.offPath).toEqual(DEAD_BRANCH_WEIGHTS.dead);
      expect(t.groups).toEqual(['enc', 'head']); // the head group is the logits' conv, not the later-listed aux
      const before = t.weights();
      const losses = Array.from({ length: 3 }, () => t.stepSync().loss);
      const after = t.weights();
      t.dispose();
      expect(losses.every(Number.isFinite)).toBe(true);
      for (const n of DEAD_BRANCH_WEIGHTS.live) expect(maxAbs(after.get(n)!, before.get(n)!), n).toBeGreaterThan(0);
      for (const n of DEAD_BRANCH_WEIGHTS.dead) expect(maxAbs(after.get(n)!, before.get(n)!), n).toBe(0);
    });
  }

  it('a replaced head (3 classes → 2) is still found from the logits, the aux head stays as it was', () => {
    const t = createTrainerSync(deadBranchOnnx({ classes: 3 }), { logits_name: 'logits' }, data, { method: 'plain', train: [0, 1, 2, 3], test: [4, 5], batch: 2, numClasses: 2 });
    expect(t.weights().get('head.weight')!.length).toBe(2 * 4);
    expect(t.weights().get('aux.weight')!.length).toBe(3 * 4);
    expect(Number.isFinite(t.stepSync().loss)).toBe(true);
    expect(t.evaluateSync().perClass).toHaveLength(1);
    t.dispose();
  });
});
