// The recommendation: top model under the default estimator, ties by the paired case bootstrap, collapse flags.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESTIMATOR, DEMO_BANK_STANDING, recommend } from './recommend.ts';
import type { ModelReport } from './report.ts';

const model = (id: string, value: number, reps: number[], collapsed = false) => ({
  id, scores: { [DEFAULT_ESTIMATOR]: { value, ci: null, rank: null } }, replicates: { [DEFAULT_ESTIMATOR]: reps },
  diagnostics: collapsed ? { collapsed: true, reasons: ['x'] } : undefined,
}) as unknown as ModelReport;

describe('recommend', () => {
  const base = Array.from({ length: 40 }, (_, i) => Math.sin(i)); // shared case-resample noise
  it('separates a model that is ahead on every resample and ties one that is not', () => {
    const a = model('a', 1, base.map((v) => 1 + v));
    const b = model('b', 0.9, base.map((v, i) => 0.9 + v + (i % 2 ? 0.3 : -0.3))); // paired difference changes sign
    const c = model('c', 0.2, base.map((v) => 0.2 + v), true); // always 0.8 behind a
    const r = recommend({ models: [c, b, a] });
    expect(r.estimator).toBe(DEFAULT_ESTIMATOR);
    expect(r.top).toBe('a');
    expect(r.indistinguishable).toEqual(['b']);
    expect(r.collapsed).toEqual(['c']);
    expect(r.sentence).toMatch(/a ranks first, but 1 other model\(s\) \(b\) cannot be told apart/);
    expect(r.sentence).toMatch(/collapsed.*c/);
  });

  it('falls back to LEEP and states the missing ground truth', () => {
    const m = (id: string, v: number) => ({ id, scores: { leep: { value: v, ci: [v - 0.01, v + 0.01], rank: null } } }) as unknown as ModelReport;
    const r = recommend({ models: [m('x', -0.5), m('y', -0.2)] });
    expect(r).toMatchObject({ estimator: 'leep', top: 'y', indistinguishable: [] });
    expect(r.sentence).toMatch(/No fine-tuned Dice/);
    expect(r.sentence).toContain(DEMO_BANK_STANDING);
  });
});
