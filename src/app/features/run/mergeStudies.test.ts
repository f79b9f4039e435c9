// Tests of the per-model merge: ranks recomputed over all models (1 = highest, null stays null), warnings kept
// once, Dice correlation computed over the merged models (perfectly concordant Dice → τ = 1, Pearson as by hand).
import { describe, expect, it } from 'vitest';
import type { ModelReport, StudyReport } from '../../../core/pipeline/report.ts';
import { mergeStudies } from './mergeStudies.ts';

const model = (id: string, v: number | null): ModelReport => ({
  id, name: id, sha256: null, provider: 'wasm', scores: { k: { value: v, ci: null, rank: v === null ? null : 1 } }, ccfv_layers: {}, layers: [],
  sample_counts: [], embedding: { layer: '', features: [], labels: [], cases: [] }, seconds: 1,
});
const part = (m: ModelReport, warn = 'class 2 has no voxel'): StudyReport => ({
  target: 't', target_name: 't', classes: ['bg', 'fg'], cases: [{ id: 'c0', slices: [0] }], models: [m],
  spec: { seed: 0, case_unit: 'slice', axis: 2, sampling: 'official', caps: { [m.id]: { f: 1 } }, bootstrap_resamples: 10, estimators: ['k'] },
  warnings: [{ code: 'too-few-samples', message: warn }],
});

describe('mergeStudies', () => {
  it('ranks across the merged models and keeps each warning once', () => {
    const s = mergeStudies([part(model('a', 1)), part(model('b', 3)), part(model('c', null)), part(model('d', 2), 'other')], { seed: 0, resamples: 10 })!;
    expect(s.models.map((m) => [m.id, m.scores.k.rank])).toEqual([['a', 3], ['b', 1], ['c', null], ['d', 2]]);
    expect(s.warnings.map((w) => w.message)).toEqual(['class 2 has no voxel', 'other']);
    expect(Object.keys(s.spec.caps)).toEqual(['a', 'b', 'c', 'd']);
    expect(s.correlation).toBeUndefined();
  });
  it('computes the Dice correlation once over all models', () => {
    const parts = [part(model('a', 1)), part(model('b', 3)), part(model('d', 2))];
    const s = mergeStudies(parts, { seed: 0, resamples: 50, dice: { a: { mean: 0.1 }, b: { mean: 0.3 }, d: { mean: 0.2 } } })!;
    expect(s.correlation?.k.weighted_kendall_tau.value).toBeCloseTo(1, 12);
    expect(s.correlation?.k.pearson.value).toBeCloseTo(1, 12);
    expect(Object.keys(s.dice!)).toEqual(['a', 'b', 'd']);
    expect(mergeStudies([], { seed: 0, resamples: 1 })).toBeNull();
  });
});
