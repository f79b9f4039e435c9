// `bin/transferlens rank` as a user runs it, on real NIfTI files and real ONNX models (the tiny fixtures):
// the report's minimum contract, reproducibility by seed, Dice correlation, and errors that name the file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'transferlens');
const MODELS = join(ROOT, 'test', 'fixtures', 'models');

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-rank-'));
  const t = syntheticTarget();
  writeFileSync(join(dir, 'img.nii.gz'), t.image);
  writeFileSync(join(dir, 'lab.nii.gz'), t.label);
  writeFileSync(join(dir, 'dice.csv'), 'model,seed0,seed1\ntiny_a,0.8,0.82\ntiny_b,0.7,0.71\n');
  return dir;
}
const run = (args: string[]) => spawnSync(BIN, args, { encoding: 'utf8', timeout: 120_000 });

describe('transferlens rank', () => {
  const dir = setup();
  const base = ['rank', '--models', join(MODELS, 'tiny_a.onnx'), join(MODELS, 'tiny_b.onnx'), '--images', join(dir, 'img.nii.gz'),
    '--labels', join(dir, 'lab.nii.gz'), '--classes', 'background,disc', '--resamples', '20', '--seed', '3'];

  it('writes a report with studies[].models[].scores[key] = {value, ci}', () => {
    const r = run([...base, '--out', join(dir, 'r1.json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/scored tiny_a/);
    const rep = JSON.parse(readFileSync(join(dir, 'r1.json'), 'utf8'));
    expect(rep.schema).toBe('transferlens-report');
    expect(rep.studies[0].target).toBe('img');
    const ids = rep.studies[0].models.map((m: { id: string }) => m.id);
    expect(ids).toEqual(['tiny_a', 'tiny_b']);
    for (const m of rep.studies[0].models) {
      for (const k of ['leep', 'logme_fixed_point', 'ccfv_paper', 'ccfv_official', 'hscore']) {
        expect(m.scores[k]).toHaveProperty('value');
        expect(m.scores[k]).toHaveProperty('ci');
      }
    }
  });

  it('is reproducible for a seed and correlates with a Dice CSV', () => {
    const a = run([...base, '--quiet']);
    const b = run([...base, '--quiet', '--dice', join(dir, 'dice.csv')]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const ra = JSON.parse(a.stdout), rb = JSON.parse(b.stdout);
    expect(ra.studies[0].models[0].scores).toEqual(rb.studies[0].models[0].scores);
    expect(rb.studies[0].dice.tiny_a.mean).toBeCloseTo(0.81, 12);
    // Two models only: τ and Pearson need ≥ 3, so no correlation entries and no crash.
    expect(rb.studies[0].correlation).toEqual({});
  });

  it('names the file and the problem', () => {
    const bad = run(['rank', '--models', join(dir, 'img.nii.gz'), '--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/img\.nii\.gz: no readable sidecar manifest/);
    const noLab = run(['rank', '--models', join(MODELS, 'tiny_a.onnx'), '--images', join(dir, 'img.nii.gz')]);
    expect(noLab.status).toBe(1);
    expect(noLab.stderr).toMatch(/--images and --labels/);
  });
});
