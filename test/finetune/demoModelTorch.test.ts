// Demo bank U-Net vs PyTorch (issue 8 §6): train-mode CE gradients and one SGD step of the trainer against
// Debian's python3-torch at test time (test/fixtures/finetune/torch_grads.py). Skipped, with the reason, without torch or the bank file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainerSync } from '../../src/adapters/tfjsTrainer.ts';
import { parseOnnx } from '../../src/core/finetune/onnxGraph.ts';
import { paramTensor, runGraph } from '../../src/adapters/tfjsGraph.ts';
import { crossEntropy } from '../../src/adapters/tfjsLosses.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { f32, FIXTURE_DIR, maxAbs, relToMax, WASM_DIR } from './fixture.ts';

/** Train-mode CE gradients of every weight of the ONNX model on the tfjs graph. */
function tfjsGrads(bytes: Uint8Array, images: Float32Array, labels: Int32Array, shape: [number, number, number, number]): Map<string, Float32Array> {
  const g = parseOnnx(bytes), t = new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
  const [n, , h, w] = shape;
  const x = tf.tensor(images, shape), oneHot = tf.cast(tf.oneHot(tf.tensor3d(labels, [n, h, w], 'int32'), 2), 'float32') as tf.Tensor4D;
  const f = (...ts: tf.Tensor[]) => {
    const m = new Map(t);
    g.weights.forEach((k, i) => m.set(k, ts[i]));
    return crossEntropy({ logits: runGraph(g, (k) => m.get(k)!, x, ['logits'], { training: true })[0] as tf.Tensor4D, oneHot });
  };
  const { grads } = tf.valueAndGrads(f)(g.weights.map((k) => t.get(k)!));
  return new Map(g.weights.map((k, i) => [k, grads[i].dataSync() as Float32Array]));
}

const model = join(process.cwd(), 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
const py = '/usr/bin/python3';
const torchOk = existsSync(py) && spawnSync(py, ['-c', 'import torch, onnx'], { timeout: 60000 }).status === 0;
const why = !existsSync(model) ? `${model} is absent` : !torchOk ? `${py} with torch and onnx is absent` : '';
if (why) console.log(`demoModelTorch.test: skipped, ${why}`);

describe.skipIf(why !== '')('demo bank U-Net vs PyTorch float64', () => {
  it('CE gradients (train-mode BatchNorm) and one SGD step agree (gradients within 1e-4 of each layer\'s largest, step within 1e-6)', async () => {
    await initTfjsBackend('wasm', WASM_DIR);
    const n = 4, h = 64, w = 64, rng = createRng(11);
    const images = Float32Array.from({ length: n * h * w }, () => rng.next());
    const labels = Int32Array.from({ length: n * h * w }, (_, i) => (((i % w) - 32) ** 2 + ((Math.floor(i / w) % h) - 30) ** 2 < 300 ? 1 : 0));
    const dir = mkdtempSync(join(tmpdir(), 'tl-ft-'));
    writeFileSync(join(dir, 'in.json'), JSON.stringify({ model, shape: [n, 1, h, w], x: Buffer.from(images.buffer).toString('base64'), y: Array.from(labels) }));
    const res = spawnSync(py, [join(FIXTURE_DIR, 'torch_grads.py'), join(dir, 'in.json')], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 300000 });
    expect(res.status, res.stderr).toBe(0);
    const ref = JSON.parse(res.stdout) as { loss: number; grads: Record<string, string> };
    const lr = 0.01, bytes = new Uint8Array(readFileSync(model));
    const mine = tfjsGrads(bytes, images, labels, [n, 1, h, w]);
    const t = createTrainerSync(bytes, { logits_name: 'logits' }, { images, labels, n, h, w },
      { method: 'plain', optimizer: 'sgd', lr, train: [0, 1, 2, 3], batch: 4 });
    const before = t.weights();
    const step = t.stepSync();
    const after = t.weights();
    expect(Math.abs(step.loss - ref.loss)).toBeLessThan(1e-5);
    let worst = 0, compared = 0, stepDiff = 0;
    for (const [name, b64] of Object.entries(ref.grads)) {
      const g = f32(b64), scale = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      stepDiff = Math.max(stepDiff, maxAbs(after.get(name)!, before.get(name)!.map((v, i) => v - lr * g[i])));
      if (scale < 1e-9) continue; // conv biases in front of train-mode BatchNorm: true gradient 0
      worst = Math.max(worst, relToMax(mine.get(name)!, g));
      compared++;
    }
    console.log(`demo U-Net vs PyTorch: loss ${step.loss} vs ${ref.loss}; worst layer gradient ${worst.toExponential(2)} of its largest over ${compared} tensors; SGD step max |Δθ| ${stepDiff.toExponential(2)}`);
    expect(compared).toBeGreaterThan(60);
    expect(worst).toBeLessThan(1e-4);
    expect(stepDiff).toBeLessThan(1e-6);
    t.dispose();
  }, 300_000);
});
