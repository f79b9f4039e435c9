// Shared steps of the lab e2e specs: load the demo bank, wait for the models and the target a spec uses, select the
// target, and set the lab up for a short constant-LR run (not started).
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Clicks "Load demo", waits until `models` and `target` are loaded and no demo file is still being checked (a model
 * that arrives later would join lists such as the bank loop's, checked), and selects the target.
 */
export async function loadDemoTarget(page: Page, target: string, models: string[]): Promise<void> {
  await page.getByTestId('load-demo').click();
  for (const m of models) await expect(page.locator(`[data-testid="model-item"][data-model-id="${m}"][data-status="ok"]`)).toHaveCount(1, { timeout: 120_000 });
  await expect(page.locator(`[data-testid="target-item"][data-target-id="${target}"][data-status="ok"]`)).toHaveCount(1, { timeout: 120_000 });
  await expect(page.locator('[data-testid="model-item"][data-status="checking"], [data-testid="target-item"][data-status="checking"]')).toHaveCount(0, { timeout: 120_000 });
  await page.getByTestId('target-select').selectOption(target);
}

/** The lab on `target` with `model`, only the constant-LR condition, `iterations` and `batch` filled in; not started. */
export async function labConstantRun(page: Page, o: { target: string; model: string; iterations: number; batch: number }): Promise<Locator> {
  await loadDemoTarget(page, o.target, [o.model]);
  const lab = page.getByTestId('finetune-lab');
  await expect(lab).toBeVisible();
  await lab.getByTestId('lab-model').selectOption(o.model);
  await lab.getByTestId('lab-cond-metalr-paper').uncheck();
  await lab.getByTestId('lab-cond-constant').check();
  await lab.getByTestId('lab-iterations').fill(String(o.iterations));
  await lab.getByTestId('lab-batch').fill(String(o.batch));
  return lab;
}
