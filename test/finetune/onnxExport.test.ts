// ONNX export of a fine-tuned model (issue 8): the fixtures are fine-tuned a few steps on the cpu backend, exported,
// and run through onnxruntime-node; ORT's logits on the exported bytes must equal the engine's eval-mode forward
// with the trained weights (and differ from the original model's, so a missing write-back fails). Covers BatchNorm
// running statistics, a replaced head (new class count, stale shapes), untied copies of a shared initialiser (kept
// as one while equal, split and rewired once they diverge), GroupNorm's anonymous affine, and refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';
import { createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { paramTensor, runGraph } from '../../src/adapters/tfjsGraph.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { parseOnnx } from '../../src/core/finetune/onnxGraph.ts';
import { exportFinetunedOnnx, FINETUNE_METADATA_KEY, type TrainedTensor } from '../../src/core/finetune/onnxExport.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { FIXTURE_DIR, maxAbs, tinyOnnx, tinySlices } from './fixture.ts';

const { onnx } = onnxProto;
const read = (f: string) => new Uint8Array(readFileSync(join(FIXTURE_DIR, f)));
type State = Map<string, TrainedTensor>;
const graphOf = (b: Uint8Array) => onnx.ModelProto.decode(b).graph as onnxProto.onnx.GraphProto;

/** The engine's eval-mode forward (the graph runner the trainer evaluates with) on `state`, logits as NCHW. */
function engineLogits(original: Uint8Array, state: State, x: Float32Array, shape: number[]): Float32Array {
  const g = parseOnnx(original);
  for (const [n, v] of state) Object.assign(g.params.get(n)!, { data: v.data, dims: v.dims ?? g.params.get(n)!.dims });
  return tf.tidy(() => {
    const t = new Map([...g.params.values()].map((p) => [p.name, paramTensor(p)]));
    const [out] = runGraph(g, (k) => t.get(k)!, tf.tensor(x, shape), ['logits'], { training: false });
    return tf.transpose(out, [0, 3, 1, 2]).dataSync() as Float32Array;
  });
}

async function ortRun(bytes: Uint8Array, x: Float32Array, shape: number[]): Promise<Record<string, ort.Tensor>> {
  const s = await ort.InferenceSession.create(bytes);
  const r = await s.run({ image: new ort.Tensor('float32', x, shape) });
  await s.release();
  return r;
}

const rand = (n: number, seed: number) => { const r = createRng(seed); return Float32Array.from({ length: n }, () => r.next()); };

/** Blob labels 0..classes−1 on n h×w cases (every class present). */
function blobs(n: number, h: number, w: number, classes: number, seed: number): Int32Array {
  const r = createRng(seed), out = new Int32Array(n * h * w);
  for (let c = 0; c < n; c++) {
    const cy = h / 4 + r.next() * h / 2, cx = w / 4 + r.next() * w / 2;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const d = (y - cy) ** 2 + (x - cx) ** 2;
      out[c * h * w + y * w + x] = d < (h * w) / 25 ? classes - 1 : d < (h * w) / 8 && classes > 2 ? 1 : 0;
    }
  }
  return out;
}

function train(bytes: Uint8Array, data: FinetuneData, steps: number, o: Partial<TrainerOptions>) {
  const t = createTrainerSync(bytes, { logits_name: 'logits' }, data, { train: [0, 1, 2, 3], batch: 2, seed: 0, lr: 1e-2, ...o });
  for (let i = 0; i < steps; i++) t.stepSync();
  const state = t.exportStateSync(), numClasses = t.numClasses;
  t.dispose();
  return { state, numClasses };
}

let tiny: FinetuneData;
beforeAll(async () => {
  await initTfjsBackend('cpu');
  tiny = tinySlices();
});

