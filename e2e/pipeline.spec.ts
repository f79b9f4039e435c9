// E2E (issue 4 "Done when"): the analysis worker in the production build gives the CLI's numbers (same seed,
// WASM provider), records its provider, reads NRRD/MHA/DICOM through itk-wasm from our origin, runs WebGPU.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTarget } from '../test/support/syntheticTarget.ts';
import { runStudy } from '../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../src/adapters/nodePorts.ts';
import { GRID, b64, explicitConvModel, gridVoxels, guardContext, handWrittenMha, handWrittenNrrd, launchApp, watchPage, type Guard } from './pipelineSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODELS = join(ROOT, 'test', 'fixtures', 'models');
const manifest = (id: string) => JSON.parse(readFileSync(join(MODELS, `${id}.json`), 'utf8'));
const modelB64 = (id: string) => b64(readFileSync(join(MODELS, `${id}.onnx`)), `${id}.onnx`);

type Score = { value: number | null; ci: [number, number] | null; rank: number | null };
type ModelReport = { id: string; provider: string; sha256: string; seconds: number; scores: Record<string, Score> };
type Study = { target: string; models: ModelReport[] };

// The first worker call compiles ORT's 28 MB wasm, and SwiftShader WebGPU is slow: allow more than the default.
test.describe.configure({ timeout: 240_000 });

const note = (type: string, description: string) => {
  test.info().annotations.push({ type, description });
  console.log(`${type}: ${description}`);
};

let guard: Guard;
test.beforeEach(async ({ page, context }) => {
  guard = await guardContext(context);
  watchPage(page, guard);
  await page.goto('/');
  await page.waitForFunction(() => window.__transferlens !== undefined);
});
test.afterEach(() => {
  expect(guard.offOrigin).toEqual([]);
  expect(guard.consoleErrors).toEqual([]);
  expect(guard.pageErrors).toEqual([]);
});

function close(a: number | null, b: number | null, rel = 1e-5): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
}

/** Every score, interval and rank of `web` against `ref` (same models, same keys), to 1e-5 relative. */
function compareStudies(web: Study, ref: Study): { mismatches: string[]; keys: number } {
  expect(web.models.map((m) => m.id)).toEqual(ref.models.map((m) => m.id));
  const mismatches: string[] = [];
  let keys = 0;
  for (const [i, m] of web.models.entries()) {
    const c = ref.models[i];
    expect(m.provider).toBe('wasm');
    expect(m.sha256).toBe(c.sha256);
    expect(Object.keys(m.scores).sort()).toEqual(Object.keys(c.scores).sort());
    for (const [k, s] of Object.entries(m.scores)) {
      keys++;
      const cs = c.scores[k];
      if (!close(s.value, cs.value)) mismatches.push(`${m.id} ${k}: web ${s.value} ref ${cs.value}`);
      if (!close(s.ci?.[0] ?? null, cs.ci?.[0] ?? null) || !close(s.ci?.[1] ?? null, cs.ci?.[1] ?? null)) mismatches.push(`${m.id} ${k} ci: web ${s.ci} ref ${cs.ci}`);
      if (s.rank !== cs.rank) mismatches.push(`${m.id} ${k} rank: web ${s.rank} ref ${cs.rank}`);
    }
  }
  return { mismatches, keys };
}

