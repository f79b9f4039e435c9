// `bin/transferlens finetune --export-onnx` as a user runs it: the tiny U-Net fixture (3 source classes) fine-tuned
// on a 2-class synthetic NIfTI target; the written ONNX loads in onnxruntime-node with 2 logit channels, its argmax
// on the held-out slices reproduces the Dice the command reported (tfjs wasm there, ORT here), its sidecar manifest
// passes the manifest check and lets the CLI load the fine-tuned model again; bad uses are refused.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { syntheticTarget } from '../support/syntheticTarget.ts';
import { twoClassDice } from '../support/twoClassDice.ts';
import { parseFinetuneArgs } from '../../src/cli/finetuneInputs.ts';
import { checkManifest } from '../../src/core/model/manifest.ts';
import { readVolumeNode } from '../../src/adapters/nodePorts.ts';
import { normalizeVolume } from '../../src/core/volume/normalize.ts';
import { sliceData } from '../../src/core/finetune/sliceData.ts';
import type { ModelManifest } from '../../src/core/types.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'transferlens');
const ONNX = join(ROOT, 'test', 'fixtures', 'finetune', 'tiny_unet.onnx');
const run = (args: string[]) => spawnSync(BIN, ['finetune', ...args], { encoding: 'utf8', timeout: 180_000 });

const source = { id: 'unet_a', name: 'tiny U-Net', dim: 2, in_channels: 1, num_classes: 3, class_names: ['a', 'b', 'c'], normalization: 'percentile_0.5_99.5_to_0_1',
  input_multiple: 16, input_name: 'image', logits_name: 'logits', features: [{ name: 'dec0', stride: 1, channels: 2 }], validation_dice: 0.9, sha256: 'stale' };

describe('transferlens finetune --export-onnx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-ftx-'));
  const t = syntheticTarget({ nx: 32, ny: 32, nz: 9 });
  writeFileSync(join(dir, 'img.nii.gz'), t.image);
  writeFileSync(join(dir, 'lab.nii.gz'), t.label);
  copyFileSync(ONNX, join(dir, 'unet_a.onnx'));
  writeFileSync(join(dir, 'unet_a.json'), JSON.stringify(source));
  const base = ['--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz'), '--batch', '2', '--quiet', '--train-cases', '1,5'];

  it('writes an ONNX that ORT runs with the target\'s 2 classes and whose held-out Dice is the reported one, plus its manifest', async () => {
    const out = join(dir, 'ft.onnx');
    const r = run(['--model', join(dir, 'unet_a.onnx'), ...base, '--iterations', '12', '--seed', '4', '--lr', '0.03', '--export-onnx', out, '--out', join(dir, 'r.json')]);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(res.provenance.exported).toMatchObject({ onnx: out, manifest: join(dir, 'ft.json'), numClasses: 2 });
    const bytes = new Uint8Array(readFileSync(out));

    // The held-out slices as the command cut them, through ORT on the exported file.
    const img = await readVolumeNode([{ name: 'img.nii.gz', bytes: new Uint8Array(readFileSync(join(dir, 'img.nii.gz'))) }]);
    const lab = await readVolumeNode([{ name: 'lab.nii.gz', bytes: new Uint8Array(readFileSync(join(dir, 'lab.nii.gz'))) }]);
    const d = sliceData(normalizeVolume(img, 'percentile_0.5_99.5_to_0_1').data, lab, 2, img.size);
    const test: number[] = res.provenance.testCases, px = d.h * d.w;
    expect(test.length).toBeGreaterThan(0);
    const x = new Float32Array(test.length * px);
    test.forEach((c, i) => x.set(d.images.subarray(c * px, (c + 1) * px), i * px));
    const s = await ort.InferenceSession.create(bytes);
    const logits = (await s.run({ image: new ort.Tensor('float32', x, [test.length, 1, d.h, d.w]) })).logits;
    await s.release();
    expect(logits.dims).toEqual([test.length, 2, d.h, d.w]);
    const dice = twoClassDice(logits.data as Float32Array, d.labels, test, px);
    console.log(`CLI export: held-out Dice by ORT on the exported model ${dice.toFixed(6)} vs reported (tfjs wasm) ${res.dice.test.toFixed(6)}`);
    expect(res.dice.test).toBeGreaterThan(0.1); // trained enough that the comparison means something
    expect(Math.abs(dice - res.dice.test)).toBeLessThan(1e-3);

    const meta = onnxProto.onnx.ModelProto.decode(bytes).metadataProps.find((e) => e.key === 'transferlens.finetune');
    expect(JSON.parse(meta!.value!)).toMatchObject({ scheme: 'constant', seed: 4, iterations: 12, heldOutDice: res.dice.test, source: { id: 'unet_a' } });

    const m: unknown = JSON.parse(readFileSync(join(dir, 'ft.json'), 'utf8'));
    checkManifest(m, 'ft.json');
    const mm = m as ModelManifest;
    expect(mm).toMatchObject({ id: 'ft', file: 'ft.onnx', num_classes: 2, class_names: ['background', 'class 1'], logits_name: 'logits', input_name: 'image',
      features: source.features, normalization: source.normalization, bytes: bytes.length, finetuned_from: { id: 'unet_a', num_classes: 3 } });
    expect(mm.validation_dice).toBeUndefined();
    expect(mm.sha256).toMatch(/^[0-9a-f]{64}$/);

    // The sidecar makes the export a model the CLI takes: fine-tune it again (no head replacement now).
    const again = run(['--model', out, ...base, '--iterations', '1']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).provenance.model.id).toBe('ft');
  }, 240_000);

  it('refuses a path that is not .onnx, and --all-models', () => {
    const m = ['--model', join(dir, 'unet_a.onnx'), ...base];
    expect(() => parseFinetuneArgs([...m, '--export-onnx', join(dir, 'ft.bin')])).toThrow(/--export-onnx .*ft\.bin: must name an \.onnx file/);
    expect(() => parseFinetuneArgs(['--all-models', '--models', dir, ...base, '--export-onnx', join(dir, 'x.onnx')])).toThrow(/--export-onnx writes one fine-tuned model: not with --all-models/);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
  });
});
