// E2E of the fine-tuning lab (issue 8 §3, §5): a demo U-Net fine-tuned for a few iterations in the browser worker
// (tfjs wasm) gives the loss curve and held-out Dice of `bin/transferlens finetune` (tfjs wasm in Node) for the
// same model, slices, options and seed.
import { expect, test, type Download } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useGuard } from './pipelineSupport.ts';
import { labConstantRun, loadDemoTarget } from './labSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = 'subj2_t1_cor_brain';
const MODEL = 'colin_t1_ax_brain';
const ITERATIONS = 2, BATCH = 2;

// Both sides run the same tfjs-core 4.22 wasm kernels (single-threaded SIMD: the worker turns threads off) on the
// same float32 inputs; measured on the demo: bit-identical losses and Dice. The tolerances leave room for a
// different wasm variant or kernel order on another machine, which would change the order of float32 sums. That would move a loss by ~1e-7 relative per step; Adam's normalised updates can
// grow it over a few steps, so losses must agree to 1e-4 relative. Dice is pooled over ~10⁵ held-out pixels: a
// handful of argmax flips at near-ties moves it by < 1e-4, so 2e-3 absolute is a loose bound. Measured values print.
const LOSS_REL = 1e-4;
const DICE_ABS = 2e-3;
// Mean transfer risk of the held-out slices before (source model: no training involved, same eval kernels) and after
// the same two steps; a mean over ~10⁵ pixels of R = 10^Ĥ moves like the losses, so the loss tolerance applies.
const RISK_REL = LOSS_REL;

test.describe.configure({ timeout: 600_000 });

useGuard({ consoleErrors: false });

