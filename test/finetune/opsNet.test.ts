// The engine's other ops (issue 8 §1) on a small exported net (test/fixtures/finetune/make_ops_fixture.py):
// GroupNorm export pattern, InstanceNorm, LeakyRelu, Sigmoid, MaxPool, bilinear and nearest ×2 Resize, Concat,
// Add/Mul — forward vs onnxruntime-node and PyTorch, mean-CE gradients of every parameter vs PyTorch float64.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { parseOnnx, type ParsedGraph } from '../../src/core/finetune/onnxGraph.ts';
import { paramTensor, runGraph } from '../../src/adapters/tfjsGraph.ts';
import { crossEntropy } from '../../src/adapters/tfjsLosses.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { f32, FIXTURE_DIR, maxAbs, relToMax, WASM_DIR } from './fixture.ts';

interface OpsRef { shape: [number, number, number, number]; classes: number; ops: string[]; x: string; y: number[]; logits: string; loss: number; grads: Record<string, string> }
const bytes = new Uint8Array(readFileSync(join(FIXTURE_DIR, 'ops_net.onnx')));
const ref = JSON.parse(readFileSync(join(FIXTURE_DIR, 'ops_net_ref.json'), 'utf8')) as OpsRef;
let g: ParsedGraph;

/** PyTorch name → the engine's: GroupNorm's affine pair is exported as anonymous Mul/Add initialisers. */
function engineName(torchName: string): string {
  if (g.params.has(torchName)) return torchName;
  const [scope, kind] = torchName.split('.');
  const hit = g.weights.find((w) => w.startsWith(`${scope}.${kind === 'weight' ? 'Mul' : 'Add'}_`));
  if (!hit) throw new Error(`no engine parameter for ${torchName}`);
  return hit;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ops net on ${backend}`, () => {
    beforeAll(async () => { await initTfjsBackend(backend, WASM_DIR); g = parseOnnx(bytes); });

    it('covers the ops and trains all 14 PyTorch parameters, GroupNorm affine included', () => {
      expect(ref.ops).toEqual(expect.arrayContaining(['InstanceNormalization', 'Reshape', 'Shape', 'Resize', 'LeakyRelu', 'Sigmoid', 'Mul', 'Add', 'Concat', 'MaxPool']));
      expect(g.weights).toHaveLength(Object.keys(ref.grads).length);
      for (const k of Object.keys(ref.grads)) expect(g.weights).toContain(engineName(k));
    });

    it('forward equals onnxruntime-node and PyTorch; CE gradients within 1e-4 of each layer\'s largest', async () => {
      const x = f32(ref.x), [n, , h, w] = ref.shape;
      const t = new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
      const out = runGraph(g, (k) => t.get(k)!, tf.tensor(x, ref.shape), ['logits'], { training: true })[0];
      const got = tf.transpose(out, [0, 3, 1, 2]).dataSync();
      const sess = await ort.InferenceSession.create(bytes);
      const viaOrt = (await sess.run({ image: new ort.Tensor('float32', x, ref.shape) })).logits.data as Float32Array;
      expect(maxAbs(got, viaOrt)).toBeLessThan(1e-5);
      expect(maxAbs(got, f32(ref.logits))).toBeLessThan(1e-5);
      const oneHot = tf.cast(tf.oneHot(tf.tensor3d(ref.y, [n, h, w], 'int32'), ref.classes), 'float32') as tf.Tensor4D;
      const f = (...ts: tf.Tensor[]) => {
        const m = new Map(t);
        g.weights.forEach((k, i) => m.set(k, ts[i]));
        return crossEntropy({ logits: runGraph(g, (k) => m.get(k)!, tf.tensor(x, ref.shape), ['logits'], { training: true })[0] as tf.Tensor4D, oneHot });
      };
      const { value, grads } = tf.valueAndGrads(f)(g.weights.map((k) => t.get(k)!));
      expect(Math.abs(value.dataSync()[0] - ref.loss)).toBeLessThan(1e-5);
      let worst = 0, zeroAbs = 0;
      for (const [k, b64] of Object.entries(ref.grads)) {
        const exp = f32(b64), got = grads[g.weights.indexOf(engineName(k))].dataSync();
        // a conv bias in front of InstanceNorm has a true gradient of 0: compared in absolute terms
        if (Math.max(...exp.map(Math.abs)) < 1e-9) zeroAbs = Math.max(zeroAbs, Math.max(...got.map(Math.abs)));
        else worst = Math.max(worst, relToMax(got, exp));
      }
      expect(worst).toBeLessThan(1e-4);
      expect(zeroAbs).toBeLessThan(1e-6);
    });
  });
}
