// E2E: the app loads from the production build, says what it is, and stays on its own origin.
// Fails on any console error, page error, or request to a host other than localhost (workers included).
import { expect, test, type ConsoleMessage } from '@playwright/test';

test('the page says what TransferLens is, shows the workflow in order, and makes no off-origin request', async ({ page }) => {
  const offOrigin: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  await page.context().route((url) => url.hostname !== 'localhost', (route) => {
    offOrigin.push(route.request().url());
    return route.abort();
  });
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto('/');

  await expect(page).toHaveTitle('TransferLens');
  await expect(page.getByRole('heading', { level: 1, name: 'TransferLens' })).toBeVisible();
  await expect(page.getByText('Which pre-trained segmentation model should I fine-tune on my data?')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Your data stays here' })).toBeVisible();

  // The workflow areas, in data-flow order.
  const nav = page.getByRole('navigation', { name: 'Workflow' });
  const titles = await nav.locator('.workflow-nav__title').allTextContents();
  expect(titles.slice(0, 6)).toEqual(['Load', 'Run', 'Ranking', 'TE vs Dice', 't-SNE', 'Risk map']);

  // Selecting an area goes through the store and moves the current-step mark.
  const items = nav.getByRole('button');
  await expect(items.first()).toHaveAttribute('aria-current', 'step');
  await nav.getByRole('button', { name: /Risk map/ }).click();
  await expect(nav.getByRole('button', { name: /Risk map/ })).toHaveAttribute('aria-current', 'step');
  await expect(items.first()).not.toHaveAttribute('aria-current', 'step');

  // COOP/COEP from vite preview: the page is cross-origin isolated, so wasm threads will be available.
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('isolation-status')).toContainText('available (page is cross-origin isolated)');

  await page.waitForLoadState('networkidle');
  expect(offOrigin).toEqual([]);
  expect(consoleErrors).toEqual([]);
  expect(pageErrors).toEqual([]);
});
