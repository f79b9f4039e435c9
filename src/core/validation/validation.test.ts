// Validation harness on hand-computed small cases (issue 7 item 6): random-ranking τ by enumerating the 6
// rankings of 3 models by hand, noise ceiling, top-1 regret, joint seed × case bootstrap, averaging, LOTO.
import { describe, expect, it } from 'vitest';
import { createRng } from '../sampling/rng.ts';
import { weightedKendallTauNaive } from '../stats/weightedKendallTau.ts';
import { forEachPermutation, randomTauQuantile, tauOfPermutation } from './randomTau.ts';
import { noiseCeiling } from './noiseCeiling.ts';
import { topOneRegret } from './regret.ts';
import { validateStudy } from './harness.ts';
import { averageValidation } from './average.ts';
import { leaveOneTargetOut } from './loto.ts';

// Weighted τ of 3 distinct values by hand (spec §11): pair weights 1+1/2, 1+1/3, 1/2+1/3 = 3/2, 4/3, 5/6
// (sum 11/3). Rankings of models (y-rank 0,1,2) written as their x-ranks:
// (0,1,2) → 1; (2,1,0) → −1; (1,0,2) → (−3/2+4/3+5/6)/(11/3) = 2/11 in both halves;
// (0,2,1) → (3/2+4/3−5/6)/(11/3) = 6/11; (1,2,0) and (2,0,1) → (−2/11 − 6/11)/2 = −4/11.
const HAND: [number[], number][] = [[[0, 1, 2], 1], [[2, 1, 0], -1], [[1, 0, 2], 2 / 11], [[0, 2, 1], 6 / 11], [[1, 2, 0], -4 / 11], [[2, 0, 1], -4 / 11]];

describe('random-ranking τ', () => {
  it('matches the hand enumeration of the 6 rankings of 3 models', () => {
    const y = [0.9, 0.7, 0.5]; // y-rank 0, 1, 2
    for (const [xr, tau] of HAND) expect(weightedKendallTauNaive(xr.map((r) => 3 - r), y)).toBeCloseTo(tau, 14);
    // sorted: −1, −4/11, −4/11, 2/11, 6/11, 1; numpy percentile 95: position 4.75 → 6/11 + 0.75·5/11
    const r = randomTauQuantile(y);
    expect(r.exact).toBe(true);
    expect(r.count).toBe(6);
    expect(r.value).toBeCloseTo(9.75 / 11, 14);
    expect(randomTauQuantile(y, { q: 0.5 }).value).toBeCloseTo((-4 / 11 + 2 / 11) / 2, 14);
  });

  it('the allocation-free τ of a permutation equals the library τ (ties in y included)', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rng.int(8);
      const x = Int32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) { const j = rng.int(i + 1); const t = x[i]; x[i] = x[j]; x[j] = t; }
      const y = Float64Array.from({ length: n }, () => rng.int(4));
      if (new Set(y).size < 2) continue;
      expect(tauOfPermutation(x, y, new Float64Array(n), new Float64Array(n))).toBeCloseTo(weightedKendallTauNaive(x, y), 13);
    }
  });

  it('enumerates every permutation once', () => {
    const seen = new Set<string>();
    forEachPermutation(5, (p) => seen.add(p.join('')));
    expect(seen.size).toBe(120);
  });

  it('Monte Carlo above 9 models approaches the exact value', () => {
    const y = [9, 8, 7, 6, 5, 4, 3, 2, 1];
    const exact = randomTauQuantile(y);
    const mc = randomTauQuantile(y, { maxExact: 0, draws: 40000, seed: 3 });
    expect(exact.count).toBe(362880);
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.value - exact.value)).toBeLessThan(0.02);
    expect(exact.value).toBeGreaterThan(0.3); // chance alone reaches a sizeable τ with 9 models
  });
});

