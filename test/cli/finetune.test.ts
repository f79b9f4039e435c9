// `bin/transferlens finetune` as a user runs it, on a real NIfTI volume and the tiny U-Net fixture (BatchNorm,
// 4 levels, 3 source classes → head replaced for the 2-class target): output shape, the held-out rule,
// reproducibility by seed, MetaLR curves, --all-models' Dice file, and errors that name the bad input.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { syntheticTarget } from '../support/syntheticTarget.ts';
import { readDice } from '../../src/cli/rankCommand.ts';
import { loadModels, loadTarget, parseFinetuneArgs } from '../../src/cli/finetuneInputs.ts';
import { parseCaseList } from '../../src/core/finetune/sliceData.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'transferlens');
const ONNX = join(ROOT, 'test', 'fixtures', 'finetune', 'tiny_unet.onnx');

function manifest(id: string) {
  return { id, name: id, dim: 2, in_channels: 1, num_classes: 3, class_names: ['a', 'b', 'c'], normalization: 'percentile_0.5_99.5_to_0_1',
    input_multiple: 16, input_name: 'image', logits_name: 'logits', features: [{ name: 'dec0', stride: 1, channels: 2 }] };
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-ft-'));
  const t = syntheticTarget({ nx: 32, ny: 32, nz: 9 });
  writeFileSync(join(dir, 'img.nii.gz'), t.image);
  writeFileSync(join(dir, 'lab.nii.gz'), t.label);
  mkdirSync(join(dir, 'bank'));
  for (const id of ['unet_a', 'unet_b']) {
    copyFileSync(ONNX, join(dir, 'bank', `${id}.onnx`));
    writeFileSync(join(dir, 'bank', `${id}.json`), JSON.stringify(manifest(id)));
  }
  return dir;
}
const run = (args: string[]) => spawnSync(BIN, ['finetune', ...args], { encoding: 'utf8', timeout: 180_000 });

