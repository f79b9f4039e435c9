// E2E of the workbench (issue 5 item 11) on the production build: files dropped next to a bad one, the full demo
// study equal to the CLI's report on the same seed, cancel mid-run keeping finished models; every test fails on a
// request that leaves the origin, a console error or a page error (guardContext).
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTarget } from '../test/support/syntheticTarget.ts';
import { guardContext, watchPage, type Guard } from './pipelineSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODELS = join(ROOT, 'test', 'fixtures', 'models');
const DEMO_TARGET = process.env.TL_E2E_TARGET ?? 'subj2_t1_cor_wm';


let guard: Guard;
test.beforeEach(async ({ page, context }) => {
  guard = await guardContext(context);
  watchPage(page, guard);
});
test.afterEach(() => {
  expect(guard.offOrigin).toEqual([]);
  expect(guard.pageErrors).toEqual([]);
  expect(guard.consoleErrors).toEqual([]);
});

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
