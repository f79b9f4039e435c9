// The workbench's validation table (tools worker `validate`) gives the CLI's numbers: per-model studies merged as
// the app merges them (mergeStudies) are validated in the worker API and compared with `bin/transferlens validate
// --report R --dice D --json` run as a separate process on the same study in one piece (default 200 resamples, seed 0).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { ModelReport, StudyReport } from '../../src/core/pipeline/report.ts';
import type { DiceTable } from '../../src/core/pipeline/correlate.ts';
import { DEFAULT_ESTIMATOR } from '../../src/core/pipeline/recommend.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { weightedKendallTauNaive } from '../../src/core/stats/weightedKendallTau.ts';
import { mergeStudies } from '../../src/app/features/run/mergeStudies.ts';
import { createToolsApi } from '../../src/workers/tools.worker-api.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transferlens');
const B = 200;
const ids = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
const KEYS = ['hocs', 'hscore', 'logme_fixed_point', 'transrate_official_eig_eps1e-4', 'leep', 'ccfv_official'];
const rng = createRng(5);
// Score values: a hand table (rows = models), replicates = value + seeded noise, one degenerate (null) replicate.
const VALUES = [
  [0.9, 2.1, 1.2, 0.40, -0.5, 3.0],
  [0.8, 2.4, 1.1, 0.35, -0.7, 2.0],
  [0.7, 1.9, 1.5, 0.30, -0.6, 2.5],
  [0.6, 1.5, 0.9, 0.45, -0.9, 1.0],
  [0.5, 1.2, 0.7, 0.20, -0.4, 1.5],
  [0.4, 1.0, 0.8, 0.10, -1.0, 0.5],
];
const model = (i: number): ModelReport => ({
  id: ids[i], name: ids[i], sha256: null, provider: 'wasm', ccfv_layers: {}, layers: [], sample_counts: [], seconds: 1,
  embedding: { layer: '', features: [], labels: [], cases: [] },
  scores: Object.fromEntries(KEYS.map((k, j) => [k, { value: VALUES[i][j], ci: null, rank: null }])),
  replicates: Object.fromEntries(KEYS.map((k, j) => [k, Array.from({ length: B }, (_, b) => (i === 2 && b === 7 ? null : VALUES[i][j] + 0.15 * (rng.next() - 0.5)))])),
  diagnostics: { collapsed: i === 5, reasons: [], layers: [], source_head_dice: null, source_head_mapping: [] },
});
const models = ids.map((_, i) => model(i));
const study = (ms: ModelReport[]): StudyReport => ({
  target: 'tgt', target_name: 'tgt', classes: ['bg', 'fg'], cases: [], models: ms, warnings: [],
  spec: { seed: 0, case_unit: 'slice', axis: 2, sampling: 'official', caps: {}, bootstrap_resamples: B, estimators: KEYS },
});
const SEEDS: Record<string, number[]> = {
  m1: [0.81, 0.84, 0.80], m2: [0.86, 0.83, 0.85], m3: [0.78, 0.82, 0.79], m4: [0.70, 0.75, 0.77], m5: [0.72, 0.69, 0.71], m6: [0.60, 0.66, 0.58],
};
const table = (seeds: Record<string, number[]>): DiceTable => Object.fromEntries(Object.entries(seeds).map(([id, d]) => [id, { dice: d, mean: d.reduce((a, b) => a + b) / d.length }]));
const api = createToolsApi({ readVolume: async () => { throw new Error('unused'); }, createSession: async () => { throw new Error('unused'); } });