describe('transferlens finetune', () => {
  const dir = setup();
  const model = join(dir, 'bank', 'unet_a.onnx');
  const base = ['--model', model, '--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz'), '--iterations', '3', '--batch', '2', '--quiet'];

  it('writes {dice: {test, perClass}, curves, provenance}; held-out slices are neither trained on nor adjacent; same seed → same numbers', () => {
    const a = run([...base, '--train-cases', '1,5', '--seed', '4', '--out', join(dir, 'a.json')]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toBe('');
    const ra = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(ra.dice.test).toBeGreaterThanOrEqual(0);
    expect(ra.dice.test).toBeLessThanOrEqual(1);
    expect(ra.dice.perClass).toHaveLength(1); // 2-class target: the 3-class head was replaced
    expect(ra.curves.iteration).toEqual([1, 2, 3]);
    expect(ra.curves.loss).toHaveLength(3);
    expect(Object.keys(ra.curves.lrs)).toEqual(ra.provenance.groups);
    expect(ra.curves.lrs.head).toEqual([1e-3, 1e-3, 1e-3]);
    expect(ra.provenance).toMatchObject({ backend: 'wasm', scheme: 'constant', optimizer: 'adam', seed: 4, iterations: 3, batch: 2, numClasses: 2, trainCases: [1, 5] });
    // 9 slices, all with foreground; 0,1,2 and 4,5,6 are blocked by the training slices 1 and 5.
    expect(ra.provenance.testCases).toEqual([3, 7, 8]);
    // risk map before/after on the held-out slices. The tiny U-Net's 3-class softmax is almost constant over pixels, so
    // P̂(y|z) ≈ the class frequency f and T ≈ log f(y): by hand, R = 1 on the background and 10 on the (minority) disc
    // per slice, and LEEP = f ln f + (1 − f) ln(1 − f) (measured within 1e-6).
    const rk = ra.risk;
    expect(rk.cases).toEqual([3, 7, 8]);
    expect(rk.perClass.pixels.reduce((a: number, b: number) => a + b, 0)).toBe(3 * 32 * 32);
    const [bg, fg] = rk.perClass.pixels, f = fg / (bg + fg);
    expect(rk.perClass.before[0]).toBeCloseTo(1, 5);
    expect(rk.perClass.before[1]).toBeCloseTo(10, 5);
    expect(rk.meanBefore).toBeCloseTo((bg + 10 * fg) / (bg + fg), 5);
    expect(rk.scoreBefore).toBeCloseTo(f * Math.log(f) + (1 - f) * Math.log(1 - f), 5);
    for (const v of [rk.meanAfter, rk.foregroundAfter, rk.scoreAfter, ...rk.perClass.after]) expect(Number.isFinite(v)).toBe(true);
    expect(ra.provenance.offPathWeights).toEqual([]);
    const b = JSON.parse(run([...base, '--train-cases', '1,5', '--seed', '4']).stdout);
    expect(b.dice).toEqual(ra.dice);
    expect(b.curves.loss).toEqual(ra.curves.loss);
    const c = JSON.parse(run([...base, '--train-cases', '1,5', '--seed', '5']).stdout);
    expect(c.curves.loss).not.toEqual(ra.curves.loss);
  }, 240_000);

  it('MetaLR with the risk-weighted loss records per-group LRs that move, the look-ahead loss and the dots', () => {
    const r = run([...base, '--scheme', 'metalr-paper', '--risk-weighted', '--loss', 'ce-dice']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.provenance).toMatchObject({ scheme: 'metalr-paper', optimizer: 'sgd', riskWeighted: true, loss: 'ce-dice', lr: null });
    expect(j.curves.valLoss).toHaveLength(3);
    expect(Object.keys(j.curves.dots)).toEqual(j.provenance.groups);
    const lrs: number[][] = Object.values(j.curves.lrs);
    expect(lrs.some((l) => l[2] !== l[0])).toBe(true);
    // The LRs recorded at iteration 1 are already updated from the initial 1e-3 / 1e-2 (the update precedes the step).
    expect(lrs.every((l) => l.every((v) => Number.isFinite(v) && v >= 0))).toBe(true);
    expect(j.curves.lrs['enc.0'][0]).not.toBe(1e-3);
  }, 120_000);

  it('--all-models writes a Dice file in the finetune-dice.json format that rank --dice reads', () => {
    const r = run(['--all-models', '--models', join(dir, 'bank'), '--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz'),
      '--iterations', '2', '--batch', '2', '--seeds', '2', '--quiet', '--out', join(dir, 'dice.json')]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'dice.json'), 'utf8'));
    const t = j.targets.img;
    expect(Object.keys(t).sort()).toEqual(['unet_a', 'unet_b']);
    for (const m of Object.values(t) as { dice: number[]; mean: number; sd: number }[]) {
      expect(m.dice).toHaveLength(2);
      expect(m.mean).toBeCloseTo((m.dice[0] + m.dice[1]) / 2, 12);
      expect(m.sd).toBeCloseTo(Math.abs(m.dice[0] - m.dice[1]) / Math.SQRT2, 12);
    }
    // Same bytes, same seed → the two copies of the model get identical Dice per seed.
    expect(t.unet_a.dice).toEqual(t.unet_b.dice);
    expect(j.protocol).toMatchObject({ seeds: [0, 1], iterations: 2, skipped: [] });
    expect(readDice(join(dir, 'dice.json')).unet_a.mean).toBe(t.unet_a.mean);
  }, 240_000);

  it('names the bad input', async () => {
    const opts: [string[], RegExp][] = [
      [[...base, '--scheme', 'fancy'], /--scheme fancy: must be one of constant, last-layer/],
      [[...base, '--case-unit', 'volume'], /--case-unit volume: must be one of slice, block/],
      [[...base, '--block', '0'], /--block 0: must be one edge or d,h,w in voxels/],
      [[...base, '--block', '16,16'], /--block 16,16: must be one edge or d,h,w/],
      [[...base, '--lr', '-1'], /--lr -1: must be a positive number/],
      [['--iterations', '2.5'], /--iterations 2\.5: must be a positive integer/],
      [[...base, '--bogus', '1'], /unknown option --bogus/],
    ];
    for (const [args, msg] of opts) expect(() => parseFinetuneArgs(args), args.join(' ')).toThrow(msg);
    const load = (args: string[]) => loadModels(parseFinetuneArgs(args).p);
    expect(() => load(['--model', join(dir, 'img.nii.gz')])).toThrow(/--model .*img\.nii\.gz: not an \.onnx file/);
    copyFileSync(ONNX, join(dir, 'lonely.onnx'));
    expect(() => load(['--model', join(dir, 'lonely.onnx')])).toThrow(/lonely\.onnx: no readable sidecar manifest lonely\.json/);
    expect(() => load(['--model', join(dir, 'none.onnx')])).toThrow(/--model .*none\.onnx: no such file/);
    expect(() => load(['--model', model, '--model', model])).toThrow(/one --model at a time/);
    await expect(loadTarget(parseFinetuneArgs(['--demo', '--target', 'nowhere']).p)).rejects.toThrow(/--demo needs --target ID \(one of .*got nowhere\)/);
    // the demo bank: one --model-id, or a subset of it with --all-models; an unknown id is named
    expect(load(['--demo', '--model-id', 'colin_t1_ax_wm']).map((m) => m.id)).toEqual(['colin_t1_ax_wm']);
    expect(load(['--demo', '--all-models', '--model-id', 'colin_t1_ax_wm,colin_t1_ax_brain']).map((m) => m.id)).toEqual(['colin_t1_ax_wm', 'colin_t1_ax_brain']);
    expect(() => load(['--demo', '--model-id', 'colin_t1_ax_wm,colin_t1_ax_brain'])).toThrow(/--demo needs one --model-id ID/);
    expect(() => load(['--demo', '--all-models', '--model-id', 'colin_t1_ax_wm,nope'])).toThrow(/--model-id nope: no such demo model/);
    // a demo target carries the bank's split: train_slices and task_slices as the held-out pool
    const demoTarget = await loadTarget(parseFinetuneArgs(['--demo', '--target', 'subj2_t1_cor_brain']).p);
    const tj = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'public', 'demo', 'targets', 'subj2_t1_cor_brain', 'target.json'), 'utf8'));
    expect(demoTarget.train).toEqual(tj.train_slices);
    expect(demoTarget.pool).toEqual(tj.task_slices);
    expect(() => parseCaseList('2,99', 9)).toThrow(/--train-cases: "99" is not a case index in 0\.\.8/);
    expect(() => parseCaseList('2,2', 9)).toThrow(/lists a case twice/);
    // As a user meets it: exit status 1 and the message on stderr.
    const r = run([...base, '--train-cases', '2,99']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error \[invalid-input\]: --train-cases: "99" is not a case index in 0\.\.8/);
  }, 60_000);
});
