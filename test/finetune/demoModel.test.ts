// The demo bank's real U-Net (public/demo/models, base 8, BatchNorm preserved) through the tfjs graph: eval
// forward vs onnxruntime-node on a seeded 128² batch. Skipped, with the reason, when the bank file is absent.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { parseOnnx } from '../../src/core/finetune/onnxGraph.ts';
import { paramTensor, runGraph } from '../../src/adapters/tfjsGraph.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { layerGroups } from '../../src/core/finetune/layerGroups.ts';
import { maxAbs, WASM_DIR } from './fixture.ts';

const path = join(process.cwd(), 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
const present = existsSync(path);
if (!present) console.log(`demoModel.test: skipped, ${path} is not there (the bank is built by tools/bank)`);

describe.skipIf(!present)('demo bank U-Net on tfjs wasm', () => {
  it('forward (eval) equals onnxruntime-node; 14 layer groups from the parameter names', async () => {
    await initTfjsBackend('wasm', WASM_DIR);
    const bytes = new Uint8Array(readFileSync(path));
    const g = parseOnnx(bytes);
    expect(layerGroups(g.weights).names).toEqual(['enc.0', 'enc.1', 'enc.2', 'enc.3', 'bott', 'up.3', 'dec.3', 'up.2', 'dec.2', 'up.1', 'dec.1', 'up.0', 'dec.0', 'head']);
    const rng = createRng(3), shape = [2, 1, 128, 128];
    const x = Float32Array.from({ length: 2 * 128 * 128 }, () => rng.next());
    const t = new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
    const [logits] = runGraph(g, (n) => t.get(n)!, tf.tensor(x, shape), ['logits'], { training: false });
    const got = tf.transpose(logits, [0, 3, 1, 2]).dataSync();
    const sess = await ort.InferenceSession.create(bytes);
    const ref = (await sess.run({ image: new ort.Tensor('float32', x, shape) })).logits.data as Float32Array;
    const scale = Math.max(...ref.map(Math.abs));
    console.log(`demo U-Net forward: max |tfjs − ORT| = ${maxAbs(got, ref).toExponential(2)} (logits up to ${scale.toFixed(2)})`);
    expect(maxAbs(got, ref)).toBeLessThan(1e-4 * Math.max(1, scale));
  });
});