function cli(dice: DiceTable) {
  const dir = mkdtempSync(join(tmpdir(), 'tl-wb-validate-'));
  // The CLI reads the study in one piece, as `rank` writes it (no merge), and the Dice file as a user passes it.
  writeFileSync(join(dir, 'r.json'), JSON.stringify({ schema: 'transferlens-report', version: 1, studies: [study(models)] }));
  writeFileSync(join(dir, 'd.json'), JSON.stringify({ targets: { tgt: dice } }));
  const r = spawnSync(BIN, ['validate', '--report', join(dir, 'r.json'), '--dice', join(dir, 'd.json'), '--json'], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Mean normalised rank (0 = lowest, 1 = highest; no ties here) over the four members: the default estimator by hand. */
function consensusByHand(): number[] {
  const members = [0, 1, 2, 3];
  return ids.map((_, i) => members.reduce((s, j) => s + VALUES.filter((row) => row[j] < VALUES[i][j]).length / (ids.length - 1), 0) / members.length);
}

describe('workbench validation table', () => {
  it('equals the CLI\'s validate --json for the merged per-model studies, default estimator first', async () => {
    const dice = table(SEEDS);
    // The app runs one model at a time and merges: rankModels adds the consensus keys, replicates ride along.
    const merged = mergeStudies(ids.map((_, i) => study([models[i]])), { dice, seed: 0, resamples: B })!;
    expect(merged.models[0].replicates?.[DEFAULT_ESTIMATOR]).toHaveLength(B);
    const r = await api.validate(merged, merged.dice!);
    if (!r.ok) throw new Error(r.error.message);
    const t = r.table!;
    const ref = cli(dice).studies[0];
    // Same numbers, bit for bit (JSON turns NaN into null, as the CLI prints it).
    expect(JSON.parse(JSON.stringify(t.validation))).toEqual(ref);
    expect(ref.bootstrap).toEqual({ resamples: 200, seed: 0, over: ['seeds', 'cases'] });

    // Independent checks: τ of the default estimator (the rank consensus by hand) and of hocs on the seed means.
    const y = ids.map((id) => SEEDS[id].reduce((a, b) => a + b) / 3);
    expect(t.rows[0].key).toBe(DEFAULT_ESTIMATOR);
    expect(t.rows[0].is_default).toBe(true);
    expect(t.rows[0].weighted_kendall_tau.value).toBeCloseTo(weightedKendallTauNaive(consensusByHand(), y), 12);
    expect(t.rows.find((x) => x.key === 'hocs')!.weighted_kendall_tau.value).toBeCloseTo(weightedKendallTauNaive(VALUES.map((v) => v[0]), y), 12);
    // Every other key follows by τ, highest first.
    const rest = t.rows.slice(1).map((x) => x.weighted_kendall_tau.value ?? -Infinity);
    expect(rest).toEqual([...rest].sort((a, b) => b - a));
    expect(t.rows.map((x) => x.key).sort()).toEqual(Object.keys(ref.estimators).sort());
    // Top-1 regret of the default: the best seed-mean Dice (m2) minus the Dice of the consensus' top model.
    const top = consensusByHand().indexOf(Math.max(...consensusByHand()));
    expect(t.default_regret!.value).toBeCloseTo(Math.max(...y) - y[top], 12);
    expect(t.seeds_available).toBe(true);
    expect(t.resampled).toEqual(['seeds', 'cases']);
    expect(t.noise_ceiling.ci).not.toBeNull();
    expect(t.random_tau_p95.exact).toBe(true);
    expect(t.reading).toMatch(new RegExp(`default estimator \\(${DEFAULT_ESTIMATOR}\\) ranks these 6 models with weighted τ = ${t.rows[0].weighted_kendall_tau.value!.toFixed(2)}`));
    expect(t.reading).toMatch(new RegExp(`seeds agree with each other only up to τ = ${t.noise_ceiling.value!.toFixed(2)}`));
  });

  it('with one seed per model: no ceiling, no seed resampling, and says so', async () => {
    const one = table(Object.fromEntries(Object.entries(SEEDS).map(([id, d]) => [id, [d[0]]])));
    const merged = mergeStudies(ids.map((_, i) => study([models[i]])), { dice: one, seed: 0, resamples: B })!;
    const r = await api.validate(merged, merged.dice!);
    if (!r.ok) throw new Error(r.error.message);
    const t = r.table!;
    expect(t.n_seeds).toBe(1);
    expect(t.seeds_available).toBe(false);
    expect(t.noise_ceiling).toEqual({ value: null, ci: null });
    expect(t.resampled).toEqual(['cases']);
    expect(t.reading).toMatch(/one fine-tuning seed per model/);
    expect(t.warnings.join(' ')).toMatch(/one fine-tuning seed only/);
    // τ on the single seed's values, by the definition.
    expect(t.rows[0].weighted_kendall_tau.value).toBeCloseTo(weightedKendallTauNaive(consensusByHand(), ids.map((id) => SEEDS[id][0])), 12);
  });

  it('returns no table with fewer than 3 models with Dice', async () => {
    const merged = mergeStudies([study([models[0]]), study([models[1]])], { dice: table(SEEDS), seed: 0, resamples: B })!;
    const r = await api.validate(merged, merged.dice!);
    expect(r.ok && r.table).toBeNull();
  });
});
