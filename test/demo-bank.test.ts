// The shipped demo bank (public/demo, built by tools/bank, issue 3), checked without Python or torch:
// every ONNX model loads in onnxruntime-node, matches its manifest's sha256, names and shapes, and reproduces the
// committed PyTorch reference outputs on its fixed input; the targets are well-formed NIfTI volumes; the
// fine-tuning ground truth covers every target x every source + scratch with >= 3 seeds and consistent mean/sd.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const DEMO = join(import.meta.dirname, '..', 'public', 'demo');
const MODELS = join(DEMO, 'models');
const readJson = <T = Record<string, unknown>>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

interface Feature { name: string; stride: number; channels: number }
interface Manifest {
  id: string; name: string; task: string; modality: string; dim: 2 | 3; in_channels: number; num_classes: number;
  class_names: string[]; input_spacing: number[]; normalization: string; orientation: string; input_multiple: number;
  input_name: string; logits_name: string; output_names: string[]; features: Feature[]; file: string; sha256: string;
  bytes: number; validation_dice: number; training: { iterations: number; seconds: number }; provenance: Record<string, unknown>;
}
interface OutRef { shape: number[]; mean: number; std: number; min: number; max: number; stride: number; samples: number[] }
interface Reference { id: string; input: { shape: number[]; data: string }; outputs: Record<string, OutRef>; tolerance: { abs: number; rel: number } }
interface Target {
  id: string; name: string; class_names: string[]; num_classes: number; modality: string; normalization: string;
  slice_axis: number; image_shape_ijk: number[]; spacing_ijk_mm: number[]; train_slices: number[]; eval_slices: number[];
  task_slices: number[]; image_file: string; label_file: string; image_dtype: string;
}

const index = readJson<{ models: string[]; sources_2d: string[]; model_3d: string }>(join(MODELS, 'index.json'));
const TARGET_IDS = ['subj2_t1_cor_brain', 'subj2_t1_cor_wm', 'macaque_t1_ax_wm', 'ct_ax_intracranial'];

const close = (a: number, b: number, tol: { abs: number; rel: number }) => Math.abs(a - b) <= tol.abs + tol.rel * Math.abs(b);

function meanStd(d: Float32Array) {
  let s = 0, s2 = 0;
  for (let i = 0; i < d.length; i++) { s += d[i]; s2 += d[i] * d[i]; }
  const m = s / d.length;
  return { mean: m, std: Math.sqrt(Math.max(s2 / d.length - m * m, 0)) };
}

