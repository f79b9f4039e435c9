// E2E of offline use and privacy (issue 5 items 8, 9): the service worker precaches the app, the runtime wasm and
// the demo bank (entry count checked against dist/); after one visit the app reloads and loads the demo with the
// network off, still cross-origin isolated; the CSP blocks any connection to another origin.
import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../tools/vite/csp.ts';
import { useGuard } from './pipelineSupport.ts';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [relative(DIST, join(dir, f))]));
}

const guard = useGuard({ consoleErrors: false });

test('the precache lists every app, wasm and demo-bank file of the build (none dropped by a size limit)', () => {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  const urls = [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]);
  const files = walk(DIST);
  const expected = files.filter((f) => /\.(html|js|mjs|css|wasm|zst|onnx|gz|json|webmanifest)$/.test(f) && !/-write-image\./.test(f) && !f.startsWith('demo/reference/') && !/^(sw|workbox-[^/]*)\.js$/.test(f)).concat(files.filter((f) => f === 'demo/NOTICE'));
  expect(urls.length).toBeGreaterThanOrEqual(40);
  expect([...new Set(urls)].sort()).toEqual(expected.sort());
  expect(urls.some((u) => /ort-wasm-simd-threaded.*\.wasm$/.test(u))).toBe(true);
  expect(urls.filter((u) => /^demo\/models\/.*\.onnx$/.test(u)).length).toBe(files.filter((f) => /^demo\/models\/.*\.onnx$/.test(f)).length);
  expect(urls.filter((u) => u.startsWith('itk/')).length).toBeGreaterThan(0);
});

test('after one visit the app reloads offline, stays isolated, and loads the demo bank from the cache', async ({ page, context }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  // Wait until the service worker controls the page and has finished precaching.
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    return reg.active?.state;
  });
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    let n = 0;
    for (const k of names) n += (await (await caches.open(k)).keys()).length;
    return n;
  });
  expect(cached).toBeGreaterThanOrEqual(40);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'TransferLens' })).toBeVisible();
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
  await page.getByTestId('load-demo').click();
  await expect(page.locator('[data-testid="model-item"][data-status="ok"]')).toHaveCount(11, { timeout: 60_000 });
  await expect(page.locator('[data-testid="target-item"][data-status="ok"]')).not.toHaveCount(0);
  await expect(page.locator('[data-testid="model-item"][data-status="error"]')).toHaveCount(0);
  await context.setOffline(false);
  expect(guard().consoleErrors).toEqual([]);
});

test('the Content-Security-Policy allows no connection to another origin, and the page says so', async ({ page }) => {
  await page.goto('/');
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(CONTENT_SECURITY_POLICY);
  expect(meta).toContain("connect-src 'self' blob: data:");
  expect(meta).toContain("default-src 'self'");
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const r = await fetch('https://example.org/upload', { method: 'POST', body: 'x' }).then(() => 'sent', () => 'blocked');
    await new Promise((res) => setTimeout(res, 100));
    return { r, violations };
  });
  expect(outcome.r).toBe('blocked');
  expect(outcome.violations).toContain('connect-src');
  expect(guard().offOrigin).toEqual([]); // the CSP stopped it before any request left the page
  guard().consoleErrors.length = 0; // Chrome logs the refused connection, as it should
  await expect(page.getByTestId('privacy-statement')).toContainText('never leave this computer');
});
