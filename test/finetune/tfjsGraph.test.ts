// Parity of the ONNX → tfjs graph (issue 8 §1, §6): forward vs onnxruntime-node and PyTorch (eval), train-mode
// cross-entropy / CE + soft Dice / risk-weighted CE gradients vs PyTorch float64 (committed reference, no torch needed).
import { describe, expect, it, beforeAll } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { parseOnnx, type ParsedGraph } from '../../src/core/finetune/onnxGraph.ts';
import { runGraph, paramTensor } from '../../src/adapters/tfjsGraph.ts';
import { segmentationLoss, type LossKind } from '../../src/adapters/tfjsLosses.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { f32, maxAbs, relToMax, tinyOnnx, tinyRef, WASM_DIR, type TinyRef } from './fixture.ts';


let g: ParsedGraph, ref: TinyRef;
beforeAll(() => { g = parseOnnx(tinyOnnx()); ref = tinyRef(); });

function lookup(): Map<string, tf.Tensor> {
  return new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
}

/** Worst layer deviation relative to the layer's largest reference gradient; layers whose true gradient is 0
 * (conv biases before train-mode BatchNorm) are checked in absolute terms instead. */
function gradDeviation(kind: LossKind, risk: boolean, key: 'ce' | 'ceDice' | 'riskCe') {
  const t = lookup(), [n, , h, w] = ref.shape;
  const x = tf.tensor(f32(ref.x), ref.shape);
  const oneHot = tf.cast(tf.oneHot(tf.tensor(ref.y, [n, h, w], 'int32'), ref.classes), 'float32') as tf.Tensor4D;
  const r = tf.tensor(f32(ref.risk), [n, h, w]) as tf.Tensor3D;
  const f = (...ts: tf.Tensor[]) => {
    const m = new Map(t);
    g.weights.forEach((nm, i) => m.set(nm, ts[i]));
    const [logits] = runGraph(g, (nm) => m.get(nm)!, x, ['logits'], { training: true });
    return segmentationLoss(kind, { logits: logits as tf.Tensor4D, oneHot, risk: risk ? r : undefined, foreground: ref.y.filter((v) => v !== 0).length });
  };
  const { value, grads } = tf.valueAndGrads(f)(g.weights.map((nm) => t.get(nm)!));
  let rel = 0, zeroAbs = 0, layers = 0;
  g.weights.forEach((nm, i) => {
    const e = ref[key].grads[nm];
    if (!e) return;
    const exp = f32(e), got = grads[i].dataSync();
    layers++;
    if (Math.max(...exp.map(Math.abs)) < 1e-9) zeroAbs = Math.max(zeroAbs, Math.max(...got.map(Math.abs)));
    else rel = Math.max(rel, relToMax(got, exp));
  });
  return { loss: value.dataSync()[0], rel, zeroAbs, layers };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ONNX → tfjs graph on ${backend}`, () => {
    beforeAll(async () => { await initTfjsBackend(backend, WASM_DIR); });

    it('parses the fixture: 82 trainable tensors, 36 BatchNorm buffers, no constants left as weights', () => {
      expect(g.weights).toHaveLength(82);
      expect([...g.params.values()].filter((p) => p.role === 'buffer')).toHaveLength(36);
      expect(g.weights.every((w) => /weight|bias/.test(w))).toBe(true);
    });

    it('forward (eval) matches onnxruntime-node and PyTorch float64', async () => {
      const x = f32(ref.x);
      const [logits] = runGraph(g, (n) => lookup().get(n)!, tf.tensor(x, ref.shape), ['logits'], { training: false });
      const got = tf.transpose(logits, [0, 3, 1, 2]).dataSync();
      const sess = await ort.InferenceSession.create(tinyOnnx());
      const out = await sess.run({ image: new ort.Tensor('float32', x, ref.shape) });
      const viaOrt = out.logits.data as Float32Array;
      expect(maxAbs(got, viaOrt)).toBeLessThan(1e-5);
      expect(maxAbs(got, f32(ref.logitsEval))).toBeLessThan(1e-5);
    });

    for (const [key, kind, risk] of [['ce', 'ce', false], ['ceDice', 'ce-dice', false], ['riskCe', 'ce', true]] as const) {
      it(`train-mode ${key} loss and gradients match PyTorch (≤ 1e-4 of each layer's largest)`, () => {
        const d = gradDeviation(kind, risk, key);
        expect(Math.abs(d.loss - ref[key].loss) / Math.abs(ref[key].loss)).toBeLessThan(1e-5);
        expect(d.rel).toBeLessThan(1e-4);
        expect(d.zeroAbs).toBeLessThan(1e-4 * (key === 'riskCe' ? 50 : 1));
        expect(d.layers).toBeGreaterThan(key === 'ce' ? 80 : 10);
      });
    }
  });
}