describe('noise ceiling', () => {
  it('one seed against the other: a swap of the top two gives 2/11', () => {
    const dice = [[0.9, 0.8], [0.7, 0.85], [0.5, 0.6]];
    expect(noiseCeiling(dice)).toBeCloseTo(2 / 11, 14);
  });

  it('averages over held-out seeds and leaves out copies of the held-out seed', () => {
    const dice = [[0.9, 0.8, 0.7], [0.7, 0.9, 0.95], [0.5, 0.6, 0.6]];
    // held-out 0: (0.9,0.7,0.5) vs mean(1,2) = (0.75,0.925,0.6): top two swapped → 2/11;
    // held-out 1: (0.8,0.9,0.6) vs mean(0,2) = (0.8,0.825,0.55): same order → 1;
    // held-out 2: (0.7,0.95,0.6) vs mean(0,1) = (0.85,0.8,0.55): top two swapped → 2/11.
    expect(noiseCeiling(dice)).toBeCloseTo((2 / 11 + 1 + 2 / 11) / 3, 14);
    // resample (0, 0, 1): positions of seed 0 compare with seed 1 only (2/11), position of seed 1 with seed 0 twice (2/11)
    expect(noiseCeiling(dice.map((d) => [d[0], d[0], d[1]]), [0, 0, 1])).toBeCloseTo(2 / 11, 14);
    expect(noiseCeiling(dice.map((d) => [d[0], d[0]]), [0, 0])).toBeNaN();
  });
});

describe('top-1 regret', () => {
  it('is the best Dice minus the recommended model\'s', () => {
    expect(topOneRegret([3, 1, 2], [0.5, 0.9, 0.7])).toBeCloseTo(0.4, 14);
    expect(topOneRegret([1, 3, 2], [0.5, 0.9, 0.7])).toBe(0);
    expect(topOneRegret([2, 2, 1], [0.5, 0.9, 0.7])).toBeCloseTo(0.2, 14); // tie: mean of the tied models
    expect(topOneRegret([NaN, 1, 2], [0.99, 0.9, 0.7])).toBeCloseTo(0.29, 14);
  });
});

