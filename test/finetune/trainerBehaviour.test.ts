// Trainer behaviour on the tiny fixture (cpu backend): seeded determinism, frozen groups stay put, head
// replacement, the risk map vs the core estimators on onnxruntime probabilities, no tensor leak, unsupported ops.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { createTrainer, createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { parseOnnx } from '../../src/core/finetune/onnxGraph.ts';
import { pixelLeepMap } from '../../src/core/estimators/pixelLeepMap.ts';
import { riskMap } from '../../src/core/estimators/riskMap.ts';
import { TeError } from '../../src/core/errors.ts';
import { maxAbs, tinyOnnx, tinySlices } from './fixture.ts';

let data: FinetuneData;
const manifest = { logits_name: 'logits' };
const opts = (o: Partial<TrainerOptions>): TrainerOptions => ({ train: [0, 1, 2, 3], test: [0, 1, 2, 3], batch: 2, seed: 0, ...o });

beforeAll(async () => {
  await initTfjsBackend('cpu');
  data = tinySlices();
});

function run(o: Partial<TrainerOptions>, steps: number) {
  const t = createTrainerSync(tinyOnnx(), manifest, data, opts(o));
  const before = t.weights();
  const losses = Array.from({ length: steps }, () => t.stepSync().loss);
  const after = t.weights();
  const groups = t.groups, trainable = t.trainable;
  t.dispose();
  return { before, after, losses, groups, trainable };
}

describe('trainer behaviour (cpu)', () => {
  it('same seed → identical losses and weights (sync and async reads alike); another seed → other batches', async () => {
    const a = run({ method: 'metalr' }, 2), c = run({ method: 'metalr', seed: 5 }, 2);
    const tb = await createTrainer(tinyOnnx(), manifest, data, opts({ method: 'metalr' }));
    const bLosses = [(await tb.step()).loss, (await tb.step()).loss];
    const bAfter = tb.weights();
    expect(tb.backend).toBe('cpu');
    tb.dispose();
    expect(bLosses).toEqual(a.losses);
    for (const [k, v] of a.after) expect(maxAbs(v, bAfter.get(k)!)).toBe(0);
    expect(c.losses).not.toEqual(a.losses);
  }, 180_000);

  it('last-layer and bi-directional schemes leave frozen groups unchanged and train the others', () => {
    for (const o of [{ scheme: 'last-layer' as const }, { scheme: 'bi-directional' as const, frozen: [0, 4] as [number, number] }]) {
      const r = run(o, 2);
      r.groups.forEach((g, j) => {
        const names = [...r.before.keys()].filter((k) => /weight$/.test(k) && (k.startsWith(g + '.')));
        const moved = names.some((k) => maxAbs(r.before.get(k)!, r.after.get(k)!) > 0);
        expect(moved, `${o.scheme} ${g}`).toBe(r.trainable[j]);
      });
    }
  });

  it('replaces the head (seeded) when the class count differs, and trains it', () => {
    const two = { ...data, labels: Int32Array.from(data.labels, (v) => (v > 0 ? 1 : 0)) };
    const mk = () => createTrainerSync(tinyOnnx(), manifest, two, opts({ method: 'plain', numClasses: 2 }));
    const t1 = mk(), t2 = mk();
    expect(t1.numClasses).toBe(2);
    expect(t1.weights().get('head.weight')!.length).toBe(2 * 2);
    expect(Array.from(t1.weights().get('head.weight')!)).toEqual(Array.from(t2.weights().get('head.weight')!));
    const l = Array.from({ length: 12 }, () => t1.stepSync().loss);
    expect(l.every(Number.isFinite)).toBe(true);
    expect(Math.min(...l.slice(-3))).toBeLessThan(l[0]);
    const d = t1.evaluateSync();
    expect(d.perClass).toHaveLength(1);
    expect(d.dice).toBeGreaterThanOrEqual(0);
    t1.dispose(); t2.dispose();
  });

  it('risk map = core pixel LEEP → risk map on onnxruntime probabilities of the source model', async () => {
    const t = await createTrainer(tinyOnnx(), manifest, data, opts({ method: 'risk', train: [0, 1, 2] }));
    const sess = await ort.InferenceSession.create(tinyOnnx());
    const px = data.h * data.w;
    const out = await sess.run({ image: new ort.Tensor('float32', data.images.slice(0, 3 * px), [3, 1, data.h, data.w]) });
    const l = out.logits.data as Float32Array, c = 3, probs = new Float64Array(3 * px * c);
    for (let i = 0; i < 3; i++) for (let p = 0; p < px; p++) {
      let m = -Infinity, s = 0;
      for (let k = 0; k < c; k++) m = Math.max(m, l[(i * c + k) * px + p]);
      for (let k = 0; k < c; k++) s += Math.exp(l[(i * c + k) * px + p] - m);
      for (let k = 0; k < c; k++) probs[(i * px + p) * c + k] = Math.exp(l[(i * c + k) * px + p] - m) / s;
    }
    const leep = pixelLeepMap({ n: 3, h: data.h, w: data.w, c, data: probs }, { n: 3, h: data.h, w: data.w, data: Int32Array.from(data.labels).subarray(0, 3 * px) });
    const expected = riskMap(leep.map, px, 'image');
    expect(maxAbs(t.risk!, expected)).toBeLessThan(1e-4);
    expect(Math.min(...t.risk!)).toBeCloseTo(1, 12);
    expect(Math.max(...t.risk!)).toBeCloseTo(10, 12);
    t.dispose();
  });

  it('no tensor leak: the tensor count is flat across 5 steps and an evaluation (plain, MetaLR, risk)', () => {
    for (const method of ['plain', 'metalr', 'risk'] as const) {
      const t = createTrainerSync(tinyOnnx(), manifest, data, opts({ method }));
      t.stepSync(); t.stepSync();
      const n0 = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) t.stepSync();
      expect(tf.memory().numTensors, method).toBe(n0);
      t.evaluateSync();
      expect(tf.memory().numTensors, method).toBe(n0);
      t.dispose();
    }
  }, 180_000);

  it('refuses an unsupported op with the op and node named', () => {
    const { onnx } = onnxProto;
    const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({
      irVersion: 8, opsetImport: [{ version: 17 }],
      graph: { name: 'g', node: [{ opType: 'Gemm', name: 'fc', input: ['x', 'w'], output: ['y'] }], input: [{ name: 'x' }], output: [{ name: 'y' }] },
    })).finish();
    let err: unknown;
    try { parseOnnx(bytes); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(TeError);
    expect((err as TeError).code).toBe('unsupported');
    expect((err as TeError).message).toMatch(/Gemm.*"fc"/);
    expect(() => parseOnnx(new Uint8Array([1, 2, 3]))).toThrow(TeError);
  });
});
