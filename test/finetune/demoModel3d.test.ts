// The demo bank's 3-D U-Net (public/demo/models/ct3d_head_bone.onnx: NCDHW, base 8, BatchNorm preserved) through the
// tfjs graph (depth-stacked 4-D activations): eval forward vs onnxruntime-node on a seeded 2 × 32³ batch. Skipped,
// with the reason, when the bank file is absent.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { parseOnnx } from '../../src/core/finetune/onnxGraph.ts';
import { paramTensor, runGraph } from '../../src/adapters/tfjsGraph.ts';
import { toNcdhw } from '../../src/adapters/tfjsOps.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { layerGroups } from '../../src/core/finetune/layerGroups.ts';
import { maxAbs, WASM_DIR } from './fixture.ts';

const path = join(process.cwd(), 'public', 'demo', 'models', 'ct3d_head_bone.onnx');
const present = existsSync(path);
if (!present) console.log(`demoModel3d.test: skipped, ${path} is not there (the bank is built by tools/bank)`);

describe.skipIf(!present)('demo bank 3-D U-Net on tfjs wasm', () => {
  it('forward (eval) on 2 × 32³ equals onnxruntime-node; 14 layer groups', async () => {
    await initTfjsBackend('wasm', WASM_DIR);
    const bytes = new Uint8Array(readFileSync(path));
    const g = parseOnnx(bytes);
    expect(layerGroups(g.weights).names).toEqual(['enc.0', 'enc.1', 'enc.2', 'enc.3', 'bott', 'up.3', 'dec.3', 'up.2', 'dec.2', 'up.1', 'dec.1', 'up.0', 'dec.0', 'head']);
    expect(g.params.get(g.weights[0])!.dims).toHaveLength(5);
    const rng = createRng(5), s = 32, shape = [2, 1, s, s, s];
    // a bright blob on a dim background, so the model's classes are not all background
    const x = Float32Array.from({ length: 2 * s ** 3 }, (_, i) => {
      const z = Math.floor(i / s / s) % s, y = Math.floor(i / s) % s, xx = i % s;
      return ((z - 16) ** 2 + (y - 14) ** 2 + (xx - 18) ** 2 < 100 ? 0.5 : 0.05) + 0.05 * rng.next();
    });
    const t = new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
    const t0 = performance.now();
    const [logits] = runGraph(g, (n) => t.get(n)!, tf.tensor(x, shape), ['logits'], { training: false });
    const got = toNcdhw(logits, s).dataSync();
    const secs = (performance.now() - t0) / 1000;
    const sess = await ort.InferenceSession.create(bytes);
    const ref = (await sess.run({ image: new ort.Tensor('float32', x, shape) })).logits.data as Float32Array;
    expect(got.length).toBe(ref.length);
    const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    console.log(`demo 3-D U-Net forward (2 × 32³, wasm, ${secs.toFixed(2)} s): max |tfjs − ORT| = ${maxAbs(got, ref).toExponential(2)} (logits up to ${scale.toFixed(2)})`);
    expect(scale).toBeGreaterThan(0.1);
    expect(maxAbs(got, ref)).toBeLessThan(1e-4 * Math.max(1, scale));
  });
});