describe('demo model bank', () => {
  it('ships 11 2-D sources and one 3-D model', () => {
    expect(index.sources_2d).toHaveLength(11);
    expect(index.model_3d).toBeTruthy();
    expect(index.models).toEqual([...index.sources_2d, index.model_3d]);
  });

  for (const id of index.models) {
    it(`${id}: manifest, sha256, names/shapes and reference outputs`, async () => {
      const man = readJson<Manifest>(join(MODELS, `${id}.json`));
      expect(man.id).toBe(id);
      expect(man.file).toBe(`${id}.onnx`);
      for (const k of ['name', 'task', 'modality', 'orientation'] as const) expect(typeof man[k]).toBe('string');
      expect(man.in_channels).toBe(1);
      expect(man.class_names).toHaveLength(man.num_classes);
      expect(['percentile_0.5_99.5_to_0_1', 'ct_hu_-1024_1500']).toContain(man.normalization);
      expect(man.input_multiple).toBe(16);
      expect(man.input_name).toBe('image');
      expect(man.logits_name).toBe('logits');
      expect(man.input_spacing).toHaveLength(man.dim);
      expect(man.features.map((f) => [f.name, f.stride, f.channels])).toEqual([['dec0', 1, 8], ['dec1', 2, 16], ['dec2', 4, 32], ['dec3', 8, 64]]);
      expect(man.validation_dice).toBeGreaterThan(0);
      expect(man.training.iterations).toBeGreaterThan(0);
      expect(typeof man.provenance).toBe('object');

      const file = join(MODELS, man.file);
      const bytes = readFileSync(file);
      expect(bytes.length).toBe(man.bytes);
      expect(bytes.length).toBeLessThan(10 * 1024 * 1024);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(man.sha256);

      const session = await ort.InferenceSession.create(file);
      try {
        expect(session.inputNames).toEqual(['image']);
        expect(session.outputNames).toEqual(['logits', 'dec0', 'dec1', 'dec2', 'dec3']);
        expect(man.output_names).toEqual(session.outputNames);

        // fixed input -> committed PyTorch reference
        const ref = readJson<Reference>(join(DEMO, 'reference', `${id}.json`));
        expect(ref.id).toBe(id);
        const u8 = Buffer.from(ref.input.data, 'base64');
        const x = new Float32Array(u8.length);
        for (let i = 0; i < u8.length; i++) x[i] = u8[i] / 255;
        expect(x.length).toBe(ref.input.shape.reduce((a, b) => a * b, 1));
        const out = await session.run({ image: new ort.Tensor('float32', x, ref.input.shape) });
        const spatial = ref.input.shape.slice(2);
        for (const name of session.outputNames) {
          const r = ref.outputs[name];
          const t = out[name];
          const stride = name === 'logits' ? 1 : man.features.find((f) => f.name === name)!.stride;
          const ch = name === 'logits' ? man.num_classes : man.features.find((f) => f.name === name)!.channels;
          expect(t.dims, name).toEqual([1, ch, ...spatial.map((s) => s / stride)]);
          expect(t.dims, name).toEqual(r.shape);
          const d = t.data as Float32Array;
          const bad: string[] = [];
          for (let i = 0, n = 0; n < r.samples.length; i += r.stride, n++) {
            if (!close(d[i], r.samples[n], ref.tolerance)) bad.push(`${name}[${i}] ${d[i]} vs ${r.samples[n]}`);
          }
          expect(bad.slice(0, 5), `${id} ${name}`).toEqual([]);
          const st = meantStdChecked(d);
          expect(close(st.mean, r.mean, ref.tolerance), `${name} mean ${st.mean} vs ${r.mean}`).toBe(true);
          expect(close(st.std, r.std, ref.tolerance), `${name} std ${st.std} vs ${r.std}`).toBe(true);
        }

        // dynamic shapes: any size that is a multiple of 16, batch 2
        const dyn = man.dim === 2 ? [96, 160] : [16, 32, 48];
        const n = 2 * dyn.reduce((a, b) => a * b, 1);
        const y = new Float32Array(n).map((_, i) => (i % 97) / 97);
        const out2 = await session.run({ image: new ort.Tensor('float32', y, [2, 1, ...dyn]) });
        expect(out2.logits.dims).toEqual([2, man.num_classes, ...dyn]);
        for (const f of man.features) expect(out2[f.name].dims).toEqual([2, f.channels, ...dyn.map((s) => s / f.stride)]);
      } finally {
        await session.release();
      }
    });
  }
});

function meantStdChecked(d: Float32Array) {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) throw new Error(`non-finite output at ${i}`);
  return meanStd(d);
}

