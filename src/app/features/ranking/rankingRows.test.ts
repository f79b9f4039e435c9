// Tests of the ranking view-model: sort order, undefined scores last, and the 95 % indistinguishability rule on
// hand-made paired replicates (a constant shift is distinguishable; a shift that changes sign is not).
import { describe, expect, it } from 'vitest';
import type { ModelReport, StudyReport } from '../../../core/pipeline/report.ts';
import { indistinguishable, rankingRows } from './rankingRows.ts';

const model = (id: string, value: number | null, reps?: (number | null)[], ci: [number, number] | null = null): ModelReport => ({
  id, name: id, sha256: null, provider: 'wasm', scores: { k: { value, ci, rank: null } }, ccfv_layers: {}, layers: [], sample_counts: [],
  embedding: { layer: '', features: [], labels: [], cases: [] }, seconds: 1, ...(reps ? { replicates: { k: reps } } : {}),
});
const study = (models: ModelReport[]) => ({ models, dice: { b: { mean: 0.8 } } }) as unknown as StudyReport;

describe('rankingRows', () => {
  it('sorts best first with undefined scores last, and carries Dice', () => {
    const rows = rankingRows(study([model('a', 1), model('n', null), model('b', 3), model('c', 2)]), 'k');
    expect(rows.map((r) => r.id)).toEqual(['b', 'c', 'a', 'n']);
    expect(rows[0].dice).toBe(0.8);
    expect(rankingRows(study([model('a', 1), model('b', 3)]), 'k', false).map((r) => r.id)).toEqual(['a', 'b']);
  });
});

describe('indistinguishable at 95 %', () => {
  const base = Array.from({ length: 100 }, (_, i) => Math.sin(i) * 5);
  it('a paired difference that is always positive is distinguishable, even with wide overlapping intervals', () => {
    const a = model('a', 1.1, base.map((x) => x + 0.1), [-5, 5]);
    const b = model('b', 1.0, base, [-5, 5]);
    expect(indistinguishable(a, b, 'k')).toBe(false);
  });
  it('a difference whose 2.5–97.5 % interval spans 0 is not', () => {
    const a = model('a', 1.1, base.map((x, i) => x + (i % 2 ? 0.3 : -0.2)));
    expect(indistinguishable(a, model('b', 1.0, base), 'k')).toBe(true);
  });
  it('falls back to interval overlap without replicates', () => {
    expect(indistinguishable(model('a', 2, undefined, [1.5, 2.5]), model('b', 1, undefined, [0.5, 1.6]), 'k')).toBe(true);
    expect(indistinguishable(model('a', 2, undefined, [1.7, 2.5]), model('b', 1, undefined, [0.5, 1.6]), 'k')).toBe(false);
  });
});
