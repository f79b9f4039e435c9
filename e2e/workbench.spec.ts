// E2E of the workbench (issue 5 item 11) on the production build: files dropped next to a bad one, the full demo
// study equal to the CLI's report on the same seed, cancel mid-run keeping finished models; every test fails on a
// request that leaves the origin, a console error or a page error (guardContext).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTarget } from '../test/support/syntheticTarget.ts';
import { useGuard } from './pipelineSupport.ts';
import { DEFAULT_ESTIMATOR } from '../src/core/pipeline/recommend.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODELS = join(ROOT, 'test', 'fixtures', 'models');
const DEMO_TARGET = process.env.TL_E2E_TARGET ?? 'subj2_t1_cor_wm';


useGuard();

const note = (type: string, description: string) => {
  test.info().annotations.push({ type, description });
  console.log(`${type}: ${description}`);
};

async function runStatus(page: Page) {
  return page.getByTestId('run-status').getAttribute('data-status');
}

test('a bad file next to good ones: the good ones load, the bad one is named with its problem, nothing loaded is lost', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-wb-'));
  try {
    const t = syntheticTarget();
    writeFileSync(join(dir, 'synth.nii.gz'), t.image);
    writeFileSync(join(dir, 'synth_label.nii.gz'), t.label);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    writeFileSync(join(dir, 'broken.onnx'), 'not a model');
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(MODELS, 'tiny_a.json'), 'utf8')), id: 'broken' }));
    writeFileSync(join(dir, 'dice.csv'), 'model,dice\ntiny_a,0.8\ntiny_b,0.7\n');
    await page.goto('/');
    const input = page.getByTestId('file-input');
    await input.setInputFiles([join(MODELS, 'tiny_a.onnx'), join(MODELS, 'tiny_a.json'), join(dir, 'synth.nii.gz'), join(dir, 'synth_label.nii.gz')]);
    await expect(page.locator('[data-testid="model-item"][data-model-id="tiny_a"]')).toHaveAttribute('data-status', 'ok');
    await expect(page.locator('[data-testid="target-item"][data-target-id="synth"]')).toHaveAttribute('data-status', 'ok');
    await expect(page.locator('[data-testid="target-item"][data-target-id="synth"]')).toContainText(`classes ${['background', 'class_1'].join(', ')}`);
    // Now the bad files, next to a good one, in one drop.
    await input.setInputFiles([join(dir, 'notes.txt'), join(dir, 'broken.onnx'), join(dir, 'broken.json'), join(MODELS, 'tiny_b.onnx'), join(MODELS, 'tiny_b.json'), join(dir, 'dice.csv')]);
    await expect(page.locator('[data-testid="model-item"][data-model-id="tiny_b"]')).toHaveAttribute('data-status', 'ok');
    const broken = page.locator('[data-testid="model-item"][data-model-id="broken"]');
    await expect(broken).toHaveAttribute('data-status', 'error');
    await expect(broken).toContainText('broken.onnx');
    await expect(page.getByTestId('rejected-files')).toContainText('notes.txt: not a file TransferLens reads');
    await expect(page.getByTestId('dice-list')).toContainText('dice.csv');
    // A broken file under a loaded model's name keeps the loaded model.
    writeFileSync(join(dir, 'tiny_a.onnx'), 'garbage');
    await input.setInputFiles([join(dir, 'tiny_a.onnx'), join(MODELS, 'tiny_a.json')]);
    await expect(page.getByTestId('rejected-files')).toContainText('the loaded "tiny_a" is kept');
    await expect(page.locator('[data-testid="model-item"][data-model-id="tiny_a"]')).toHaveAttribute('data-status', 'ok');
    await expect(page.locator('[data-testid="model-item"][data-status="ok"]')).toHaveCount(2);
    // A model without a sidecar: a manifest is proposed from its graph and waits for the user's confirmation.
    writeFileSync(join(dir, 'bare.onnx'), readFileSync(join(MODELS, 'tiny_b.onnx')));
    await input.setInputFiles([join(dir, 'bare.onnx')]);
    const bare = page.locator('[data-testid="model-item"][data-model-id="bare"]');
    await expect(bare).toHaveAttribute('data-status', 'ok', { timeout: 60_000 });
    await expect(bare).toContainText('no sidecar: manifest derived from the graph');
    await expect(bare.getByTestId('derived-manifest')).toContainText('logits');
    await bare.getByTestId('confirm-manifest').click();
    await expect(bare.getByTestId('confirm-manifest')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cancel mid-run stops within a second and keeps the finished models', async ({ page }) => {
  await page.goto(`/?demo=1&provider=wasm&target=${DEMO_TARGET}&resamples=20`);
  await expect(page.getByTestId('ranking-row').first()).toBeVisible({ timeout: 240_000 });
  expect(await runStatus(page)).toBe('running');
  const now = Number(await page.getByTestId('progress').getAttribute('aria-valuenow'));
  expect(now).toBeGreaterThan(0);
  const t0 = Date.now();
  await page.getByTestId('cancel-run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'cancelled', { timeout: 5_000 });
  const stopMs = Date.now() - t0;
  const appMs = Number(await page.getByTestId('run-status').getAttribute('data-cancel-ms'));
  note('timing', `cancel → cancelled: ${appMs.toFixed(0)} ms in the app, ${stopMs} ms seen by the test (click and polling included)`);
  expect(appMs).toBeLessThan(1_000);
  const kept = await page.getByTestId('ranking-row').count();
  expect(kept).toBeGreaterThanOrEqual(1);
  expect(kept).toBeLessThan(11);
  await expect(page.getByTestId('provider')).toContainText('WASM');
});