describe('demo targets', () => {
  for (const id of TARGET_IDS) {
    it(`${id}: NIfTI image + label and target.json agree`, () => {
      const dir = join(DEMO, 'targets', id);
      const t = readJson<Target>(join(dir, 'target.json'));
      expect(t.id).toBe(id);
      expect(t.class_names).toHaveLength(t.num_classes);
      expect(t.slice_axis).toBe(2);
      expect(['percentile_0.5_99.5_to_0_1', 'ct_hu_-1024_1500']).toContain(t.normalization);
      const nk = t.image_shape_ijk[2];
      const all = new Set(t.task_slices);
      for (const s of [...t.train_slices, ...t.eval_slices]) expect(all.has(s) && s >= 0 && s < nk).toBe(true);
      expect(t.train_slices.length).toBeGreaterThanOrEqual(5);
      // evaluation slices are neither labelled training slices nor adjacent to one
      for (const e of t.eval_slices) for (const s of t.train_slices) expect(Math.abs(e - s)).toBeGreaterThanOrEqual(2);
      for (const [f, dtype] of [[t.image_file, t.image_dtype], [t.label_file, 'uint8']] as const) {
        const p = join(dir, f);
        expect(statSync(p).size).toBeLessThan(5 * 1024 * 1024);
        const raw = gunzipSync(readFileSync(p));
        expect(raw.readInt32LE(0)).toBe(348);
        const dims = [1, 2, 3].map((i) => raw.readInt16LE(40 + 2 * i));
        expect(raw.readInt16LE(40)).toBe(3);
        expect(dims).toEqual(t.image_shape_ijk);
        const pix = [1, 2, 3].map((i) => raw.readFloatLE(76 + 4 * i));
        pix.forEach((v, i) => expect(v).toBeCloseTo(t.spacing_ijk_mm[i], 4));
        const code = raw.readInt16LE(70);
        expect(code).toBe({ uint8: 2, int16: 4 }[dtype]);
        const vox = raw.readFloatLE(108);
        expect(raw.length).toBeGreaterThanOrEqual(vox + dims[0] * dims[1] * dims[2] * (dtype === 'int16' ? 2 : 1));
        if (f === t.label_file) {
          const lab = raw.subarray(vox);
          let max = 0;
          for (let i = 0; i < lab.length; i++) max = Math.max(max, lab[i]);
          expect(max).toBe(t.num_classes - 1);
        }
      }
    });
  }
});

describe('fine-tuning ground truth', () => {
  it('covers every target x every source + scratch with >= 3 seeds and consistent mean/sd', () => {
    const gt = readJson<{ targets: Record<string, Record<string, { dice: number[]; mean: number; sd: number }>> }>(join(DEMO, 'finetune-dice.json'));
    expect(Object.keys(gt.targets).sort()).toEqual([...TARGET_IDS].sort());
    for (const t of TARGET_IDS) {
      expect(Object.keys(gt.targets[t]).sort()).toEqual([...index.sources_2d, 'scratch'].sort());
      for (const [m, r] of Object.entries(gt.targets[t])) {
        expect(r.dice.length, `${t}/${m}`).toBeGreaterThanOrEqual(3);
        for (const d of r.dice) expect(d >= 0 && d <= 1).toBe(true);
        const mean = r.dice.reduce((a, b) => a + b, 0) / r.dice.length;
        const sd = Math.sqrt(r.dice.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.dice.length - 1));
        expect(r.mean).toBeCloseTo(mean, 5);
        expect(r.sd).toBeCloseTo(sd, 5);
      }
    }
    const proto = readJson<Record<string, unknown>>(join(DEMO, 'finetune-protocol.json'));
    for (const k of ['iterations', 'lr', 'batch', 'seeds', 'head_replacement_rule', 'targets']) expect(proto).toHaveProperty(k);
    expect(existsSync(join(DEMO, 'NOTICE'))).toBe(true);
  });
});

// The Python build tools (tools/bank) only where Debian's torch is installed; CI without it skips with a reason.
const PY = '/usr/bin/python3';
const hasTorch = spawnSync(PY, ['-c', 'import torch, onnx, nibabel, scipy, sklearn'], { encoding: 'utf8' }).status === 0;
if (!hasTorch) console.log(`demo-bank: skipping the tools/bank Python smoke test: ${PY} cannot import torch/onnx/nibabel/scipy/sklearn (apt-get install python3-torch python3-onnx python3-nibabel python3-scipy python3-sklearn)`);
describe('tools/bank (Python)', () => {
  it.skipIf(!hasTorch)('smoke.py: U-Net shapes, split rules, normalization, ONNX export with BatchNorm', () => {
    const r = spawnSync(PY, [join(import.meta.dirname, '..', 'tools', 'bank', 'smoke.py')], { encoding: 'utf8', timeout: 170_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('smoke ok');
  }, 180_000);
});
