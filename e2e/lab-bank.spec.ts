// E2E of "fine-tune every model" (issue 8 §4): the lab's bank loop fine-tunes two demo models in the browser worker,
// shows their Dice, saves a Dice file that the core's Dice-table parser (the one `validate` and `rank --dice` use)
// reads, and gives the Dice of `bin/transferlens finetune --all-models` on the same models, slices and seed.
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseDiceTables } from '../src/core/pipeline/diceTable.ts';
import { useGuard } from './pipelineSupport.ts';
import { loadDemoTarget } from './labSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TARGET = 'subj2_t1_cor_brain';
const MODELS = ['colin_t1_ax_brain', 'colin_t1_ax_wm'];
const ITERATIONS = 2, BATCH = 2;
// Same tfjs wasm kernels on both sides (see e2e/lab.spec.ts for why 2e-3 on pooled Dice is a loose bound).
const DICE_ABS = 2e-3;

test.describe.configure({ timeout: 600_000 });
useGuard({ consoleErrors: false });

test('fine-tune every model: the bank loop writes a Dice file equal to the CLI --all-models', async ({ page }) => {
  await page.goto('/');
  await loadDemoTarget(page, TARGET, MODELS);
  const bank = page.getByTestId('bank-loop');
  await expect(bank).toBeVisible();
  for (const box of await bank.locator('input[type="checkbox"][data-testid^="bank-model-"]').all()) {
    const id = (await box.getAttribute('data-testid'))!.slice('bank-model-'.length);
    if (MODELS.includes(id)) await box.check(); else await box.uncheck();
  }
  await bank.getByTestId('bank-scheme').selectOption('constant');
  await bank.getByTestId('bank-seeds').fill('1');
  await bank.getByTestId('bank-iterations').fill(String(ITERATIONS));
  await bank.getByTestId('bank-batch').fill(String(BATCH));
  await bank.getByTestId('start-bank-loop').click();
  await expect(bank.getByTestId('bank-dice-row')).toHaveCount(MODELS.length, { timeout: 480_000 });
  await expect(bank).toHaveAttribute('data-running', 'false');

  const download = page.waitForEvent('download');
  await bank.getByTestId('bank-export-dice').click();
  const file = await (await download).path();
  const text = readFileSync(file, 'utf8');
  const tables = parseDiceTables('finetune-dice.json', text);
  const browser = tables[TARGET];
  expect(Object.keys(browser).sort()).toEqual([...MODELS].sort());
  const saved = JSON.parse(text) as { protocol: { trainCases: number[]; testCases: number[]; normalization: string; backend: string } };
  expect(saved.protocol.backend).toBe('wasm');
  // the demo bank's protocol: its training slices, its held-out eval_slices, the target's normalisation
  const tj = JSON.parse(readFileSync(join(ROOT, 'public', 'demo', 'targets', TARGET, 'target.json'), 'utf8')) as { train_slices: number[]; eval_slices: number[]; normalization: string };
  expect(saved.protocol).toMatchObject({ trainCases: tj.train_slices, testCases: tj.eval_slices, normalization: tj.normalization });

  // The CLI on the demo target (the bank's protocol: train_slices, held-out within task_slices, the target's normalisation).
  const { stdout } = await promisify(execFile)(join(ROOT, 'bin', 'transferlens'), ['finetune', '--quiet', '--all-models',
    '--demo', '--target', TARGET, '--model-id', MODELS.join(','), '--train-cases', saved.protocol.trainCases.join(','),
    '--iterations', String(ITERATIONS), '--batch', String(BATCH), '--seeds', '1', '--scheme', 'constant'], { maxBuffer: 64 << 20, timeout: 480_000 });
  const cli = parseDiceTables('cli.json', stdout)[Object.keys(JSON.parse(stdout).targets)[0]];
  for (const m of MODELS) {
    const d = Math.abs(browser[m].mean - cli[m].mean);
    console.log(`bank loop vs CLI --all-models, ${m}: ${browser[m].mean} vs ${cli[m].mean} (|Δ| ${d.toExponential(2)})`);
    expect(d).toBeLessThan(DICE_ABS);
  }
});