test('a demo model fine-tuned in the lab matches transferlens finetune (wasm, same seed)', async ({ page }) => {
  await page.goto('/');
  const lab = await labConstantRun(page, { target: TARGET, model: MODEL, iterations: ITERATIONS, batch: BATCH });
  await lab.getByTestId('start-finetune').click();
  const run = lab.locator('[data-testid="lab-run"][data-condition="constant"]');
  await expect(run).toHaveCount(1, { timeout: 480_000 });
  await expect(lab.getByTestId('lab-dice')).toBeVisible();
  // the risk map before / after fine-tuning: two canvases, a colour bar, finite per-class means
  const risk = lab.getByTestId('lab-risk');
  for (const id of ['risk-before', 'risk-after', 'risk-colorbar']) await expect(risk.getByTestId(id)).toBeVisible();
  const means = risk.getByTestId('risk-means');
  const riskBrowser = { meanBefore: Number(await means.getAttribute('data-mean-before')), meanAfter: Number(await means.getAttribute('data-mean-after')) };
  // per class (background, brain): both present in the held-out slices, so no empty cell
  const perClass = await risk.getByTestId('risk-class').evaluateAll((rows) => rows.flatMap((r) => [r.getAttribute('data-before'), r.getAttribute('data-after')]));
  expect(perClass.length).toBeGreaterThanOrEqual(4);
  for (const v of [riskBrowser.meanBefore, riskBrowser.meanAfter, ...perClass.map((x) => (x ? Number(x) : NaN))]) expect(Number.isFinite(v) && v >= 1 && v <= 10, String(v)).toBe(true);
  const browser = {
    dice: Number(await run.getAttribute('data-dice')),
    loss: JSON.parse((await run.getAttribute('data-loss'))!) as number[],
    train: JSON.parse((await run.getAttribute('data-train'))!) as number[],
    test: JSON.parse((await run.getAttribute('data-test'))!) as number[],
    backend: await run.getAttribute('data-backend'),
  };
  expect(browser.backend).toBe('wasm');
  await expect(lab).toHaveAttribute('data-backend', 'wasm');

  // the run's fine-tuned model, downloaded as ONNX from the lab
  const [download] = await Promise.all([page.waitForEvent('download'), lab.locator('[data-testid="export-finetuned-onnx"][data-condition="constant"][data-seed="0"]').click()]);
  expect(download.suggestedFilename()).toBe(`${MODEL}-constant-seed0.onnx`);
  const labOnnx = readFileSync(await download.path());

  // the curves as CSV (one row per iteration, the run's losses) and the two plots as PNG files
  const [csvDl] = await Promise.all([page.waitForEvent('download'), lab.getByTestId('lab-export-csv').click()]);
  const [head, ...rows] = readFileSync(await csvDl.path(), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
  expect(head.slice(0, 5)).toEqual(['condition', 'seed', 'iteration', 'seconds', 'loss']);
  expect(rows.map((r) => [r[0], r[1], Number(r[4])])).toEqual(browser.loss.map((l) => ['constant', '0', l]));
  const pngs: Download[] = [];
  page.on('download', (d) => pngs.push(d));
  await lab.getByTestId('lab-export-png').click();
  await expect.poll(() => pngs.map((d) => d.suggestedFilename()).sort(), { timeout: 30_000 }).toEqual([`finetune-lab-loss-plot-${MODEL}.png`, `finetune-lab-lr-plot-${MODEL}.png`]);
  for (const d of pngs) expect(readFileSync(await d.path()).readUInt32BE(0), d.suggestedFilename()).toBe(0x89504e47); // PNG signature
  const cliOnnx = join(mkdtempSync(join(tmpdir(), 'tl-lab-')), 'cli.onnx');

  // The CLI on the demo target: the bank's protocol (its train_slices, held-out slices within its task_slices, its
  // normalisation), which the lab follows for a demo target.
  const { stdout } = await promisify(execFile)(join(ROOT, 'bin', 'transferlens'), ['finetune', '--quiet',
    '--demo', '--target', TARGET, '--model-id', MODEL, '--train-cases', browser.train.join(','),
    '--iterations', String(ITERATIONS), '--batch', String(BATCH), '--seed', '0', '--scheme', 'constant', '--export-onnx', cliOnnx], { maxBuffer: 64 << 20, timeout: 480_000 });
  const cli = JSON.parse(stdout) as { dice: { test: number }; curves: { loss: number[] }; provenance: { backend: string; trainCases: number[]; testCases: number[] }; risk: { meanBefore: number; meanAfter: number } };
  expect(cli.provenance.backend).toBe('wasm');
  expect(cli.provenance.trainCases).toEqual(browser.train);
  const tj = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'targets', TARGET, 'target.json'), 'utf8')) as { train_slices: number[]; eval_slices: number[] };
  expect(browser.train).toEqual(tj.train_slices);
  // the held-out slices are the bank's eval_slices on both sides (the lab's and the CLI's Dice are over the same slices)
  expect(browser.test).toEqual(tj.eval_slices);
  expect(cli.provenance.testCases).toEqual(tj.eval_slices);
  expect(browser.loss).toHaveLength(ITERATIONS);
  const lossDev = Math.max(...browser.loss.map((l, i) => Math.abs(l - cli.curves.loss[i]) / Math.abs(cli.curves.loss[i])));
  const diceDev = Math.abs(browser.dice - cli.dice.test);
  console.log(`lab vs CLI: loss max rel deviation ${lossDev.toExponential(2)}, Dice ${browser.dice} vs ${cli.dice.test} (|Δ| ${diceDev.toExponential(2)})`);
  expect(lossDev).toBeLessThan(LOSS_REL);
  expect(diceDev).toBeLessThan(DICE_ABS);
  const riskDev = Math.max(...(['meanBefore', 'meanAfter'] as const).map((k) => Math.abs(riskBrowser[k] - cli.risk[k]) / cli.risk[k]));
  console.log(`lab vs CLI: mean risk before ${riskBrowser.meanBefore} vs ${cli.risk.meanBefore}, after ${riskBrowser.meanAfter} vs ${cli.risk.meanAfter} (max rel ${riskDev.toExponential(2)})`);
  expect(riskDev).toBeLessThan(RISK_REL);
  // The lab's ONNX and the CLI's --export-onnx hold the same fine-tuned model: same ORT logits on one input.
  const x = Float32Array.from({ length: 128 * 128 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const logitsOf = async (b: Uint8Array) => {
    const s = await ort.InferenceSession.create(b);
    const out = (await s.run({ image: new ort.Tensor('float32', x, [1, 1, 128, 128]) })).logits;
    await s.release();
    return out;
  };
  const [fromLab, fromCli, original] = await Promise.all([logitsOf(labOnnx), logitsOf(readFileSync(cliOnnx)), logitsOf(readFileSync(join(ROOT, 'public', 'demo', 'models', `${MODEL}.onnx`)))]);
  expect(fromLab.dims).toEqual([1, 2, 128, 128]);
  const a = fromLab.data as Float32Array, b = fromCli.data as Float32Array, o = original.data as Float32Array;
  let dev = 0, moved = 0, scale = 0;
  for (let i = 0; i < a.length; i++) { dev = Math.max(dev, Math.abs(a[i] - b[i])); moved = Math.max(moved, Math.abs(a[i] - o[i])); scale = Math.max(scale, Math.abs(b[i])); }
  console.log(`lab vs CLI ONNX export: max |Δ logits| ${dev.toExponential(2)} (logits up to ${scale.toFixed(2)}); vs the original model ${moved.toExponential(2)}`);
  expect(dev).toBeLessThan(1e-4 * Math.max(1, scale));
  expect(moved).toBeGreaterThan(1e-4);
});

