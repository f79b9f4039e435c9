// `bin/transferlens validate --report R.json --dice D.json` as a user runs it, on a hand-made two-target report:
// τ values checked against the O(n²) definition on the seed means, the table layout, JSON, and errors.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { weightedKendallTauNaive, } from '../../src/core/stats/weightedKendallTau.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'transferlens');
const run = (args: string[]) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120_000 });

const ids = ['m1', 'm2', 'm3', 'm4'];
const seeds: Record<string, Record<string, number[]>> = {
  t1: { m1: [0.9, 0.88, 0.91], m2: [0.8, 0.85, 0.79], m3: [0.7, 0.6, 0.72], m4: [0.5, 0.55, 0.4] },
  t2: { m1: [0.6, 0.62, 0.61], m2: [0.7, 0.66, 0.72], m3: [0.8, 0.79, 0.81], m4: [0.5, 0.52, 0.49] },
};
const score = (v: number[]) => Object.fromEntries(ids.map((id, i) => [id, v[i]]));
const scores: Record<string, Record<string, Record<string, number>>> = {
  t1: { hocs: score([4, 3, 2, 1]), hscore: score([1, 2, 3, 4]), logme_fixed_point: score([2, 1, 4, 3]), 'transrate_official_eig_eps1e-4': score([4, 3, 1, 2]) },
  t2: { hocs: score([1, 3, 4, 2]), hscore: score([3, 2, 1, 4]), logme_fixed_point: score([1, 2, 3, 4]), 'transrate_official_eig_eps1e-4': score([1, 2, 4, 3]) },
};
const study = (t: string) => ({
  target: t, target_name: t, classes: ['bg', 'fg'], cases: [], warnings: [],
  models: ids.map((id) => ({
    id, name: id, scores: Object.fromEntries(Object.entries(scores[t]).map(([k, v]) => [k, { value: v[id], ci: null, rank: null }])),
    diagnostics: { collapsed: id === 'm4', reasons: [], layers: [], source_head_dice: null, source_head_mapping: [] },
  })),
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-validate-'));
  writeFileSync(join(dir, 'r.json'), JSON.stringify({ schema: 'transferlens-report', version: 1, studies: [study('t1'), study('t2')] }));
  const dice = { targets: Object.fromEntries(Object.entries(seeds).map(([t, m]) => [t, Object.fromEntries(Object.entries(m).map(([id, d]) => [id, { dice: d, mean: d.reduce((a, b) => a + b) / 3 }]))])) };
  writeFileSync(join(dir, 'd.json'), JSON.stringify(dice));
  return dir;
}

describe('transferlens validate', () => {
  const dir = setup();
  const args = ['validate', '--report', join(dir, 'r.json'), '--dice', join(dir, 'd.json'), '--validation-resamples', '50'];

  it('prints JSON with per-target and averaged τ checked against the definition', () => {
    const r = run([...args, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.studies.map((s: { target: string }) => s.target)).toEqual(['t1', 't2']);
    const expected: Record<string, number[]> = {};
    for (const t of ['t1', 't2']) {
      const s = v.studies.find((x: { target: string }) => x.target === t);
      const y = ids.map((id) => seeds[t][id].reduce((a, b) => a + b) / 3);
      for (const k of Object.keys(scores[t])) {
        const tau = weightedKendallTauNaive(ids.map((id) => scores[t][k][id]), y);
        expect(s.estimators[k].weighted_kendall_tau.value).toBeCloseTo(tau, 12);
        (expected[k] ??= []).push(tau);
      }
      expect(s.n_seeds).toBe(3);
      expect(s.random_tau_p95.exact).toBe(true);
      expect(s.random_tau_p95.count).toBe(24);
      expect(s.noise_ceiling.ci).not.toBeNull();
    }
    expect(v.average.estimators.hocs.weighted_kendall_tau.value).toBeCloseTo((expected.hocs[0] + expected.hocs[1]) / 2, 12);
    expect(v.collapsed).toEqual({ t1: ['m4'], t2: ['m4'] });
    expect(v.studies[0].estimators.consensus_hscore_logme_transrate).toBeDefined();
    expect(v.own_estimator.loto.folds).toHaveLength(2);
  });

  it('prints a table sorted by τ with the ceiling, chance level and leave-one-target-out folds', () => {
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Target t1: 4 models, 3 fine-tuning seed\(s\), best fine-tuned model m1/);
    expect(r.stdout).toMatch(/noise ceiling τ .*random-ranking τ 95th percentile .*exact, 24 rankings/);
    expect(r.stdout).toMatch(/collapsed features \(diagnostics\): m4/);
    expect(r.stdout).toMatch(/Average over 2 target\(s\)/);
    expect(r.stdout).toMatch(/held out t1 .*chosen/);
    const t1 = r.stdout.split('\n\n')[0].split('\n').slice(4).map((l) => l.trim().split(/\s+/)[0]);
    expect(t1[0]).toBe('hocs'); // τ = 1 on t1 sorts first
  });

  it('says what is missing', () => {
    expect(run(['validate']).stderr).toMatch(/--report R.json --dice D.json, or --demo/);
    expect(run(['validate', '--report', join(dir, 'r.json')]).stderr).toMatch(/needs --dice/);
    expect(run(['validate', '--report', join(dir, 'r.json'), '--dice', join(dir, 'nope.json')]).stderr).toMatch(/nope\.json: no such Dice file/);
  });
});
