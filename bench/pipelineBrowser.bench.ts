// Issue 4's side-by-side figure: the same study (a real demo U-Net on a real demo target, 10 slice cases, feature
// extraction + scoring) in the browser's analysis worker (WASM provider, headless Debian Chromium, production
// build served by `vite preview`) and in Node (onnxruntime-node), in one run. Needs `npm run build` first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { BenchCase } from './types.ts';
import { runStudy, type StudySpec } from '../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../src/adapters/nodePorts.ts';

const ROOT = join(import.meta.dirname, '..');
const DEMO = join(ROOT, 'public', 'demo');
const MODEL = 'colin_t1_ax_brain', TARGET = 'subj2_t1_cor_brain', PORT = 4187;
const ready = existsSync(join(ROOT, 'dist', 'index.html')) && existsSync(join(DEMO, 'models', `${MODEL}.json`));

interface Ctx { server: ChildProcess; browser: Browser; page: Page; spec: StudySpec; payload: unknown }

async function setup(): Promise<Ctx> {
  const manifest = JSON.parse(readFileSync(join(DEMO, 'models', `${MODEL}.json`), 'utf8'));
  const t = JSON.parse(readFileSync(join(DEMO, 'targets', TARGET, 'target.json'), 'utf8'));
  const file = (p: string, name: string) => ({ name, bytes: new Uint8Array(readFileSync(p)) });
  const spec: StudySpec = {
    target: { id: t.id, classNames: t.class_names, axis: t.slice_axis, sliceIndices: t.train_slices,
      image: [file(join(DEMO, 'targets', TARGET, 'image.nii.gz'), 'image.nii.gz')], label: [file(join(DEMO, 'targets', TARGET, 'label.nii.gz'), 'label.nii.gz')] },
    models: [{ manifest, file: file(join(DEMO, 'models', `${MODEL}.onnx`), `${MODEL}.onnx`) }],
    seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 0, embeddingPoints: 100,
  };
  const b64 = (f: { name: string; bytes: Uint8Array }) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') });
  const payload = { ...spec, target: { ...spec.target, image: spec.target.image.map(b64), label: spec.target.label.map(b64) }, models: spec.models.map((m) => ({ manifest: m.manifest, file: b64(m.file) })) };
  const server = spawn(join(ROOT, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 3000));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  await page.goto(`http://localhost:${PORT}/`);
  await page.waitForFunction(() => (window as unknown as { __transferlens?: unknown }).__transferlens !== undefined, null, { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as { __transferlens: { warmUp(): Promise<unknown> } }).__transferlens.warmUp());
  return { server, browser, page, spec, payload };
}

async function sideBySide(c: Ctx): Promise<void> {
  const t0 = performance.now();
  await runStudy(c.spec, nodePorts());
  const node = (performance.now() - t0) / 1000;
  const r = await c.page.evaluate((s) => (window as unknown as { __transferlens: { runStudy(s: unknown, o: unknown): Promise<{ ok: boolean; workerSeconds?: number }> } }).__transferlens.runStudy(s, { providers: 'wasm' }), c.payload);
  const browser = r.workerSeconds ?? NaN;
  process.stderr.write(`  browser worker (wasm) ${browser.toFixed(2)} s vs node ${node.toFixed(2)} s for 10 slice cases: browser throughput = ${(node / browser).toFixed(2)} × node's (target ≥ 0.5)\n`);
}

export const cases: BenchCase[] = ready ? [{
  name: `study in the browser worker vs node, side by side (${MODEL} on ${TARGET})`,
  params: { cases: 10, resamples: 0 },
  setup,
  run: (c) => sideBySide(c as Ctx),
  teardown: async (c) => {
    const ctx = c as Ctx;
    await ctx.browser.close();
    ctx.server.kill();
  },
  repeats: 2,
}] : [];
if (!ready) process.stderr.write('bench/pipelineBrowser.bench.ts: skipped (run `npm run build` first; needs the demo bank)\n');