test('the newcomer\'s comparison: MetaLR and the risk-weighted loss beside constant LR give Dice rows, curves and risk maps per run', async ({ page }) => {
  await page.goto('/');
  await loadDemoTarget(page, TARGET, [MODEL]);
  const lab = page.getByTestId('finetune-lab');
  await lab.getByTestId('lab-model').selectOption(MODEL);
  // the lab's default conditions are constant LR and MetaLR (paper rule); add the risk-weighted loss
  await expect(lab.getByTestId('lab-cond-constant')).toBeChecked();
  await expect(lab.getByTestId('lab-cond-metalr-paper')).toBeChecked();
  await lab.getByTestId('lab-cond-risk').check();
  await lab.getByTestId('lab-iterations').fill('2');
  await lab.getByTestId('lab-batch').fill('2');
  await lab.getByTestId('start-finetune').click();
  const conditions = ['constant', 'metalr-paper', 'risk'];
  await expect(lab.getByTestId('lab-run')).toHaveCount(conditions.length, { timeout: 480_000 });
  await expect(lab).toHaveAttribute('data-running', 'false');
  for (const c of conditions) {
    const run = lab.locator(`[data-testid="lab-run"][data-condition="${c}"]`);
    const loss = JSON.parse((await run.getAttribute('data-loss'))!) as number[];
    expect(loss, c).toHaveLength(2);
    for (const l of loss) expect(Number.isFinite(l) && l > 0, `${c} loss ${l}`).toBe(true);
    const mean = Number(await lab.locator(`[data-testid="lab-dice"] tr[data-condition="${c}"]`).getAttribute('data-mean'));
    expect(mean >= 0 && mean <= 1, `${c} Dice ${mean}`).toBe(true);
  }
  // one loss curve per run; the LR plot shows the MetaLR run (one curve per layer group, the head last)
  await expect(lab.getByTestId('lab-loss-plot').locator('.scatterlayer .trace')).toHaveCount(conditions.length);
  const legend = await lab.getByTestId('lab-lr-plot').locator('.legendtext').allTextContents();
  expect(legend.length).toBeGreaterThan(2);
  expect(legend.at(-1)).toBe('head');
  // risk maps before / after for each run, selectable
  const risk = lab.getByTestId('lab-risk');
  for (const id of ['risk-before', 'risk-after']) await expect(risk.getByTestId(id)).toBeVisible();
  await expect(risk.getByTestId('risk-run').locator('option')).toHaveCount(conditions.length);
});
