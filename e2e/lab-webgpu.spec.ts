// E2E of the fine-tuning worker's WebGPU backend (issue 8): with --enable-unsafe-webgpu (SwiftShader, a software
// adapter, so WebGPU must be asked for) the worker self-tests tfjs WebGPU against wasm, picks it, trains the tiny U-Net
// fixture for a few steps with the wasm run's losses, risk maps and exported weights, and the lab shows the backend
// and the self-test result; without the flag there is no adapter and the worker, and the lab, say wasm with
// 'no adapter'.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseOnnx } from '../src/core/finetune/onnxGraph.ts';
import { launchApp } from './pipelineSupport.ts';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/finetune/', import.meta.url));
const ITERATIONS = 3, LR = 1e-3;

// Both backends compute in float32 from the same weights and batches; the self-test measured their gradients within
// ~1e-6 of each layer's largest (printed). Adam's first steps move each weight by ≈ lr·sign(g), so a loss after 1–2
// updates inherits only that relative noise, except conv biases in front of BatchNorm, whose true gradient is 0 and
// whose noise Adam turns into ±lr steps on either side, but train-mode BatchNorm subtracts them again. 1e-4 relative
// leaves room for that; a wrong kernel moves the loss by far more. Dice (eval mode, 2 held-out 32×32 cases, running
// statistics that do see those biases) may flip a few near-tie pixels: 0.02 absolute.
const LOSS_REL = 1e-4;
const DICE_ABS = 0.02;
// The exported weights: each Adam step moves a weight by about lr at most, so weights whose gradient is rounding noise
// (those conv biases) may end up to 2·lr·steps apart; a failed or garbled read (zeros, NaN) would be far off. The
// mean transfer risk before/after (eval passes over the held-out cases) gets the Dice reasoning: 1e-3 relative.
const WEIGHT_ABS = 2 * LR * ITERATIONS;
const RISK_REL = 1e-3;

test.describe.configure({ timeout: 600_000 });

function tinyJob() {
  const ref = JSON.parse(readFileSync(FIXTURE + 'tiny_unet_ref.json', 'utf8')) as { shape: number[]; x: string; xVal: string; y: number[]; yVal: number[] };
  const f32 = (b64: string) => { const b = Buffer.from(b64, 'base64'); return Array.from(new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength))); };
  const [n, , h, w] = ref.shape;
  return {
    onnx: { name: 'tiny_unet.onnx', base64: readFileSync(FIXTURE + 'tiny_unet.onnx').toString('base64') }, logitsName: 'logits',
    data: { images: [...f32(ref.x), ...f32(ref.xVal)], labels: [...ref.y, ...ref.yVal], n: 2 * n, h, w },
    train: [0, 1], test: [2, 3],
    options: { scheme: 'constant' as const, optimizer: 'adam' as const, lr: LR, loss: 'ce' as const, iterations: ITERATIONS, batch: 2, seed: 0 },
    riskMaps: true, exportOnnx: true, // as the lab asks: the export reads the weights synchronously (dataSync)
  };
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
  // the first demo target's default split (the bank's train_slices, some without foreground) is accepted as it is
  await expect(lab.getByTestId('lab-train-slices')).not.toHaveValue('');
  await expect(lab.getByTestId('lab-split-error')).toHaveCount(0);
  await lab.getByTestId('start-finetune').click();
  await expect(lab).not.toHaveAttribute('data-backend', '', { timeout: 300_000 });
  return { backend: await lab.getAttribute('data-backend'), webgpu: await lab.getAttribute('data-webgpu'), status: await lab.getByTestId('lab-status').textContent() };
}

test('WebGPU (SwiftShader) asked for: passes the self-test, is picked, and trains the tiny U-Net with the wasm losses; the lab shows it', async ({ baseURL }) => {
  const job = tinyJob();
  const { browser, open } = await launchApp(true, baseURL);
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
    console.log(`tiny U-Net 32×32, batch 2, ${ITERATIONS} Adam steps: webgpu losses ${g.loss.join(', ')} vs wasm ${c.loss.join(', ')} (max rel ${lossDev.toExponential(2)}); Dice ${g.dice} vs ${c.dice}; s to step ${ITERATIONS} incl. set-up webgpu ${g.seconds.at(-1)!.toFixed(1)}, wasm ${c.seconds.at(-1)!.toFixed(1)}; last step webgpu ${(g.seconds.at(-1)! - g.seconds.at(-2)!).toFixed(2)} s, wasm ${(c.seconds.at(-1)! - c.seconds.at(-2)!).toFixed(2)} s`);
    expect(lossDev).toBeLessThan(LOSS_REL);
    expect(Math.abs(g.dice - c.dice)).toBeLessThan(DICE_ABS);
    for (const k of ['meanBefore', 'meanAfter'] as const) expect(Math.abs(g.risk![k] - c.risk![k]) / c.risk![k], k).toBeLessThan(RISK_REL);
    console.log(`mean risk before ${g.risk!.meanBefore} vs ${c.risk!.meanBefore}, after ${g.risk!.meanAfter} vs ${c.risk!.meanAfter}`);
    // The export reads the weights synchronously: the worker keeps them on the CPU after each WebGPU step.
    const [wg, wc] = [g, c].map((r) => parseOnnx(new Uint8Array(Buffer.from(r.onnxBase64!, 'base64'))).params);
    expect([...wg.keys()]).toEqual([...wc.keys()]);
    let wDev = 0;
    for (const [name, p] of wc) wg.get(name)!.data.forEach((v, i) => { wDev = Math.max(wDev, Number.isNaN(v) ? Infinity : Math.abs(v - p.data[i])); });
    console.log(`exported weights max |Δ| ${wDev.toExponential(2)}`);
    expect(wDev).toBeLessThan(WEIGHT_ABS);

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
  const { browser, open } = await launchApp(false, baseURL);
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
  const { browser, open } = await launchApp(true, baseURL);
  try {
    const { page } = await open();
    const info = await page.evaluate(() => window.__transferlens!.finetune.backendInfo());
    expect(info.backend).toBe('wasm');
    expect(String(info.webgpu)).toMatch(/^software adapter \(.*swiftshader.*\): not used, wasm is faster$/i);
  } finally {
    await browser.close();
  }
});
