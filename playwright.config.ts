// Playwright e2e config: the production build served by `vite preview`, driven by Debian's Chromium.
// Recipe of shared/docs/browser-stack.md §9; no browser download (CHROMIUM_PATH overrides /usr/bin/chromium).
import { defineConfig } from '@playwright/test';

// E2E_PORT lets two trees on one machine run their e2e side by side (the default is vite preview's 4173).
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1, // the build machine has 2 cores
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    // A click on a control that never becomes enabled fails after a minute, naming the control, instead of using up the
    // test's whole timeout (spec timeouts are long because fine-tuning and demo studies are slow).
    actionTimeout: 60_000,
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'],
    },
  },
  webServer: {
    // Serves dist/: `npm run test:e2e` builds first (vite build && playwright test).
    command: `npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}`,
    reuseExistingServer: false, // never test a stale preview from another tree on the same port
    timeout: 60_000,
  },
});