describe('validateStudy', () => {
  const dice = { a: [0.9, 0.8], b: [0.7, 0.85], c: [0.5, 0.6] }; // means 0.85, 0.775, 0.55
  it('gives hand values for τ, ceiling, chance level and regret', () => {
    const models = [
      { id: 'a', scores: { good: 3, bad: 1 } },
      { id: 'b', scores: { good: 2, bad: 2 } },
      { id: 'c', scores: { good: 1, bad: 3 } },
    ];
    const { result } = validateStudy({ target: 't', models, dice }, { resamples: 50 });
    expect(result.estimators.good.weighted_kendall_tau.value).toBeCloseTo(1, 14);
    expect(result.estimators.bad.weighted_kendall_tau.value).toBeCloseTo(-1, 14);
    expect(result.estimators.bad.top1_regret.value).toBeCloseTo(0.3, 14);
    expect(result.estimators.good.recommended).toBe('a');
    expect(result.best_model).toBe('a');
    expect(result.noise_ceiling.value).toBeCloseTo(2 / 11, 14);
    expect(result.random_tau_p95.value).toBeCloseTo(9.75 / 11, 14);
    expect(result.n_seeds).toBe(2);
    expect(result.bootstrap.over).toEqual(['seeds']);
  });

  it('resamples seeds with a seeded draw shared by all models', () => {
    const models = [{ id: 'a', scores: { s: 1 } }, { id: 'b', scores: { s: 3 } }, { id: 'c', scores: { s: 2 } }];
    const { replicates } = validateStudy({ target: 't', models, dice }, { resamples: 20, seed: 7 });
    const rng = createRng(7);
    for (let b = 0; b < 20; b++) {
      const s = [rng.int(2), rng.int(2)];
      const y = [dice.a, dice.b, dice.c].map((d) => (d[s[0]] + d[s[1]]) / 2);
      expect(replicates.estimators.s.tau[b]).toBeCloseTo(weightedKendallTauNaive([1, 3, 2], y), 12);
    }
  });

  it('optionally resamples the models too, with the same draw for every estimator and the ceiling', () => {
    const d4 = { ...dice, d: [0.3, 0.35] };
    const models = [{ id: 'a', scores: { s: 1 } }, { id: 'b', scores: { s: 3 } }, { id: 'c', scores: { s: 2 } }, { id: 'd', scores: { s: 0 } }];
    const { result, replicates } = validateStudy({ target: 't', models, dice: d4 }, { resamples: 20, seed: 7, resampleModels: true });
    expect(result.bootstrap.over).toEqual(['models', 'seeds']);
    const rs = createRng(7), rm = createRng(7 ^ 0x6d0d);
    const all = [d4.a, d4.b, d4.c, d4.d], x = [1, 3, 2, 0];
    for (let b = 0; b < 20; b++) {
      const s = [rs.int(2), rs.int(2)];
      const pick = [rm.int(4), rm.int(4), rm.int(4), rm.int(4)];
      const y = pick.map((i) => (all[i][s[0]] + all[i][s[1]]) / 2);
      const xs = pick.map((i) => x[i]);
      const want = new Set(xs).size > 1 && new Set(y).size > 1 ? weightedKendallTauNaive(xs, y) : NaN;
      if (Number.isNaN(want)) expect(replicates.estimators.s.tau[b]).toBeNaN();
      else expect(replicates.estimators.s.tau[b]).toBeCloseTo(want, 12);
      if (s[0] !== s[1]) expect(replicates.ceiling[b]).toBeCloseTo(noiseCeiling(pick.map((i) => s.map((k) => all[i][k])), s), 12);
    }
  });

  it('uses the case replicates when every model has them', () => {
    const one = { a: [0.9], b: [0.7], c: [0.5] };
    const rep = (v: number) => Array.from({ length: 30 }, () => v);
    const models = [
      { id: 'a', scores: { s: 3 }, replicates: { s: rep(1) } },
      { id: 'b', scores: { s: 2 }, replicates: { s: rep(2) } },
      { id: 'c', scores: { s: 1 }, replicates: { s: rep(3) } },
    ];
    const { result } = validateStudy({ target: 't', models, dice: one }, { resamples: 30 });
    expect(result.estimators.s.weighted_kendall_tau.value).toBeCloseTo(1, 14);
    expect(result.estimators.s.weighted_kendall_tau.ci).toEqual([-1, -1]);
    expect(result.bootstrap.over).toEqual(['seeds', 'cases']);
    expect(result.noise_ceiling.value).toBeNull(); // one seed: no ceiling
  });

  it('leaves out models without Dice and estimators on fewer than 3 models', () => {
    const warnings: string[] = [];
    const models = [{ id: 'a', scores: { s: 1, t: 1 } }, { id: 'b', scores: { s: 2, t: null } }, { id: 'c', scores: { s: 3, t: 2 } }, { id: 'z', scores: { s: 4, t: 3 } }];
    const { result } = validateStudy({ target: 't', models, dice }, { resamples: 10 }, (w) => warnings.push(w.message));
    expect(result.n_models).toBe(3);
    expect(result.estimators.t).toBeUndefined();
    expect(warnings.join()).toMatch(/no fine-tuned Dice for z/);
  });
});

