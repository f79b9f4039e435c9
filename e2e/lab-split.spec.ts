// E2E of the lab's editable split and layer groups (issue 8 §1, §3): the training slices the user types are the
// run's (provenance trainCases), a bad entry is named and blocks the run, and a parameter group moved into a new
// named group shows as that group in the per-layer LR plot's legend.
import { expect, test } from '@playwright/test';
import { useGuard } from './pipelineSupport.ts';
import { labConstantRun } from './labSupport.ts';

const TARGET = 'subj2_t1_cor_brain';
const MODEL = 'colin_t1_ax_brain';

test.describe.configure({ timeout: 600_000 });

useGuard({ consoleErrors: false });

test('the lab trains on the edited training slices and shows a group override in the LR legend', async ({ page }) => {
  await page.goto('/');
  const lab = await labConstantRun(page, { target: TARGET, model: MODEL, iterations: 1, batch: 2 });

  // the split: prefilled with the default training slices; a bad entry is named and blocks the run
  const input = lab.getByTestId('lab-train-slices');
  await expect(input).not.toHaveValue('');
  const defaults = (await input.inputValue()).split(',').map((s) => Number(s.trim()));
  expect(defaults.length).toBeGreaterThanOrEqual(2);
  const n = Number(await lab.getByTestId('lab-split').getAttribute('data-n'));
  await input.fill(`${defaults[0]}, ${n + 5}, x`);
  await expect(lab.getByTestId('lab-split-error')).toContainText(`${n + 5} is not in 0..${n - 1}`);
  await expect(lab.getByTestId('lab-split-error')).toContainText('"x" is not a whole number');
  await expect(lab.getByTestId('start-finetune')).toBeDisabled();
  const edited = defaults.slice(0, -1);
  await input.fill(edited.join(','));
  await expect(lab.getByTestId('lab-split-error')).toHaveCount(0);
  const heldOut = JSON.parse((await lab.getByTestId('lab-heldout').getAttribute('data-test'))!) as number[];
  for (const t of edited) for (const d of [-1, 0, 1]) expect(heldOut).not.toContain(t + d);

  // layer groups: move the first default group into a new group "mine"
  const groups = lab.getByTestId('lab-groups');
  await groups.locator('summary').click();
  const first = (await groups.getByTestId('lab-group').first().getAttribute('data-group'))!;
  await groups.getByTestId('lab-new-group').fill('mine');
  await groups.getByTestId('lab-add-group').click();
  await groups.getByTestId(`lab-group-move-${first}`).selectOption('mine');
  await expect(groups.getByTestId('lab-group-order')).toContainText('mine →');
  await expect(groups.locator(`[data-testid="lab-group"][data-group="${first}"]`)).toHaveCount(0);

  await lab.getByTestId('start-finetune').click();
  const run = lab.locator('[data-testid="lab-run"][data-condition="constant"]');
  await expect(run).toHaveCount(1, { timeout: 480_000 });
  expect(JSON.parse((await run.getAttribute('data-train'))!)).toEqual(edited);
  const legend = lab.getByTestId('lab-lr-plot').locator('.legendtext');
  await expect(legend.first()).toBeVisible();
  const names = await legend.allTextContents();
  expect(names[0]).toBe('mine');
  expect(names).not.toContain(first);
});
