// Gradient accumulation (issue 8: smaller devices): on a net with per-sample normalisation (ops fixture:
// GroupNorm, InstanceNorm) a batch of 2 in 2 micro-batches gives the same step as in one, for CE and risk CE.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { TeError } from '../../src/core/errors.ts';
import { f32, FIXTURE_DIR, maxAbs, tinyOnnx } from './fixture.ts';

const bytes = new Uint8Array(readFileSync(join(FIXTURE_DIR, 'ops_net.onnx')));
let data: FinetuneData;

beforeAll(async () => {
  await initTfjsBackend('cpu');
  const ref = JSON.parse(readFileSync(join(FIXTURE_DIR, 'ops_net_ref.json'), 'utf8')) as { x: string; y: number[] };
  data = { images: f32(ref.x), labels: Int32Array.from(ref.y), n: 2, h: 16, w: 16 };
});

function oneStep(o: Partial<TrainerOptions>) {
  const t = createTrainerSync(bytes, { logits_name: 'logits' }, data, { train: [0, 1], batch: 2, optimizer: 'sgd', lr: 0.1, ...o });
  const r = t.stepSync();
  const w = t.weights();
  t.dispose();
  return { loss: r.loss, w };
}

describe('gradient accumulation', () => {
  for (const method of ['plain', 'risk', 'metalr'] as const) {
    it(`${method}: two micro-batches = one batch (loss and updated weights)`, () => {
      const a = oneStep({ method }), b = oneStep({ method, accumulate: 2 });
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-6 * Math.max(1, Math.abs(a.loss)));
      for (const [k, v] of a.w) expect(maxAbs(b.w.get(k)!, v), k).toBeLessThan(1e-6);
    });
  }

  it('is really split: with BatchNorm (own statistics per micro-batch) the loss changes', () => {
    const two = { ...data, images: new Float32Array(4 * 32 * 32).map((_, i) => Math.sin(i)), labels: new Int32Array(4 * 32 * 32).map((_, i) => (i % 7 === 0 ? 1 : 0)), n: 4, h: 32, w: 32 };
    const step = (accumulate: number) => {
      const t = createTrainerSync(tinyOnnx(), { logits_name: 'logits' }, two, { train: [0, 1, 2, 3], batch: 4, accumulate, numClasses: 3 });
      const l = t.stepSync().loss;
      t.dispose();
      return l;
    };
    expect(Math.abs(step(1) - step(2))).toBeGreaterThan(1e-5); // float32 noise is ~1e-7
  });

  it('refuses a micro-batch count that does not divide the batch', () => {
    expect(() => createTrainerSync(bytes, { logits_name: 'logits' }, data, { train: [0, 1], batch: 2, accumulate: 3 })).toThrow(TeError);
  });
});