test('the user\'s own files end to end: drop, run, ranking, TE vs Dice with τ, t-SNE, risk map, CSV export', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'tl-wb-'));
  try {
    const t = syntheticTarget();
    writeFileSync(join(dir, 'synth.nii.gz'), t.image);
    writeFileSync(join(dir, 'synth_label.nii.gz'), t.label);
    writeFileSync(join(dir, 'tiny_c.onnx'), readFileSync(join(MODELS, 'tiny_a.onnx')));
    writeFileSync(join(dir, 'tiny_c.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(MODELS, 'tiny_a.json'), 'utf8')), id: 'tiny_c', name: 'tiny_c' }));
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles([join(MODELS, 'tiny_a.onnx'), join(MODELS, 'tiny_a.json'), join(MODELS, 'tiny_b.onnx'), join(MODELS, 'tiny_b.json'),
      join(dir, 'tiny_c.onnx'), join(dir, 'tiny_c.json'), join(dir, 'synth.nii.gz'), join(dir, 'synth_label.nii.gz')]);
    await expect(page.locator('[data-testid="model-item"][data-status="ok"]')).toHaveCount(3);
    await expect(page.locator('[data-testid="target-item"][data-target-id="synth"]')).toHaveAttribute('data-status', 'ok');
    // The Dice table through a real drop event on the drop zone.
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(['model,dice\ntiny_a,0.80\ntiny_b,0.70\ntiny_c,0.75\n'], 'dice.csv', { type: 'text/csv' }));
      return d;
    });
    await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer: dt });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dt });
    await expect(page.getByTestId('dice-list')).toContainText('dice.csv');
    await page.getByTestId('opt-provider').selectOption('wasm');
    await page.getByTestId('opt-resamples').fill('50');
    await page.getByTestId('run-study').click();
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 180_000 });
    await expect(page.getByTestId('progress')).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('ranking-row')).toHaveCount(3);
    const values = await page.getByTestId('ranking-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values.every(Number.isFinite)).toBe(true);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    // tiny_a and tiny_c are the same network: equal scores, and the table marks them as indistinguishable.
    const byId = Object.fromEntries(await page.getByTestId('ranking-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-model-id'), e.getAttribute('data-value')])));
    expect(byId.tiny_a).toBe(byId.tiny_c);
    await expect(page.getByTestId('tie-mark')).not.toHaveCount(0);
    await expect(page.getByTestId('tvd-tau')).toHaveText(/^-?\d\.\d{3} \[/, { timeout: 60_000 });
    await expect(page.locator('[data-testid="te-vs-dice"][data-rendered="true"]')).toBeVisible({ timeout: 60_000 });
    await page.getByTestId('tvd-estimator').filter({ hasText: /^leep$/ }).click();
    await expect(page.getByTestId('tvd-correlation')).toContainText('weighted Kendall');
    // The recommendation's estimator is the first chip, so its scatter is one click away.
    await expect(page.getByTestId('tvd-estimator').first()).toHaveText(DEFAULT_ESTIMATOR);
    await page.getByTestId('tvd-estimator').first().click();
    await expect(page.getByLabel('Any estimator')).toHaveValue(DEFAULT_ESTIMATOR);
    await expect(page.getByTestId('tsne-left')).toHaveAttribute('data-done', 'true', { timeout: 120_000 });
    await expect(page.getByTestId('risk-class')).toHaveCount(2, { timeout: 60_000 });
    const risks = await page.getByTestId('risk-class').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    for (const r of risks) {
      expect(r).toBeGreaterThanOrEqual(1);
      expect(r).toBeLessThanOrEqual(10);
    }
    await expect(page.getByTestId('risk-viewer')).toHaveAttribute('data-ready', 'true', { timeout: 90_000 });
    const dl = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = readFileSync(await (await dl).path(), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toMatch(/^target,model,provider,seconds,finetuned_dice,/);
    await page.screenshot({ path: test.info().outputPath('workbench-user-files.png'), fullPage: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