describe('averageValidation and leave-one-target-out', () => {
  it('averages values and replicates index by index', () => {
    const dice = { a: [0.9, 0.8], b: [0.7, 0.85], c: [0.5, 0.6] };
    const models = [{ id: 'a', scores: { s: 3 } }, { id: 'b', scores: { s: 2 } }, { id: 'c', scores: { s: 1 } }];
    const rev = models.map((m) => ({ ...m, scores: { s: -m.scores.s } }));
    const one = validateStudy({ target: 'x', models, dice }, { resamples: 40, seed: 1 });
    const two = validateStudy({ target: 'y', models: rev, dice }, { resamples: 40, seed: 2 });
    const avg = averageValidation([{ ...one, dice: [0.85, 0.775, 0.55] }, { ...two, dice: [0.85, 0.775, 0.55] }], { draws: 2000 });
    expect(avg.estimators.s.weighted_kendall_tau.value).toBeCloseTo(0, 14);
    expect(avg.estimators.s.n_targets).toBe(2);
    const tau = Array.from({ length: 40 }, (_, b) => (one.replicates.estimators.s.tau[b] + two.replicates.estimators.s.tau[b]) / 2).sort((p, q) => p - q);
    expect(avg.estimators.s.weighted_kendall_tau.ci![0]).toBeCloseTo(tau[0] + 0.975 * (tau[1] - tau[0]), 12);
    expect(avg.noise_ceiling.value).toBeCloseTo(2 / 11, 14);
    expect(avg.random_tau_p95).toBeLessThan(9.75 / 11); // averaging two independent chance τ narrows the tail
  });

  it('chooses on three targets and reports on the fourth', () => {
    const tau = {
      simple: { t1: 0.5, t2: 0.5, t3: 0.5, t4: 0.1 },
      fancy: { t1: 0.9, t2: 0.9, t3: 0.0, t4: 0.9 },
    };
    const r = leaveOneTargetOut(tau, ['simple', 'fancy'], ['t1', 't2', 't3', 't4']);
    // held out t1: simple 0.367 vs fancy 0.6 → fancy (0.9); t2 same → fancy (0.9);
    // t3: simple 0.367 vs fancy 0.9 → fancy (0.0); t4: simple 0.5 vs fancy 0.6 → fancy (0.9)
    expect(r.folds.map((f) => f.chosen)).toEqual(['fancy', 'fancy', 'fancy', 'fancy']);
    expect(r.mean_held_out_tau).toBeCloseTo((0.9 + 0.9 + 0 + 0.9) / 4, 14);
    const tie = leaveOneTargetOut({ a: { t1: 0.5, t2: 0.5 }, b: { t1: 0.5, t2: 0.5 } }, ['a', 'b'], ['t1', 't2']);
    expect(tie.folds.map((f) => f.chosen)).toEqual(['a', 'a']);
  });
});

describe('rank consensus', () => {
  it('averages normalised ranks per model, point and replicates', async () => {
    const { normalisedRanks, withRankConsensus } = await import('./consensus.ts');
    expect(Array.from(normalisedRanks([3, 1, 2, 2]))).toEqual([1, 0, 0.5, 0.5]);
    const models = [
      { id: 'a', scores: { p: 1, q: 30 }, replicates: { p: [1, 3], q: [30, 10] } },
      { id: 'b', scores: { p: 2, q: 10 }, replicates: { p: [2, 2], q: [10, 20] } },
      { id: 'c', scores: { p: 3, q: 20 }, replicates: { p: [3, 1], q: [20, 30] } },
    ];
    const out = withRankConsensus(models, 'pq', ['p', 'q']);
    // p ranks a,b,c = 0, .5, 1; q ranks = 1, 0, .5 → means .5, .25, .75
    expect(out.map((m) => m.scores.pq)).toEqual([0.5, 0.25, 0.75]);
    // replicate 1: p ranks 1, .5, 0; q ranks 0, .5, 1 → .5, .5, .5
    expect(out.map((m) => m.replicates!.pq)).toEqual([[0.5, 0.5], [0.25, 0.5], [0.75, 0.5]]);
  });
});

describe('compareTau', () => {
  it('differences τ per target and on average with aligned replicates', async () => {
    const { compareTau } = await import('./compare.ts');
    const dice = { a: [0.9, 0.8], b: [0.7, 0.85], c: [0.5, 0.6] };
    const models = [{ id: 'a', scores: { good: 3, bad: 1 } }, { id: 'b', scores: { good: 2, bad: 2 } }, { id: 'c', scores: { good: 1, bad: 3 } }];
    const one = validateStudy({ target: 'x', models, dice }, { resamples: 30 });
    const c = compareTau([one], 'good', 'bad')!;
    expect(c.per_target.x.value).toBeCloseTo(2, 14); // 1 − (−1)
    expect(c.wins).toBe(1);
    const d = Array.from({ length: 30 }, (_, b) => one.replicates.estimators.good.tau[b] - one.replicates.estimators.bad.tau[b]).sort((p, q) => p - q);
    expect(c.average.ci![0]).toBeCloseTo(d[0] + 0.725 * (d[1] - d[0]), 12); // numpy percentile 2.5 of 30 values: position 0.725
    expect(compareTau([one], 'good', 'missing')).toBeNull();
  });
});
