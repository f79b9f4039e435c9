// The trainer on volumes (FinetuneData with depth d) and a 3-D net: the tiny 3-D U-Net fixture (make_tiny3d_fixture.py).
// One SGD step equals PyTorch float64's (parameters, BatchNorm running statistics), the held-out Dice equals the one
// computed from onnxruntime-node's logits, a few Adam steps train, a new head is 5-D, and 2-D/3-D mismatches are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { dice } from '../../src/core/stats/dice.ts';
import { f32, FIXTURE_DIR, maxAbs, relToMax, tinyOnnx, tinySlices, WASM_DIR } from './fixture.ts';

interface Tiny3dRef {
  shape: [number, number, number, number, number]; classes: number; x: string; y: string;
  ce: { loss: number }; buffersAfterTrainForward: Record<string, string>; sgd: { lr: number; newParams: Record<string, string> };
}

const onnx3d = (): Uint8Array => new Uint8Array(readFileSync(join(FIXTURE_DIR, 'tiny3d_unet.onnx')));
const manifest = { logits_name: 'logits' };
let ref: Tiny3dRef, data: FinetuneData;

beforeAll(() => {
  ref = JSON.parse(readFileSync(join(FIXTURE_DIR, 'tiny3d_unet_ref.json'), 'utf8')) as Tiny3dRef;
  const [n, , d, h, w] = ref.shape;
  data = { images: f32(ref.x), labels: Int32Array.from(new Int8Array(Buffer.from(ref.y, 'base64'))), n, d, h, w };
});

const opts = (o: Partial<TrainerOptions>): TrainerOptions => ({ train: [0, 1], test: [1], riskCases: [], batch: 2, seed: 0, ...o });

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`trainer on 3-D volumes (${backend})`, () => {
    beforeAll(async () => { await initTfjsBackend(backend, WASM_DIR); });

    it('one SGD step (lr 0.1, CE, both volumes) matches PyTorch: loss, parameters, BatchNorm running statistics', () => {
      const t = createTrainerSync(onnx3d(), manifest, data, opts({ optimizer: 'sgd', lr: ref.sgd.lr }));
      expect(t.numClasses).toBe(3);
      const r = t.stepSync();
      expect(Math.abs(r.loss - ref.ce.loss) / ref.ce.loss).toBeLessThan(1e-5);
      const w = t.weights();
      let moved = 0;
      for (const [name, b64] of Object.entries(ref.sgd.newParams)) {
        expect(maxAbs(w.get(name)!, f32(b64))).toBeLessThan(1e-5);
        moved = Math.max(moved, maxAbs(w.get(name)!, createTrainerSync(onnx3d(), manifest, data, opts({})).weights().get(name)!));
      }
      expect(moved).toBeGreaterThan(1e-3);
      const stats = Object.entries(ref.buffersAfterTrainForward);
      expect(stats).toHaveLength(36);
      for (const [name, b64] of stats) expect(relToMax(w.get(name)!, f32(b64))).toBeLessThan(1e-5);
      t.dispose();
    });

    it('held-out Dice of the untrained model equals the Dice of onnxruntime-node\'s argmax on the same volumes', async () => {
      const t = createTrainerSync(onnx3d(), manifest, data, opts({}));
      const got = t.evaluateSync([0, 1]);
      t.dispose();
      const sess = await ort.InferenceSession.create(onnx3d());
      const logits = (await sess.run({ image: new ort.Tensor('float32', data.images, ref.shape) })).logits.data as Float32Array;
      const [n, , d, h, w] = ref.shape, vox = d * h * w, c = ref.classes;
      const pred = new Int32Array(n * vox);
      for (let i = 0; i < n; i++) for (let v = 0; v < vox; v++) {
        let best = 0;
        for (let k = 1; k < c; k++) if (logits[(i * c + k) * vox + v] > logits[(i * c + best) * vox + v]) best = k;
        pred[i * vox + v] = best;
      }
      const target = Int32Array.from(data.labels);
      const perClass = [1, 2].map((k) => dice(pred, target, k));
      console.log(`3-D held-out Dice before training (${backend}): ${got.perClass.map((v) => v.toFixed(4)).join(', ')}; from ORT ${perClass.map((v) => v.toFixed(4)).join(', ')}`);
      expect(got.perClass).toHaveLength(2);
      got.perClass.forEach((v, k) => expect(Math.abs(v - perClass[k])).toBeLessThan(1e-9));
    });

    it('a few Adam steps (CE + soft Dice) lower the loss and raise the Dice of the trained volume', () => {
      const t = createTrainerSync(onnx3d(), manifest, data, opts({ train: [0], test: [0], batch: 1, lr: 3e-2, loss: 'ce-dice' }));
      const before = t.evaluateSync();
      const losses = Array.from({ length: 15 }, () => t.stepSync().loss);
      const after = t.evaluateSync();
      console.log(`3-D Adam steps (${backend}): losses ${losses.map((l) => l.toFixed(4)).join(' ')}; Dice ${before.dice.toFixed(4)} → ${after.dice.toFixed(4)}`);
      expect(losses[14]).toBeLessThan(losses[0]);
      expect(after.dice).toBeGreaterThan(before.dice);
      t.dispose();
    });

    it('a new head for 2 classes is a 5-D 1×1×1 conv and trains', () => {
      const merged = { ...data, labels: Int32Array.from(data.labels, (v) => (v > 0 ? 1 : 0)) };
      const t = createTrainerSync(onnx3d(), manifest, merged, opts({ numClasses: 2 }));
      expect(t.numClasses).toBe(2);
      const head = t.exportStateSync().get('head.weight')!;
      expect(head.dims).toEqual([2, 2, 1, 1, 1]);
      const bound = 1 / Math.sqrt(2); // PyTorch's default init U(±1/√fan_in), fan_in = 2·1·1·1
      expect(Math.max(...head.data.map(Math.abs))).toBeLessThanOrEqual(bound);
      const r = t.stepSync();
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(maxAbs(t.weights().get('head.weight')!, head.data)).toBeGreaterThan(0);
      expect(t.evaluateSync().perClass).toHaveLength(1);
      t.dispose();
    });

    it('refuses volumes for a 2-D model and slices for a 3-D model, naming both', () => {
      expect(() => createTrainerSync(onnx3d(), manifest, { ...data, d: undefined, n: data.n * (data.d ?? 1) }, opts({}))).toThrow(/3-D \(NCDHW\) model and 2-D slices/);
      const s = tinySlices();
      expect(() => createTrainerSync(tinyOnnx(), manifest, { ...s, n: s.n / 2, d: 2 }, opts({}))).toThrow(/2-D \(NCHW\) model and volumes of 2×32×32/);
    });
  });
}
