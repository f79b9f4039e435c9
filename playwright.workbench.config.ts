// Playwright config for running the workbench specs beside another preview on 4173 (shared build machine):
// the base config (playwright.config.ts) with the port from TL_E2E_PORT (default 4174) and its own output folder.
import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

const port = Number(process.env.TL_E2E_PORT ?? 4174);

export default defineConfig({
  ...base,
  testMatch: /workbench.*\.spec\.ts/,
  // Its own output folder: another tree's run clears test-results/ (and the downloads in it) at its start.
  outputDir: process.env.TL_E2E_OUT ?? '/tmp/transferlens-workbench-results',
  use: { ...base.use, baseURL: `http://localhost:${port}` },
  webServer: { ...base.webServer, command: `npx vite preview --port ${port} --strictPort`, url: `http://localhost:${port}` },
});
