// E2E of the embedded default job (issue 5 items 10, 11): `?demo=1` loads the demo bank and runs the study; the
// ranking rows and the exported report equal the CLI's report on the same target and seed (WASM provider);
// the views (TE vs Dice with its validation table, t-SNE, risk map) come up; no request leaves the origin.
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { useGuard } from './pipelineSupport.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_TARGET = process.env.TL_E2E_TARGET ?? 'subj2_t1_cor_wm';

type Score = { value: number | null; ci: [number, number] | null; rank: number | null };
type Iv = { value: number | null; ci: [number, number] | null };
type Validation = { noise_ceiling: Iv; random_tau_p95: { value: number | null }; estimators: Record<string, { weighted_kendall_tau: Iv; pearson: Iv; top1_regret: Iv }> };
type Study = { target: string; models: { id: string; provider: string; seconds: number; scores: Record<string, Score> }[]; correlation?: Record<string, { weighted_kendall_tau: Score; pearson: Score }>; recommendation?: { estimator: string; top: string | null } };

test.describe.configure({ timeout: 900_000 });

useGuard();

const note = (type: string, description: string) => {
  test.info().annotations.push({ type, description });
  console.log(`${type}: ${description}`);
};

// The CLI runs the models with onnxruntime-node, the browser with onnxruntime-web's wasm build: float32 kernels
// that round differently, and CC-FV's Wasserstein terms amplify that on some models (measured on the demo: values
// within 2.3e-4 relative, interval bounds within 2.6e-3). Values must agree to 1e-3, bounds to 1e-2 (relative),
// ranks exactly; the measured maxima are printed.
const REL = 1e-3;
const REL_CI = 1e-2;
function relDev(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}
function close(a: number | null | undefined, b: number | null | undefined, rel = REL): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;
}

