// One MetaLR step (paper and official rule, SGD), two Adam steps and the BatchNorm running-statistics update of
// the trainer vs PyTorch float64 (committed reference); seeded determinism; the schemes' frozen groups stay put.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { f32, maxAbs, relToMax, tinyOnnx, tinyRef, tinySlices, WASM_DIR, type TinyRef } from './fixture.ts';

let ref: TinyRef, data: FinetuneData;
const manifest = { logits_name: 'logits' };

beforeAll(() => {
  ref = tinyRef();
  data = tinySlices(ref);
});

const base = (o: Partial<TrainerOptions>): TrainerOptions => ({ train: [0, 1], meta: [2, 3], test: [2, 3], batch: 2, seed: 0, ...o });

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`trainer on ${backend}`, () => {
    beforeAll(async () => { await initTfjsBackend(backend, WASM_DIR); });

    for (const rule of ['paper', 'official'] as const) {
      it(`one MetaLR step (${rule} rule, SGD) matches PyTorch: dots, new LRs, parameters`, () => {
        const exp = ref.metalr[rule];
        const probe = createTrainerSync(tinyOnnx(), manifest, data, base({ scheme: `metalr-${rule}` }));
        const initialLrs = probe.groups.map((g) => ref.metalr.lrs[ref.metalr.groups.indexOf(g)]);
        probe.dispose();
        const t = createTrainerSync(tinyOnnx(), manifest, data, base({ scheme: `metalr-${rule}`, initialLrs, eta: ref.metalr.eta }));
        const r = t.stepSync();
        expect(Math.abs(r.loss - exp.trainLoss)).toBeLessThan(1e-5);
        expect(Math.abs(r.valLoss! - exp.valLossLookahead)).toBeLessThan(1e-5);
        t.groups.forEach((g, j) => {
          const k = ref.metalr.groups.indexOf(g);
          const scale = Math.max(...exp.dots.map(Math.abs));
          expect(Math.abs(r.dots![j] - exp.dots[k]) / scale).toBeLessThan(1e-4);
          expect(Math.abs(r.lrs[j] - exp.newLrs[k]) / exp.newLrs[k]).toBeLessThan(1e-4);
        });
        const w = t.weights();
        for (const [name, b64] of Object.entries(exp.newParams)) expect(maxAbs(w.get(name)!, f32(b64))).toBeLessThan(1e-5);
        t.dispose();
      });
    }

    it('the optional MetaLR LR clip caps the paper rule\'s new LRs at lrMax (PyTorch reference LRs, clipped by hand)', () => {
      const exp = ref.metalr.paper;
      const probe = createTrainerSync(tinyOnnx(), manifest, data, base({ scheme: 'metalr-paper' }));
      const initialLrs = probe.groups.map((g) => ref.metalr.lrs[ref.metalr.groups.indexOf(g)]);
      probe.dispose();
      const sorted = [...exp.newLrs].sort((a, b) => a - b);
      const lrMax = (sorted[0] + sorted[sorted.length - 1]) / 2; // some groups above, some below
      expect(sorted[sorted.length - 1]).toBeGreaterThan(lrMax);
      const t = createTrainerSync(tinyOnnx(), manifest, data, base({ scheme: 'metalr-paper', initialLrs, eta: ref.metalr.eta, lrMax }));
      const r = t.stepSync();
      t.groups.forEach((g, j) => {
        const want = Math.min(exp.newLrs[ref.metalr.groups.indexOf(g)], lrMax);
        expect(Math.abs(r.lrs[j] - want) / want).toBeLessThan(1e-4);
      });
      t.dispose();
    });

    it('two Adam steps match torch.optim.Adam; running statistics after one step match PyTorch', () => {
      const t = createTrainerSync(tinyOnnx(), manifest, data, base({ method: 'plain', optimizer: 'adam', lr: ref.adam2.lr }));
      t.stepSync();
      const w1 = t.weights();
      for (const [name, b64] of Object.entries(ref.buffersAfterTrainForward)) expect(relToMax(w1.get(name) ?? [], f32(b64))).toBeLessThan(1e-5);
      t.stepSync();
      const w = t.weights();
      // Conv biases in front of train-mode BatchNorm have a true gradient of 0: Adam turns rounding noise into
      // ±lr steps there (in PyTorch too), so only parameters with a real gradient are compared.
      const real = Object.entries(ref.adam2.newParams).filter(([name]) => Math.max(...f32(ref.ce.grads[name]).map(Math.abs)) > 1e-9);
      expect(real.length).toBeGreaterThan(10);
      for (const [name, b64] of real) expect(maxAbs(w.get(name)!, f32(b64)), name).toBeLessThan(2e-5);
      t.dispose();
    });
  });
}
