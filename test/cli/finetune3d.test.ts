// `bin/transferlens finetune` on a 3-D model as a user runs it: the tiny 3-D U-Net fixture (3 source classes) on a
// synthetic 2-class NIfTI volume cut into 16³ blocks; the split follows the block rules worked out here by hand, the
// exported ONNX runs in onnxruntime-node with 2 classes and its argmax on the held-out blocks gives the reported Dice.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import * as ort from 'onnxruntime-node';
import { syntheticTarget } from '../support/syntheticTarget.ts';
import { twoClassDice } from '../support/twoClassDice.ts';
import { readVolumeNode } from '../../src/adapters/nodePorts.ts';
import { normalizeVolume } from '../../src/core/volume/normalize.ts';
import { blockData } from '../../src/core/finetune/blockData.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'transferlens');
const run = (args: string[]) => spawnSync(BIN, ['finetune', ...args], { encoding: 'utf8', timeout: 180_000 });
const manifest = { id: 'tiny3d', name: 'tiny 3-D U-Net', dim: 3, in_channels: 1, num_classes: 3, class_names: ['a', 'b', 'c'], normalization: 'percentile_0.5_99.5_to_0_1',
  input_multiple: 16, input_name: 'image', logits_name: 'logits', features: [{ name: 'dec0', stride: 1, channels: 2 }] };

describe('transferlens finetune on a 3-D model (blocks)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-ft3d-'));
  const t = syntheticTarget({ nx: 32, ny: 32, nz: 48 }); // a disc on every slice: every block has foreground
  writeFileSync(join(dir, 'img.nii.gz'), t.image);
  writeFileSync(join(dir, 'lab.nii.gz'), t.label);
  copyFileSync(join(ROOT, 'test', 'fixtures', 'finetune', 'tiny3d_unet.onnx'), join(dir, 'tiny3d.onnx'));
  writeFileSync(join(dir, 'tiny3d.json'), JSON.stringify(manifest));
  const base = ['--model', join(dir, 'tiny3d.onnx'), '--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz'), '--batch', '1', '--quiet'];

  it('splits the 3×2×2 block grid by the block rules, trains, and exports an ONNX whose held-out Dice is the reported one', async () => {
    const out = join(dir, 'ft.onnx');
    const r = run([...base, '--block', '16', '--iterations', '10', '--lr', '0.03', '--export-onnx', out, '--out', join(dir, 'r.json')]);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    // 48 slices × 32 rows × 32 columns in 16³ blocks: grid 3×2×2, index = 4·depth + 2·row + column. All 12 have
    // foreground, so the default takes ⌊12/8⌋ = 1 block, fg[⌊½·12⌋] = 6 = (1, 1, 0); its face neighbours (0, 1, 0) = 2,
    // (2, 1, 0) = 10, (1, 0, 0) = 4, (1, 1, 1) = 7 are not held out.
    expect(res.provenance).toMatchObject({ caseUnit: 'block', block: [16, 16, 16], grid: [3, 2, 2], trainCases: [6], testCases: [0, 1, 3, 5, 8, 9, 11], numClasses: 2 });
    expect(res.curves.loss).toHaveLength(10);

    const img = await readVolumeNode([{ name: 'img.nii.gz', bytes: new Uint8Array(readFileSync(join(dir, 'img.nii.gz'))) }]);
    const lab = await readVolumeNode([{ name: 'lab.nii.gz', bytes: new Uint8Array(readFileSync(join(dir, 'lab.nii.gz'))) }]);
    const b = blockData(normalizeVolume(img, 'percentile_0.5_99.5_to_0_1').data, lab, 2, [16, 16, 16], img.size);
    const test: number[] = res.provenance.testCases, vox = 16 ** 3;
    const x = new Float32Array(test.length * vox);
    test.forEach((c, i) => x.set(b.images.subarray(c * vox, (c + 1) * vox), i * vox));
    const s = await ort.InferenceSession.create(new Uint8Array(readFileSync(out)));
    const logits = (await s.run({ image: new ort.Tensor('float32', x, [test.length, 1, 16, 16, 16]) })).logits;
    await s.release();
    expect(logits.dims).toEqual([test.length, 2, 16, 16, 16]);
    const dice = twoClassDice(logits.data as Float32Array, b.labels, test, vox);
    console.log(`CLI 3-D export: held-out Dice by ORT on the exported model ${dice.toFixed(6)} vs reported (tfjs wasm) ${res.dice.test.toFixed(6)}; risk ${JSON.stringify([res.risk?.meanBefore, res.risk?.meanAfter])}`);
    expect(res.dice.test).toBeGreaterThan(0.1); // trained enough that the comparison means something
    expect(Math.abs(dice - res.dice.test)).toBeLessThan(1e-3);
    for (const k of ['meanBefore', 'meanAfter']) expect(res.risk[k] >= 1 && res.risk[k] <= 10, k).toBe(true);
  }, 240_000);

  it('refuses what does not fit a 3-D model, naming it', () => {
    const slice = run([...base, '--case-unit', 'slice']);
    expect(slice.status).toBe(1);
    expect(slice.stderr).toMatch(/tiny3d: a 3-D model takes blocks as cases \(--case-unit block\), not slices/);
    const odd = run([...base, '--block', '8']);
    expect(odd.stderr).toMatch(/blocks of 8×8×8 are not multiples of the model's input_multiple 16/);
    const clash = run([...base, '--export-onnx', join(dir, 'x.onnx'), '--out', join(dir, 'x.json')]);
    expect(clash.stderr).toMatch(/--out .*x\.json is where --export-onnx writes the model's manifest/);
    const big = run([...base, '--block', '64']);
    expect(big.stderr).toMatch(/a block of 64×64×64 does not fit in 48×32×32/);
  });
});