describe('ONNX export of a fine-tuned model (cpu backend, onnxruntime-node)', () => {
  it('tiny U-Net (BatchNorm): ORT on the export = engine eval forward; weights and running statistics written in place', async () => {
    const original = tinyOnnx();
    const { state } = train(original, tiny, 3, { method: 'plain' });
    const res = exportFinetunedOnnx(original, state, { logitsName: 'logits', provenance: { scheme: 'constant', seed: 0, iterations: 3 } });
    const x = tiny.images.subarray(0, 2 * 32 * 32), shape = [2, 1, 32, 32];
    const want = engineLogits(original, state, x, shape);
    const got = (await ortRun(res.bytes, x, shape)).logits.data as Float32Array;
    const before = (await ortRun(original, x, shape)).logits.data as Float32Array;
    console.log(`tiny U-Net export: max |ORT(export) − engine| = ${maxAbs(got, want).toExponential(2)}; original vs trained ${maxAbs(before, want).toExponential(2)}`);
    expect(maxAbs(got, want)).toBeLessThan(1e-5);
    expect(maxAbs(before, want)).toBeGreaterThan(1e-2);
    // Running statistics moved in training (train-mode BN) and the exported file carries them.
    expect(maxAbs(state.get('enc.0.net.1.running_mean')!.data, parseOnnx(original).params.get('enc.0.net.1.running_mean')!.data)).toBeGreaterThan(1e-4);
    const g0 = graphOf(original), m1 = onnx.ModelProto.decode(res.bytes), g1 = m1.graph as onnxProto.onnx.GraphProto;
    const exported = parseOnnx(res.bytes);
    for (const [n, v] of state) expect(Array.from(exported.params.get(n)!.data), n).toEqual(Array.from(v.data));
    // Same nodes, same initialisers in the same order; every one of them raw float32 now.
    expect(onnx.GraphProto.toObject(g1).node).toEqual(onnx.GraphProto.toObject(g0).node);
    expect(g1.initializer.map((t) => t.name)).toEqual(g0.initializer.map((t) => t.name));
    expect(res.written).toHaveLength(state.size);
    expect(res.added).toEqual({});
    const meta = JSON.parse(m1.metadataProps.find((e) => e.key === FINETUNE_METADATA_KEY)!.value!);
    expect(meta).toMatchObject({ scheme: 'constant', seed: 0, iterations: 3 });
  });

  it('replaced head (3 → 2 classes): the export has 2 logit channels, its graph output says so, and ORT = engine', async () => {
    const original = tinyOnnx();
    const data = { ...tiny, labels: Int32Array.from(tiny.labels, (v) => Math.min(v, 1)) };
    const { state, numClasses } = train(original, data, 2, { method: 'plain' });
    expect(numClasses).toBe(2);
    expect(state.get('head.weight')!.dims).toEqual([2, 2, 1, 1]);
    const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
    expect(res.numClasses).toBe(2);
    const x = rand(2 * 32 * 32, 5), shape = [2, 1, 32, 32];
    const got = (await ortRun(res.bytes, x, shape)).logits;
    expect(got.dims).toEqual([2, 2, 32, 32]);
    const d = maxAbs(got.data as Float32Array, engineLogits(original, state, x, shape));
    console.log(`tiny U-Net, head replaced: max |ORT(export) − engine| = ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
    const out = graphOf(res.bytes).output.find((o) => o.name === 'logits')!;
    expect(Number(out.type!.tensorType!.shape!.dim![1].dimValue)).toBe(2);
    // Without the logits name the exporter cannot know the head may change: it refuses, naming the tensor.
    expect(() => exportFinetunedOnnx(original, state)).toThrow(/"head\.weight" dims \[2, 2, 1, 1\] differ from the model's \[3, 2, 1, 1\]/);
  });

  describe('a conv module applied three times (tied_net.onnx)', () => {
    const original = read('tied_net.onnx');
    const data: FinetuneData = { images: rand(4 * 16 * 16, 11), labels: blobs(4, 16, 16, 3, 12), n: 4, h: 16, w: 16 };
    const x = rand(2 * 16 * 16, 13), shape = [2, 1, 16, 16];

    it('the engine unties the shared initialisers into copies', () => {
      const g = parseOnnx(original);
      expect(g.weights).toEqual(expect.arrayContaining(['block.weight', 'block.weight#2', 'block_alias.weight', 'block.bias#2', 'block_alias.bias']));
      expect(new Set(['block.weight', 'block.weight#2', 'block_alias.weight'].map((n) => g.params.get(n)!.source))).toEqual(new Set(['block.weight']));
    });

    it('copies that diverged become their own initialisers, their Conv inputs rewired; ORT = engine', async () => {
      const { state } = train(original, data, 3, { method: 'plain' });
      expect(maxAbs(state.get('block.weight')!.data, state.get('block.weight#2')!.data)).toBeGreaterThan(1e-4);
      const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
      expect(res.added).toEqual({ 'block.weight#2': 'block.weight#2', 'block.bias#2': 'block.bias#2', 'block_alias.weight': 'block_alias.weight_2', 'block_alias.bias': 'block_alias.bias_2' });
      const want = engineLogits(original, state, x, shape);
      const r = await ortRun(res.bytes, x, shape);
      const d = maxAbs(r.logits.data as Float32Array, want);
      console.log(`tied net, untied copies: max |ORT(export) − engine| = ${d.toExponential(2)}; original vs trained ${maxAbs((await ortRun(original, x, shape)).logits.data as Float32Array, want).toExponential(2)}`);
      expect(d).toBeLessThan(1e-5);
      const convs = graphOf(res.bytes).node.filter((n) => n.opType === 'Conv').map((n) => (n.input ?? []).slice(1));
      expect(convs).toEqual([['stem.weight', 'stem.bias'], ['block.weight', 'block.bias'], ['block.weight#2', 'block.bias#2'], ['block_alias.weight_2', 'block_alias.bias_2'], ['head.weight', 'head.bias']]);
      // The re-imported export trains the same parameters under the same names (no Identity chain left in use).
      expect(parseOnnx(res.bytes).weights.sort()).toEqual(parseOnnx(original).weights.sort().map((n) => (n.startsWith('block_alias.') ? `${n}_2` : n)).sort());
    });

    it('copies still equal (last layer only) stay one initialiser; only the head is written', async () => {
      const { state } = train(original, data, 2, { scheme: 'last-layer' });
      const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
      expect(res.added).toEqual({});
      expect(res.written.sort()).toEqual(['head.bias', 'head.weight']);
      expect(graphOf(res.bytes).initializer).toHaveLength(graphOf(original).initializer.length);
      const d = maxAbs((await ortRun(res.bytes, x, shape)).logits.data as Float32Array, engineLogits(original, state, x, shape));
      expect(d).toBeLessThan(1e-5);
    });

    it('head replaced (3 → 2): both outputs get 2 channels, the stale value_info downstream of the head is dropped', async () => {
      const two = { ...data, labels: Int32Array.from(data.labels, (v) => Math.min(v, 1)) };
      const { state } = train(original, two, 2, { method: 'plain' });
      const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
      const g = graphOf(res.bytes);
      expect(g.output.map((o) => Number(o.type!.tensorType!.shape!.dim![1].dimValue))).toEqual([2, 2]);
      expect(g.valueInfo.some((v) => (v.name ?? '').startsWith('/Sigmoid'))).toBe(false);
      expect(g.valueInfo.some((v) => v.name === '/Relu_3_output_0')).toBe(true);
      const r = await ortRun(res.bytes, x, shape);
      expect(r.probs.dims).toEqual([2, 2, 16, 16]);
      expect(maxAbs(r.logits.data as Float32Array, engineLogits(original, state, x, shape))).toBeLessThan(1e-5);
    });
  });

  it('ops net: GroupNorm\'s anonymous affine (onnx::Mul_k / onnx::Add_k) is written back; ORT = engine', async () => {
    const original = read('ops_net.onnx');
    const data: FinetuneData = { images: rand(4 * 16 * 16, 21), labels: blobs(4, 16, 16, 3, 22), n: 4, h: 16, w: 16 };
    const { state } = train(original, data, 3, { method: 'plain' });
    const affine = [...state.keys()].filter((n) => parseOnnx(original).params.get(n)!.source.startsWith('onnx::'));
    expect(affine).toHaveLength(2);
    const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
    expect(res.written).toEqual(expect.arrayContaining(['onnx::Mul_52', 'onnx::Add_53']));
    const x = rand(2 * 16 * 16, 23), shape = [2, 1, 16, 16];
    const want = engineLogits(original, state, x, shape);
    const d = maxAbs((await ortRun(res.bytes, x, shape)).logits.data as Float32Array, want);
    console.log(`ops net export: max |ORT(export) − engine| = ${d.toExponential(2)}`);
    expect(d).toBeLessThan(1e-5);
    // Only the affine pair changed → the export still differs from the original: the affine really was written.
    const onlyAffine = new Map([...state].filter(([n]) => affine.includes(n)));
    const d2 = maxAbs((await ortRun(exportFinetunedOnnx(original, onlyAffine).bytes, x, shape)).logits.data as Float32Array, (await ortRun(original, x, shape)).logits.data as Float32Array);
    expect(d2).toBeGreaterThan(1e-4);
  });

  it('refuses unknown names, wrong sizes and changed constants, naming the tensor', () => {
    const original = tinyOnnx();
    const w = parseOnnx(original).params.get('enc.0.net.0.weight')!;
    expect(() => exportFinetunedOnnx(original, new Map([['enc.9.weight', { data: new Float32Array(2) }]]))).toThrow(/"enc\.9\.weight" is not a parameter of this model/);
    expect(() => exportFinetunedOnnx(original, new Map([['enc.0.net.0.weight', { data: new Float32Array(17) }]]))).toThrow(/"enc\.0\.net\.0\.weight" has 17 values for dims \[2, 1, 3, 3\] \(18\)/);
    expect(() => exportFinetunedOnnx(original, new Map([['enc.0.net.0.weight', { data: new Float32Array(18), dims: [1, 2, 3, 3] }]]), { logitsName: 'logits' })).toThrow(/"enc\.0\.net\.0\.weight" dims \[1, 2, 3, 3\] differ/);
    expect(() => exportFinetunedOnnx(original, new Map([['head.weight', { data: new Float32Array(8), dims: [2, 4, 1, 1] }], ['head.bias', { data: new Float32Array(2), dims: [2] }]]), { logitsName: 'logits' })).toThrow(/head weight "head\.weight" dims \[2, 4, 1, 1\] differ from \[3, 2, 1, 1\] beyond the class axis/);
    expect(() => exportFinetunedOnnx(original, new Map([['head.weight', { data: new Float32Array(4), dims: [2, 2, 1, 1] }]]), { logitsName: 'logits' })).toThrow(/head bias "head\.bias" must have 2 values/);
    const ops = read('ops_net.onnx');
    const c = [...parseOnnx(ops).params.values()].find((p) => p.role === 'constant' && p.data instanceof Float32Array && p.data.length > 1)!;
    expect(() => exportFinetunedOnnx(ops, new Map([[c.name, { data: Float32Array.from(c.data, (v) => v + 1) }]]))).toThrow(new RegExp(`"${c.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is a constant of the graph`));
    // The same values as the model's → nothing written, bytes identical apart from the provenance entry.
    const same = exportFinetunedOnnx(original, new Map([[w.name, { data: Float32Array.from(w.data) }]]));
    expect(same.written).toEqual([]);
  });

  const demo = join(process.cwd(), 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
  it.skipIf(!existsSync(demo))('demo U-Net: unchanged weights round-trip to identical ORT output; one trained step gives ORT = engine', async () => {
    const original = new Uint8Array(readFileSync(demo));
    const g = parseOnnx(original);
    const unchanged = new Map([...g.params.values()].filter((p) => p.role !== 'constant').map((p) => [p.name, { data: Float32Array.from(p.data), dims: p.dims }]));
    expect(unchanged.size).toBe(118);
    const same = exportFinetunedOnnx(original, unchanged, { logitsName: 'logits', provenance: { scheme: 'none' } });
    expect(same.written).toEqual([]);
    const x = rand(2 * 64 * 64, 31), shape = [2, 1, 64, 64];
    const a = (await ortRun(original, x, shape)).logits.data as Float32Array, b = (await ortRun(same.bytes, x, shape)).logits.data as Float32Array;
    expect(Array.from(b)).toEqual(Array.from(a));
    const data: FinetuneData = { images: rand(4 * 32 * 32, 32), labels: blobs(4, 32, 32, 2, 33), n: 4, h: 32, w: 32 };
    const { state } = train(original, data, 1, { method: 'plain', lr: 1e-3 });
    const res = exportFinetunedOnnx(original, state, { logitsName: 'logits' });
    const want = engineLogits(original, state, x, shape);
    const got = (await ortRun(res.bytes, x, shape)).logits.data as Float32Array;
    const scale = Math.max(...want.map(Math.abs));
    console.log(`demo U-Net export after 1 step: max |ORT(export) − engine| = ${maxAbs(got, want).toExponential(2)} (logits up to ${scale.toFixed(1)}); original vs trained ${maxAbs(a, want).toExponential(2)}`);
    expect(maxAbs(got, want)).toBeLessThan(1e-5 * Math.max(1, scale));
    expect(maxAbs(a, want)).toBeGreaterThan(1e-3);
  });
});
