// E2E of the lab with a 3-D model (issue 8 §1 "3-D where the ops allow it"): the demo bank's 3-D CT U-Net, dropped
// into the page as a user's model, fine-tuned in the browser worker on blocks of the demo CT target gives the loss,
// held-out blocks and Dice of `bin/transferlens finetune --demo` on the same blocks and seed (tfjs wasm on both sides).
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useGuard } from './pipelineSupport.ts';
import { loadDemoTarget } from './labSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = 'ct_ax_intracranial';
const MODEL = 'ct3d_head_bone';
// Same kernels and inputs on both sides (see e2e/lab.spec.ts): measured bit-identical; the bounds leave room for
// another summation order.
const LOSS_REL = 1e-4, DICE_ABS = 2e-3;

test.describe.configure({ timeout: 600_000 });
useGuard({ consoleErrors: false });

test('a 3-D model in the lab trains on blocks and matches transferlens finetune --demo (wasm, same seed)', async ({ page }) => {
  await page.goto('/');
  await loadDemoTarget(page, TARGET, []);
  const models = join(ROOT, 'public', 'demo', 'models');
  await page.getByTestId('file-input').setInputFiles([join(models, `${MODEL}.onnx`), join(models, `${MODEL}.json`)]);
  await expect(page.locator(`[data-testid="model-item"][data-model-id="${MODEL}"][data-status="ok"]`)).toHaveCount(1, { timeout: 120_000 });
  const lab = page.getByTestId('finetune-lab');
  await lab.getByTestId('lab-model').selectOption(MODEL);
  // a 3-D model's cases are 32³ blocks (2 × input_multiple 16): 108 slices × 128 × 128 → a 3 × 4 × 4 grid
  const split = lab.getByTestId('lab-split');
  await expect(split).toHaveAttribute('data-unit', 'block');
  await expect(split).toHaveAttribute('data-n', '48');
  await expect(split).toContainText('a 3 × 4 × 4 grid of 32×32×32-voxel blocks');
  await expect(lab.getByTestId('lab-batch')).toHaveValue('2'); // the default 8 is lowered for 3-D blocks (memory)
  await lab.getByTestId('lab-cond-metalr-paper').uncheck();
  await lab.getByTestId('lab-cond-constant').check();
  await lab.getByTestId('lab-iterations').fill('1');
  await lab.getByTestId('lab-batch').fill('1');
  await lab.getByTestId('start-finetune').click();
  const run = lab.locator('[data-testid="lab-run"][data-condition="constant"]');
  await expect(run).toHaveCount(1, { timeout: 480_000 });
  const browser = {
    dice: Number(await run.getAttribute('data-dice')),
    loss: JSON.parse((await run.getAttribute('data-loss'))!) as number[],
    train: JSON.parse((await run.getAttribute('data-train'))!) as number[],
    test: JSON.parse((await run.getAttribute('data-test'))!) as number[],
  };
  expect(await run.getAttribute('data-backend')).toBe('wasm');
  // the risk map before / after shows a held-out block by its middle slice
  const risk = lab.getByTestId('lab-risk');
  for (const id of ['risk-before', 'risk-after']) await expect(risk.getByTestId(id)).toBeVisible();
  await expect(risk.getByTestId('risk-slice').locator('option').first()).toContainText(', slice 16');

  const { stdout } = await promisify(execFile)(join(ROOT, 'bin', 'transferlens'), ['finetune', '--quiet', '--demo', '--target', TARGET, '--model-id', MODEL,
    '--train-cases', browser.train.join(','), '--iterations', '1', '--batch', '1', '--seed', '0', '--scheme', 'constant'], { maxBuffer: 64 << 20, timeout: 480_000 });
  const cli = JSON.parse(stdout) as { dice: { test: number }; curves: { loss: number[] }; provenance: { caseUnit: string; grid: number[]; testCases: number[] } };
  expect(cli.provenance).toMatchObject({ caseUnit: 'block', grid: [3, 4, 4] });
  expect(browser.test).toEqual(cli.provenance.testCases);
  const lossDev = Math.abs(browser.loss[0] - cli.curves.loss[0]) / Math.abs(cli.curves.loss[0]);
  console.log(`lab vs CLI, 3-D ${MODEL} on ${TARGET} blocks: loss ${browser.loss[0]} vs ${cli.curves.loss[0]} (rel ${lossDev.toExponential(2)}), Dice ${browser.dice} vs ${cli.dice.test}`);
  expect(lossDev).toBeLessThan(LOSS_REL);
  expect(Math.abs(browser.dice - cli.dice.test)).toBeLessThan(DICE_ABS);
});
