// E2E of the fine-tuning worker's WebGPU backend (issue 8): with --enable-unsafe-webgpu (SwiftShader, a software
// adapter, so WebGPU must be asked for) the worker self-tests tfjs WebGPU against wasm, picks it, trains the tiny U-Net
// fixture for a few steps with the wasm run's losses, and the lab shows the backend and the self-test result; without
// the flag there is no adapter and the worker, and the lab, say wasm with the reason 'no adapter'.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { guardContext, watchPage, type Guard } from './pipelineSupport.ts';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/finetune/', import.meta.url));
const ITERATIONS = 3;

// Both backends compute in float32 from the same weights and batches; the self-test measured their gradients within
// ~1e-6 of each layer's largest (printed). Adam's first steps move each weight by ≈ lr·sign(g), so a loss after 1–2
// updates inherits only that relative noise, except conv biases in front of BatchNorm, whose true gradient is 0 and
// whose noise Adam turns into ±lr steps on either side, but train-mode BatchNorm subtracts them again. 1e-4 relative
// leaves room for that; a wrong kernel moves the loss by far more. Dice (eval mode, 2 held-out 32×32 cases, running
// statistics that do see those biases) may flip a few near-tie pixels: 0.02 absolute.
const LOSS_REL = 1e-4;
const DICE_ABS = 0.02;

test.describe.configure({ timeout: 600_000 });

function tinyJob() {
  const ref = JSON.parse(readFileSync(FIXTURE + 'tiny_unet_ref.json', 'utf8')) as { shape: number[]; x: string; xVal: string; y: number[]; yVal: number[] };
  const f32 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))); };
  const [n, , h, w] = ref.shape;
  return {
    onnx: { name: 'tiny_unet.onnx', base64: readFileSync(FIXTURE + 'tiny_unet.onnx').toString('base64') }, logitsName: 'logits',
    data: { images: [...f32(ref.x), ...f32(ref.xVal)], labels: [...ref.y, ...ref.yVal], n: 2 * n, h, w },
    train: [0, 1], test: [2, 3],
    options: { scheme: 'constant' as const, optimizer: 'adam' as const, lr: 1e-3, loss: 'ce' as const, iterations: ITERATIONS, batch: 2, seed: 0 },
  };
}

async function launch(webgpu: boolean, baseURL: string | undefined): Promise<{ browser: Browser; open: () => Promise<{ page: Page; guard: Guard }> }> {
  const o = test.info().project.use.launchOptions ?? {};
  const args = (o.args ?? []).filter((a) => a !== '--enable-unsafe-webgpu').concat(webgpu ? ['--enable-unsafe-webgpu'] : []);
  const browser = await chromium.launch({ ...o, args });
  const open = async () => {
    const context = await browser.newContext({ baseURL });
    const guard = await guardContext(context);
    const page = await context.newPage();
    watchPage(page, guard);
    await page.goto('/');
    await page.waitForFunction(() => window.__transferlens !== undefined);
    return { page, guard };
  };
  return { browser, open };
}

type Job = ReturnType<typeof tinyJob>;
const runTiny = (page: Page, job: Job) => page.evaluate(async (j) => {
  const r = await window.__transferlens!.finetune.run(j);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r;
}, job);

/** Starts the lab on the demo bank (1 iteration, batch 2) and waits until it shows its backend; the run is left going. */
async function labBackend(page: Page) {
  await page.getByTestId('load-demo').click();
  await expect(page.locator('[data-testid="model-item"][data-status="ok"]').first()).toBeVisible({ timeout: 180_000 });
  await expect(page.locator('[data-testid="target-item"][data-status="ok"]').first()).toBeVisible({ timeout: 180_000 });
  const lab = page.getByTestId('finetune-lab');
  await expect(lab.getByTestId('start-finetune')).toBeVisible({ timeout: 60_000 });
  await lab.getByTestId('lab-iterations').fill('1');
  await lab.getByTestId('lab-batch').fill('2');
  await lab.getByTestId('start-finetune').click();
  await expect(lab).not.toHaveAttribute('data-backend', '', { timeout: 300_000 });
  return { backend: await lab.getAttribute('data-backend'), webgpu: await lab.getAttribute('data-webgpu'), status: await lab.getByTestId('lab-status').textContent() };
}