async function cliStudy(): Promise<{ study: Study; seconds: number; validation: Validation }> {
  const dir = mkdtempSync(join(tmpdir(), 'tl-wb-cli-'));
  try {
    const t0 = Date.now();
    const bin = join(ROOT, 'bin', 'transferlens');
    await promisify(execFile)(bin, ['rank', '--demo', '--target', DEMO_TARGET, '--seed', '0', '--quiet', '--out', join(dir, 'r.json')], { cwd: ROOT });
    const seconds = (Date.now() - t0) / 1000;
    // The CLI's validation of its own report against the demo's fine-tuned Dice (defaults: 200 resamples, seed 0).
    const v = await promisify(execFile)(bin, ['validate', '--report', join(dir, 'r.json'), '--dice', join(ROOT, 'public', 'demo', 'finetune-dice.json'), '--json'], { cwd: ROOT, maxBuffer: 1 << 26 });
    return { study: JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).studies[0], seconds, validation: JSON.parse(v.stdout).studies[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('?demo=1 runs the demo study; ranking and exported report equal the CLI on the same seed; views come up', async ({ page }) => {
  const cli = cliStudy(); // runs alongside the browser
  const t0 = Date.now();
  await page.goto(`/?demo=1&provider=wasm&target=${DEMO_TARGET}`);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 800_000 });
  const browserSeconds = (Date.now() - t0) / 1000;
  const runSeconds = Number(await page.getByTestId('run-seconds').getAttribute('data-seconds')).toFixed(1) + ' s';
  await expect(page.getByTestId('progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('provider')).toContainText('WASM');
  const { study: ref, seconds: cliSeconds, validation: cliValidation } = await cli;
  note('timing', `demo study ${DEMO_TARGET} (${ref.models.length} models): browser page load→done ${browserSeconds.toFixed(1)} s (run ${runSeconds}); CLI wall ${cliSeconds.toFixed(1)} s (sum of per-model ${ref.models.reduce((a, m) => a + m.seconds, 0).toFixed(1)} s); run concurrently on a shared 2-core machine`);

  // The recommendation: the same default estimator and top model as the CLI's report.
  const key = ref.recommendation!.estimator;
  await expect(page.getByTestId('recommendation')).toHaveAttribute('data-estimator', key);
  await expect(page.getByTestId('recommendation')).toHaveAttribute('data-top', ref.recommendation!.top ?? '');
  // "Fine-tune … in the lab": the lab's model is the recommended one once the study is done, and the button brings it
  // back after the user picked another (twice: each request counts, not only a changed id).
  const top = ref.recommendation!.top!;
  const labModel = page.getByTestId('finetune-lab').getByTestId('lab-model');
  await expect(labModel).toHaveValue(top);
  const other = (await labModel.locator('option').allTextContents()).find((x) => x !== top)!;
  for (let i = 0; i < 2; i++) {
    await labModel.selectOption(other);
    await expect(labModel).toHaveValue(other);
    await page.getByTestId('recommendation-to-lab').click();
    await expect(labModel).toHaveValue(top);
  }

  // The table: one row per model, sorted by the default estimator, values/ranks/intervals as the CLI's.
  const rows = page.getByTestId('ranking-row');
  await expect(rows).toHaveCount(ref.models.length);
  const shown = await rows.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-model-id')!, value: e.getAttribute('data-value'), rank: e.getAttribute('data-rank'), ci: e.getAttribute('data-ci') })));
  const byId = new Map(ref.models.map((m) => [m.id, m]));
  const expectedOrder = [...ref.models].sort((a, b) => (b.scores[key].value ?? -Infinity) - (a.scores[key].value ?? -Infinity)).map((m) => m.id);
  expect(shown.map((r) => r.id)).toEqual(expectedOrder);
  for (const r of shown) {
    const s = byId.get(r.id)!.scores[key];
    expect(close(Number(r.value), s.value), `${r.id} value ${r.value} vs ${s.value}`).toBe(true);
    expect(Number(r.rank)).toBe(s.rank);
    const [lo, hi] = r.ci!.split(',').map(Number);
    expect(close(lo, s.ci![0], REL_CI) && close(hi, s.ci![1], REL_CI), `${r.id} ci`).toBe(true);
  }

  // Sorting by another estimator reorders the rows by that estimator.
  await page.getByTestId('sort-key').selectOption('logme_fixed_point');
  const logmeOrder = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')));
  expect(logmeOrder).toEqual([...ref.models].sort((a, b) => (b.scores.logme_fixed_point.value ?? -Infinity) - (a.scores.logme_fixed_point.value ?? -Infinity)).map((m) => m.id));
  await rows.first().click();
  await expect(page.getByTestId('ccfv-layers')).toContainText('official');

  // The exported report: same schema as the CLI, every score of every model equal.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-report').click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.schema).toBe('transferlens-report');
  const web: Study = exported.studies[0];
  expect(web.target).toBe(ref.target);
  expect(web.models.map((m) => m.id)).toEqual(ref.models.map((m) => m.id));
  const mismatches: string[] = [];
  const rankDiffs: string[] = [];
  let maxDev = 0, maxCiDev = 0, values = 0;
  for (const [i, m] of web.models.entries()) {
    const c = ref.models[i];
    expect(Object.keys(m.scores).sort()).toEqual(Object.keys(c.scores).sort());
    for (const [k, s] of Object.entries(m.scores)) {
      const cs = c.scores[k];
      if (s.value !== null && cs.value !== null) { maxDev = Math.max(maxDev, relDev(s.value, cs.value)); values++; }
      if (s.ci && cs.ci) maxCiDev = Math.max(maxCiDev, relDev(s.ci[0], cs.ci[0]), relDev(s.ci[1], cs.ci[1]));
      if (!close(s.value, cs.value) || !close(s.ci?.[0], cs.ci?.[0], REL_CI) || !close(s.ci?.[1], cs.ci?.[1], REL_CI)) mismatches.push(`${m.id} ${k}: web ${JSON.stringify(s)} cli ${JSON.stringify(cs)}`);
      if (s.rank !== cs.rank) rankDiffs.push(`${m.id} ${k}: rank web ${s.rank} cli ${cs.rank} (values ${s.value} vs ${cs.value})`);
    }
  }
  note('agreement', `${values} score values of ${web.models.length} models: max relative deviation browser vs CLI ${maxDev.toExponential(2)} (interval bounds ${maxCiDev.toExponential(2)}); rank differences: ${rankDiffs.length ? rankDiffs.join('; ') : 'none'}`);
  expect(mismatches).toEqual([]);
  expect(rankDiffs).toEqual([]);
  for (const [k, c] of Object.entries(ref.correlation ?? {})) {
    expect(close(web.correlation?.[k]?.weighted_kendall_tau.value, c.weighted_kendall_tau.value), `tau ${k}`).toBe(true);
  }

  // The views: scatter (or its "no Dice" note), two t-SNE panels streaming, the risk map with per-class means.
  await expect(page.getByTestId('te-vs-dice')).toBeVisible();

  // The validation table beside the scatter (computed in the tools worker): the default estimator's row first, a
  // finite noise ceiling, and the numbers of `transferlens validate` on the CLI's report. The ceiling and the chance
  // level depend on the Dice only (equal); the point τ on the ranks (equal above); the intervals on score replicates
  // that carry the float32 differences, so they may move a little: within 0.05, the measured maximum printed.
  await expect(page.getByTestId('validation-table')).toBeVisible({ timeout: 180_000 });
  const vrows = page.getByTestId('validation-row');
  await expect(vrows.first()).toHaveAttribute('data-key', key);
  await expect(vrows.first()).toHaveAttribute('data-default', 'true');
  const ceiling = Number(await page.getByTestId('validation-ceiling').getAttribute('data-value'));
  expect(Number.isFinite(ceiling), `ceiling ${ceiling}`).toBe(true);
  expect(ceiling).toBeCloseTo(cliValidation.noise_ceiling.value!, 12);
  expect(Number(await page.getByTestId('validation-random').getAttribute('data-value'))).toBeCloseTo(cliValidation.random_tau_p95.value!, 12);
  const vshown = await vrows.evaluateAll((els) => els.map((e) => ({ key: e.getAttribute('data-key')!, tau: e.getAttribute('data-tau'), ci: e.getAttribute('data-tau-ci') })));
  expect(vshown.map((r) => r.key).sort()).toEqual(Object.keys(cliValidation.estimators).sort());
  let maxTauCiDev = 0;
  for (const r of vshown) {
    const c = cliValidation.estimators[r.key].weighted_kendall_tau;
    expect(Number(r.tau), `τ ${r.key}`).toBeCloseTo(c.value!, 9);
    const [lo, hi] = r.ci!.split(',').map(Number);
    maxTauCiDev = Math.max(maxTauCiDev, Math.abs(lo - c.ci![0]), Math.abs(hi - c.ci![1]));
  }
  const def = cliValidation.estimators[key];
  note('validation', `${DEMO_TARGET}: default ${key} τ ${vshown[0].tau} [${vshown[0].ci}] (CLI ${def.weighted_kendall_tau.value} [${def.weighted_kendall_tau.ci}]); noise ceiling ${ceiling} (CLI ${cliValidation.noise_ceiling.value} [${cliValidation.noise_ceiling.ci}]); random p95 ${cliValidation.random_tau_p95.value}; top-1 regret ${await page.getByTestId('validation-regret').getAttribute('data-value')} (CLI ${def.top1_regret.value}); max |Δ| of τ interval bounds browser vs CLI over ${vshown.length} estimators ${maxTauCiDev.toExponential(2)}`);
  expect(maxTauCiDev).toBeLessThan(0.05);
  await expect(page.getByTestId('validation-reading')).toContainText(`τ = ${Number(vshown[0].tau).toFixed(2)}`);
  await expect(page.getByTestId('tsne-left')).toHaveAttribute('data-iteration', /^[1-9]/, { timeout: 120_000 });
  await expect(page.getByTestId('tsne-right')).toHaveAttribute('data-iteration', /^[1-9]/, { timeout: 120_000 });
  await expect(page.getByTestId('risk-class').first()).toHaveAttribute('data-value', /^\d/, { timeout: 120_000 });
  await expect(page.getByTestId('risk-viewer')).toHaveAttribute('data-ready', 'true', { timeout: 120_000 });
  const riskDl = page.waitForEvent('download');
  await page.getByTestId('export-risk-nifti').click();
  const nii = readFileSync(await (await riskDl).path());
  expect(nii.readInt32LE(0)).toBe(348);
  await page.screenshot({ path: test.info().outputPath('workbench-demo.png'), fullPage: true });
});
