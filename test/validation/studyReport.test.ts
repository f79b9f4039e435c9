// runStudy with the validation additions (tiny seeded ONNX models, synthetic target): HOCS scored with an
// interval, collapse diagnostics per model and layer, and case-bootstrap replicates aligned with the intervals.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStudy, type StudySpec } from '../../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../../src/adapters/nodePorts.ts';
import { percentileSorted } from '../../src/core/stats/bootstrap.ts';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
const model = (id: string) => ({
  manifest: JSON.parse(readFileSync(join(MODELS, `${id}.json`), 'utf8')),
  file: { name: `${id}.onnx`, bytes: readFileSync(join(MODELS, `${id}.onnx`)) },
});
const t = syntheticTarget();
const spec: StudySpec = {
  target: { id: 'synth', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
  models: [model('tiny_a'), model('tiny_b')],
  seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 40, embeddingPoints: 10,
};

describe('study report: own estimator, diagnostics, replicates', () => {
  it('scores hocs with an interval, diagnoses every layer and keeps replicates matching the intervals', async () => {
    const s = await runStudy(spec, nodePorts());
    for (const m of s.models) {
      const h = m.scores.hocs;
      expect(h.value).toBeGreaterThan(0);
      expect(h.value).toBeLessThanOrEqual(1);
      expect(h.ci).not.toBeNull();
      expect(m.scores.hocs_finest.value).not.toBeNull();
      const d = m.diagnostics!;
      expect(d.layers.map((l) => l.layer)).toEqual(m.layers.map((l) => l.name));
      for (const l of d.layers) expect(l.dead_channel_share).toBeGreaterThanOrEqual(0);
      expect(typeof d.collapsed).toBe('boolean');
      expect(d.source_head_dice === null || (d.source_head_dice >= 0 && d.source_head_dice <= 1)).toBe(true);
      // replicate b is the score on bootstrap resample b: their percentiles are the reported interval
      for (const k of ['hocs', 'hscore', 'ccfv_official', 'leep']) {
        const r = m.replicates![k];
        expect(r).toHaveLength(40);
        const sorted = Float64Array.from(r.filter((v): v is number => v !== null)).sort();
        expect(percentileSorted(sorted, 0.025)).toBeCloseTo(m.scores[k].ci![0], 5);
        expect(percentileSorted(sorted, 0.975)).toBeCloseTo(m.scores[k].ci![1], 5);
      }
    }
  });
});

describe('study report: rank consensus', () => {
  it('adds the consensus candidates with intervals from the replicates and ranks them', async () => {
    const { addConsensusScores } = await import('../../src/core/validation/consensus.ts');
    const mk = (id: string, v: number[], reps: number[][]) => ({
      id, name: id, sha256: null, provider: 'x', ccfv_layers: {}, layers: [], sample_counts: [], embedding: { layer: '', features: [], labels: [], cases: [] }, seconds: 0,
      scores: Object.fromEntries(['hocs', 'hscore', 'logme_fixed_point', 'transrate_official_eig_eps1e-4'].map((k, j) => [k, { value: v[j], ci: null, rank: null }])),
      replicates: Object.fromEntries(['hocs', 'hscore', 'logme_fixed_point', 'transrate_official_eig_eps1e-4'].map((k, j) => [k, reps.map((r) => r[j])])),
    });
    const models = [mk('a', [1, 1, 1, 1], [[1, 1, 1, 1], [2, 2, 2, 2]]), mk('b', [2, 2, 2, 0], [[2, 2, 2, 2], [1, 1, 1, 1]])];
    addConsensusScores(models);
    // a wins one of four (transrate) → 0.25; b wins three → 0.75. Replicate 0: b wins all; replicate 1: a wins all.
    expect(models.map((m) => m.scores.consensus_hocs_hscore_logme_transrate.value)).toEqual([0.25, 0.75]);
    expect(models[0].replicates.consensus_hocs_hscore_logme_transrate).toEqual([0, 1]);
    expect(models[0].scores.consensus_hocs_hscore_logme_transrate.ci).toEqual([0.025, 0.975]);
    expect(models[1].scores.consensus_hscore_logme_transrate.value).toBeCloseTo(2 / 3, 14);
  });
});
