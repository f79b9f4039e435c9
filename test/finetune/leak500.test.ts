// The 500-step no-leak test (issue 8): on the tiny U-Net fixture (16×16 crops, wasm backend, batch 2, async reads as
// in the worker) the tfjs tensor count and byte count after step 10, after the last step and after an evaluation are
// the same for plain Adam, MetaLR (paper rule, SGD) and the risk-weighted loss, and dispose() frees all the trainer
// made. A step is ~2 700 tiny kernels (overhead-bound whatever the slice size: 0.04–0.05 s on the idle 2-core build
// machine, ~0.1 s loaded), so 500 steps run for plain and MetaLR and 100 for the risk loss (plain's step with one more
// input tensor); ~50 s in all when idle.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer, type FinetuneMethod } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { tinyOnnx, tinySlices, WASM_DIR } from './fixture.ts';

const EARLY = 10, SIZE = 16, OFFSET = 8;
const STEPS: Record<FinetuneMethod, number> = { plain: 500, metalr: 500, risk: 100 };
let data: FinetuneData;

/** The SIZE×SIZE window at (OFFSET, OFFSET) of each n×h×w case (every window there has foreground). */
function crop<T extends Float32Array | Int32Array>(src: T, n: number, h: number, w: number, make: (k: number) => T): T {
  const out = make(n * SIZE * SIZE);
  for (let c = 0; c < n; c++) for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) out[(c * SIZE + y) * SIZE + x] = src[(c * h + y + OFFSET) * w + x + OFFSET];
  return out;
}

beforeAll(async () => {
  await initTfjsBackend('wasm', WASM_DIR);
  const { images, labels, n, h, w } = tinySlices();
  data = { images: crop(images, n, h, w, (k) => new Float32Array(k)), labels: crop(labels, n, h, w, (k) => new Int32Array(k)), n, h: SIZE, w: SIZE };
});

const mem = () => { const m = tf.memory(); return { numTensors: m.numTensors, numBytes: m.numBytes }; };

describe('no tensor leak over 500 steps (wasm, tiny U-Net, 16×16)', () => {
  for (const method of ['plain', 'metalr', 'risk'] as const satisfies readonly FinetuneMethod[]) {
    const steps = STEPS[method];
    it(`${method}: tensors and bytes after step ${EARLY} = after step ${steps} = after evaluate(); dispose() frees all`, async () => {
      const before = mem();
      const t = await createTrainer(tinyOnnx(), { logits_name: 'logits' }, data, { method, train: [0, 1], meta: [0, 1], test: [2, 3], batch: 2, seed: 0 });
      const t0 = performance.now();
      let last = NaN;
      for (let i = 0; i < EARLY; i++) last = (await t.step()).loss;
      const early = mem();
      for (let i = EARLY; i < steps; i++) last = (await t.step()).loss;
      const late = mem();
      const seconds = (performance.now() - t0) / 1000;
      await t.evaluate();
      const evaluated = mem();
      t.dispose();
      const after = mem();
      console.log(`${method}: ${steps} steps in ${seconds.toFixed(1)} s; after step ${EARLY} ${JSON.stringify(early)}, after step ${steps} ${JSON.stringify(late)}, after evaluate ${JSON.stringify(evaluated)}; before ${JSON.stringify(before)}, after dispose ${JSON.stringify(after)}; last loss ${last}`);
      expect(early.numTensors).toBeGreaterThan(before.numTensors);
      expect(late).toEqual(early);
      expect(evaluated).toEqual(early);
      expect(after).toEqual(before);
    }, 120_000);
  }
});