/** The CLI (`bin/transferlens rank --seed 0`) on the same synthetic target and tiny models, as a child process. */
function cliStudy(image: Uint8Array, label: Uint8Array, classes: string[]): Study {
  const dir = mkdtempSync(join(tmpdir(), 'tl-e2e-'));
  try {
    writeFileSync(join(dir, 'synth.nii.gz'), image);
    writeFileSync(join(dir, 'synth_label.nii.gz'), label);
    execFileSync(join(ROOT, 'bin', 'transferlens'), ['rank', '--models', join(MODELS, 'tiny_a.onnx'), join(MODELS, 'tiny_b.onnx'),
      '--images', join(dir, 'synth.nii.gz'), '--labels', join(dir, 'synth_label.nii.gz'), '--classes', classes.join(','),
      '--seed', '0', '--quiet', '--out', join(dir, 'report.json')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).studies[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the worker study on the WASM provider equals the CLI report to 1e-5, and progress reaches the page', async ({ page }) => {
  const t = syntheticTarget();
  const cli = cliStudy(t.image, t.label, t.classNames);
  // The CLI's defaults (src/cli/rankCommand.ts): slice cases along axis 2, official sampling, 200 resamples.
  const spec = {
    target: { id: 'synth', image: [b64(t.image, 'synth.nii.gz')], label: [b64(t.label, 'synth_label.nii.gz')], classNames: t.classNames, axis: 2 },
    models: ['tiny_a', 'tiny_b'].map((id) => ({ manifest: manifest(id), file: modelB64(id) })),
    seed: 0, caseUnit: 'slice', slabSize: 4, sampling: 'official', bootstrapResamples: 200, embeddingPoints: 2000,
  };
  const warmUpSeconds = await page.evaluate(() => window.__transferlens!.warmUp());
  expect(warmUpSeconds).toBeGreaterThan(0);
  note('timing', `worker spawn + ORT wasm compile (warm-up): ${warmUpSeconds!.toFixed(2)} s`);
  const r = await page.evaluate((s) => window.__transferlens!.runStudy(s as never, { providers: 'wasm' }), spec);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const web = r.report as unknown as Study;
  expect(web.target).toBe(cli.target);
  expect(web.models.map((m) => m.id)).toEqual(cli.models.map((m) => m.id));
  const { mismatches, keys } = compareStudies(web, cli);
  expect(keys).toBeGreaterThan(20);
  expect(mismatches).toEqual([]);
  expect(r.events.progress ?? 0).toBeGreaterThan(0);
  expect(r.events['model-scored']).toBe(2);
  const cliSeconds = cli.models.reduce((a, m) => a + m.seconds, 0);
  note('timing', `browser worker study, first after warm-up ${r.workerSeconds.toFixed(2)} s (page ${r.pageSeconds.toFixed(2)} s; per model ${web.models.map((m) => m.seconds.toFixed(2)).join(', ')}); CLI per model ${cli.models.map((m) => m.seconds.toFixed(2)).join(', ')} (sum ${cliSeconds.toFixed(2)} s)`);
  // A second run in the same worker: ORT is compiled and warm, which is the fair comparison with the CLI.
  const warm = await page.evaluate((s) => window.__transferlens!.runStudy(s as never, { providers: 'wasm' }), spec);
  if (!warm.ok) throw new Error(warm.error.message);
  expect((warm.report as unknown as Study).models.map((m) => m.scores)).toEqual(web.models.map((m) => m.scores));
  note('timing', `browser worker study, warm worker: ${warm.workerSeconds.toFixed(2)} s (per model ${(warm.report as unknown as Study).models.map((m) => m.seconds.toFixed(2)).join(', ')})`);
  const probe = await page.evaluate(() => window.__transferlens!.probe());
  note('environment', JSON.stringify(probe));
  expect(probe.crossOriginIsolated).toBe(true);
});

test('a 3-D model run by roi tiles in the worker gives the Node library numbers (same seed, WASM)', async ({ page }) => {
  const t = syntheticTarget({ nx: 12, ny: 12, nz: 12 });
  const common = { seed: 0, caseUnit: 'slab', slabSize: 4, sampling: 'official', bootstrapResamples: 50, embeddingPoints: 10, roiSize: [8, 8, 8], caps: { dec0: 20, dec1: 20 } } as const;
  const target = { id: 'synth3d', classNames: t.classNames, axis: 2 as const };
  const node = await runStudy({
    ...common, caps: { ...common.caps }, roiSize: [...common.roiSize],
    target: { ...target, image: [{ name: 'synth3d.nii.gz', bytes: t.image }], label: [{ name: 'synth3d_label.nii.gz', bytes: t.label }] },
    models: [{ manifest: manifest('tiny3d'), file: { name: 'tiny3d.onnx', bytes: new Uint8Array(readFileSync(join(MODELS, 'tiny3d.onnx'))) } }],
  }, nodePorts());
  await page.evaluate(() => window.__transferlens!.warmUp()); // time the study, not ORT's compile
  const r = await page.evaluate((s) => window.__transferlens!.runStudy(s as never, { providers: 'wasm' }), {
    ...common, target: { ...target, image: [b64(t.image, 'synth3d.nii.gz')], label: [b64(t.label, 'synth3d_label.nii.gz')] },
    models: [{ manifest: manifest('tiny3d'), file: modelB64('tiny3d') }],
  });
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  const web = r.report as unknown as Study & { models: { windows?: unknown }[] };
  const { mismatches, keys } = compareStudies(web, node as unknown as Study);
  expect(keys).toBeGreaterThan(10);
  expect(mismatches).toEqual([]);
  expect(web.models[0].windows).toEqual(node.models[0].windows);
  note('timing', `3-D study (12³, roi 8³): browser worker ${r.workerSeconds.toFixed(2)} s, Node library ${node.models[0].seconds.toFixed(2)} s; windows ${JSON.stringify(node.models[0].windows)}`);
});

test('a cooperative cancel stops the study with a typed "cancelled" error and the worker stays usable', async ({ page }) => {
  const t = syntheticTarget();
  const spec = {
    target: { id: 'synth', image: [b64(t.image, 'synth.nii.gz')], label: [b64(t.label, 'synth_label.nii.gz')], classNames: t.classNames, axis: 2 },
    models: ['tiny_a', 'tiny_b', 'tiny_a', 'tiny_b'].map((id) => ({ manifest: manifest(id), file: modelB64(id) })),
    seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 200, embeddingPoints: 100,
  };
  const r = await page.evaluate((s) => window.__transferlens!.cancelStudy(s as never, 300, 20_000, { providers: 'wasm' }), spec);
  expect(r).toEqual({ how: 'cooperative', outcome: 'cancelled' });
  const again = await page.evaluate(() => window.__transferlens!.probe());
  expect(again.crossOriginIsolated).toBe(true);
  // Hard fallback: with no grace the worker is terminated at once; the next call spawns a fresh one.
  const hard = await page.evaluate((s) => window.__transferlens!.cancelStudy(s as never, 300, 0, { providers: 'wasm' }), spec);
  expect(hard).toEqual({ how: 'terminated', outcome: 'cancelled' });
  const fresh = await page.evaluate((s) => window.__transferlens!.runStudy({ ...(s as object), models: (s as { models: unknown[] }).models.slice(0, 1) } as never, { providers: 'wasm' }), spec);
  expect(fresh.ok).toBe(true);
});

test('itk-wasm in the worker reads hand-written MetaImage and NRRD files with their geometry', async ({ page }) => {
  const voxels = gridVoxels();
  const sum = voxels.reduce((a, b) => a + b, 0);
  for (const [name, bytes] of [['grid.mha', handWrittenMha()], ['grid.nrrd', handWrittenNrrd()]] as const) {
    const v = await page.evaluate((f) => window.__transferlens!.readVolume([f]), b64(bytes, name));
    if (!v.ok) throw new Error(`${name}: ${v.error.code}: ${v.error.message}`);
    expect(v.size, name).toEqual(GRID.size);
    expect(v.spacing, name).toEqual(GRID.spacing);
    expect(v.origin, name).toEqual(GRID.origin);
    expect(v.direction.map((d) => d + 0), name).toEqual(GRID.direction);
    expect(v.dataType, name).toBe('Int16Array');
    expect(v.length, name).toBe(voxels.length);
    expect(v.sum, name).toBe(sum);
    expect(v.first, name).toEqual(Array.from(voxels.subarray(0, 8)));
  }
  const bad = await page.evaluate((f) => window.__transferlens!.readVolume([f]), b64(new TextEncoder().encode('hello'), 'notes.txt'));
  expect(bad.ok).toBe(false);
  if (!bad.ok) expect(bad.error).toMatchObject({ code: 'unsupported', message: expect.stringContaining('notes.txt') });
});

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
test('itk-wasm in the worker reads a single DICOM file and a DICOM series (pydicom test data)', async ({ page }) => {
  test.skip(!existsSync(join(PYDICOM, 'CT_small.dcm')), 'Debian python3-pydicom test files are not installed');
  const one = await page.evaluate((f) => window.__transferlens!.readVolume([f]), b64(readFileSync(join(PYDICOM, 'CT_small.dcm')), 'CT_small.dcm'));
  if (!one.ok) throw new Error(`${one.error.code}: ${one.error.message}`);
  expect(one.size).toEqual([128, 128, 1]);
  const dir = join(PYDICOM, 'dicomdirtests', '98892001', 'CT5N');
  const files = readdirSync(dir).sort().reverse().map((f) => b64(readFileSync(join(dir, f)), f)); // reversed: GDCM must sort
  const series = await page.evaluate((fs) => window.__transferlens!.readVolume(fs), files);
  if (!series.ok) throw new Error(`${series.error.code}: ${series.error.message}`);
  expect(series.size).toEqual([16, 16, 5]);
  expect(series.spacing[2]).toBeCloseTo(2.5, 6);
});

test('WebGPU (SwiftShader, --enable-unsafe-webgpu) runs a tiny model and agrees with WASM; parity check', async ({ page }) => {
  const probe = await page.evaluate(() => window.__transferlens!.probe());
  expect(probe.webgpuAdapter).toBe(true);
  const bytes = explicitConvModel();
  test.skip(bytes === null, 'Debian python3-onnx is needed to build the model');
  const model = b64(bytes!, 'tiny_explicit.onnx');
  const input = { image: { dims: [1, 1, 16, 16], data: Array.from({ length: 256 }, (_, i) => ((i * 7) % 16) / 16) } };
  const gpu = await page.evaluate(([m, f]) => window.__transferlens!.runModel(m, f, 'auto'), [model, input] as const);
  const cpu = await page.evaluate(([m, f]) => window.__transferlens!.runModel(m, f, 'wasm'), [model, input] as const);
  if (!gpu.ok || !cpu.ok) throw new Error(JSON.stringify([gpu, cpu]).slice(0, 2000));
  expect(gpu.provider).toBe('webgpu');
  expect(gpu.providerNote).toBeUndefined();
  expect(cpu.provider).toBe('wasm');
  for (const k of ['logits', 'dec0', 'dec1']) {
    expect(gpu.outputs[k].dims).toEqual(cpu.outputs[k].dims);
    const diff = Math.max(...gpu.outputs[k].data.map((x, i) => Math.abs(x - cpu.outputs[k].data[i])));
    expect(diff, k).toBeLessThan(1e-4);
  }
  const man = { ...manifest('tiny_a'), id: 'tiny_explicit' };
  const parity = await page.evaluate(([m, f]) => window.__transferlens!.parity(m, f), [man, model] as const);
  if (!parity.ok || !parity.parity) throw new Error(JSON.stringify(parity));
  expect(parity.parity.inputDims).toEqual([1, 1, 32, 32]);
  expect(Object.keys(parity.parity.maxAbsDiff).sort()).toEqual(['dec0', 'dec1', 'logits']);
  for (const d of Object.values(parity.parity.maxAbsDiff)) expect(d).toBeLessThan(1e-4);
  expect(parity.parity.argmaxAgreement).toBeGreaterThan(0.99);
  // The same check inside a study (WASM study, parity through both providers), returned next to the report.
  const t = syntheticTarget();
  const study = await page.evaluate((s) => window.__transferlens!.runStudy(s as never, { providers: 'wasm', parity: true }), {
    target: { id: 'synth', image: [b64(t.image, 'synth.nii.gz')], label: [b64(t.label, 'synth_label.nii.gz')], classNames: t.classNames, axis: 2 },
    models: [{ manifest: man, file: model }], seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 20, embeddingPoints: 20,
  });
  if (!study.ok) throw new Error(study.error.message);
  expect((study.report as unknown as Study).models[0].provider).toBe('wasm');
  expect(study.parity?.tiny_explicit).toMatchObject({ argmaxAgreement: 1, logitsName: 'logits' });
  note('timing', `webgpu create ${gpu.seconds.create.toFixed(2)} s run ${gpu.seconds.run.toFixed(2)} s; wasm create ${cpu.seconds.create.toFixed(2)} s run ${cpu.seconds.run.toFixed(3)} s; parity ${JSON.stringify(parity.parity)}`);
});

test('the fixture model (attribute-less Conv) on "auto": WebGPU or a recorded fallback to WASM, right numbers either way', async ({ page }) => {
  // ORT-web 1.30's JSEP Conv has failed on this model's attribute-less 1×1 Conv ("dilations should be 2D") when the
  // WebGPU session was the worker's first ORT session, and run fine after a WASM warm-up: both paths must be right.
  const input = { image: { dims: [1, 1, 16, 16], data: Array.from({ length: 256 }, (_, i) => ((i * 7) % 16) / 16) } };
  const auto = await page.evaluate(([m, f]) => window.__transferlens!.runModel(m, f, 'auto'), [modelB64('tiny_a'), input] as const);
  const cpu = await page.evaluate(([m, f]) => window.__transferlens!.runModel(m, f, 'wasm'), [modelB64('tiny_a'), input] as const);
  if (!auto.ok || !cpu.ok) throw new Error(JSON.stringify([auto, cpu]).slice(0, 2000));
  note('provider', `tiny_a on auto: ${auto.provider}${auto.providerNote ? ` (${auto.providerNote})` : ''}`);
  if (auto.provider === 'wasm') {
    expect(auto.providerNote).toContain('WebGPU failed on this model');
    expect(auto.outputs.logits.data).toEqual(cpu.outputs.logits.data);
    // ORT logs the failed JSEP kernel itself; that one expected line is all the console may hold.
    expect(guard.consoleErrors.every((m) => /Failed to run JSEP kernel/.test(m))).toBe(true);
    guard.consoleErrors.length = 0;
  } else {
    expect(auto.provider).toBe('webgpu');
    expect(auto.providerNote).toBeUndefined();
    for (const k of ['logits', 'dec0', 'dec1']) {
      const diff = Math.max(...auto.outputs[k].data.map((x, i) => Math.abs(x - cpu.outputs[k].data[i])));
      expect(diff, k).toBeLessThan(1e-4);
    }
  }
});

test('without --enable-unsafe-webgpu there is no adapter and the auto provider falls back to WASM', async ({ baseURL }) => {
  const { browser, open } = await launchApp(false, baseURL);
  try {
    const { page, guard: g } = await open();
    const probe = await page.evaluate(() => window.__transferlens!.probe());
    expect(probe.webgpuAdapter).toBe(false);
    const input = { image: { dims: [1, 1, 16, 16], data: Array.from({ length: 256 }, () => 0.5) } };
    const r = await page.evaluate(([m, f]) => window.__transferlens!.runModel(m, f, 'auto'), [modelB64('tiny_a'), input] as const);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.provider).toBe('wasm');
    expect(g).toEqual({ offOrigin: [], consoleErrors: [], pageErrors: [] });
  } finally {
    await browser.close();
  }
});