test('WebGPU (SwiftShader) asked for: passes the self-test, is picked, and trains the tiny U-Net with the wasm losses; the lab shows it', async ({ baseURL }) => {
  const job = tinyJob();
  const { browser, open } = await launch(true, baseURL);
  try {
    const gpu = await open();
    expect(await gpu.page.evaluate(() => window.__transferlens!.finetune.prefer('webgpu'))).toBe(true);
    const t0 = Date.now();
    const info = await gpu.page.evaluate(() => window.__transferlens!.finetune.backendInfo());
    console.log(`worker backend ${JSON.stringify(info)} (engine start + self-test ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    expect(info.backend).toBe('webgpu');
    expect(String(info.webgpu)).toMatch(/^passed self-test \(max \|Δ\| /);
    expect(String(info.adapter)).toMatch(/swiftshader/i);
    const g = await runTiny(gpu.page, job);
    expect(g.provenance.backend).toBe('webgpu');
    expect(g.provenance.webgpu).toBe(info.webgpu);

    // The same job on wasm in a fresh page (a new worker; WebGPU skipped on request).
    const cpu = await open();
    expect(await cpu.page.evaluate(() => window.__transferlens!.finetune.prefer('wasm'))).toBe(true);
    const c = await runTiny(cpu.page, job);
    expect(c.provenance.backend).toBe('wasm');
    expect(c.provenance.webgpu).toBe('not tried (wasm requested)');

    expect(g.loss).toHaveLength(ITERATIONS);
    const lossDev = Math.max(...g.loss.map((l, i) => Math.abs(l - c.loss[i]) / Math.abs(c.loss[i])));
    console.log(`tiny U-Net 32×32, batch 2, ${ITERATIONS} Adam steps: webgpu losses ${g.loss.join(', ')} vs wasm ${c.loss.join(', ')} (max rel ${lossDev.toExponential(2)}); Dice ${g.dice} vs ${c.dice}; s/step webgpu ${(g.seconds.at(-1)! / ITERATIONS).toFixed(2)}, wasm ${(c.seconds.at(-1)! / ITERATIONS).toFixed(2)}`);
    expect(lossDev).toBeLessThan(LOSS_REL);
    expect(Math.abs(g.dice - c.dice)).toBeLessThan(DICE_ABS);

    // The lab of the WebGPU page shows the backend and the self-test (its demo run is not waited for).
    const shown = await labBackend(gpu.page);
    expect(shown.backend).toBe('webgpu');
    expect(shown.webgpu).toBe(info.webgpu);
    expect(shown.status).toContain(`Backend: webgpu (WebGPU: ${String(info.webgpu)})`);
    for (const x of [gpu, cpu]) {
      expect(x.guard.offOrigin).toEqual([]);
      expect(x.guard.pageErrors).toEqual([]);
    }
  } finally {
    await browser.close();
  }
});

test('without --enable-unsafe-webgpu: no adapter, wasm, and the lab says why', async ({ baseURL }) => {
  const { browser, open } = await launch(false, baseURL);
  try {
    const { page, guard } = await open();
    // Even asked for, WebGPU cannot be used without an adapter.
    expect(await page.evaluate(() => window.__transferlens!.finetune.prefer('webgpu'))).toBe(true);
    expect(await page.evaluate(() => window.__transferlens!.finetune.backendInfo())).toEqual({ backend: 'wasm', webgpu: 'no adapter' });
    const shown = await labBackend(page);
    expect(shown).toMatchObject({ backend: 'wasm', webgpu: 'no adapter' });
    expect(shown.status).toContain('Backend: wasm (WebGPU: no adapter).');
    expect(guard.offOrigin).toEqual([]);
    expect(guard.pageErrors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('with the flag but not asked for: the software adapter is not used', async ({ baseURL }) => {
  const { browser, open } = await launch(true, baseURL);
  try {
    const { page } = await open();
    const info = await page.evaluate(() => window.__transferlens!.finetune.backendInfo());
    expect(info.backend).toBe('wasm');
    expect(String(info.webgpu)).toMatch(/^software adapter \(.*swiftshader.*\): not used, wasm is faster$/i);
  } finally {
    await browser.close();
  }
});
