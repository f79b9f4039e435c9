// Scores one model's sampled features with every estimator, under the reference vectors' keys, and gives each
// score a seeded bootstrap 95 % interval over cases (issue 4 §6). Pooled baselines use the finest decoder layer
// (the layer before the final convolution, spec §2.10) with the source softmax at the same voxels.
import type { TeWarning } from '../errors.ts';
import { mat, type Mat } from '../linalg/matrix.ts';
import { percentileSorted } from '../stats/bootstrap.ts';
import { createRng } from '../sampling/rng.ts';
import type { ModelFeatures } from './extract2d.ts';
import { SCORERS, type ScoringInput } from './scorers.ts';

export interface ModelScores {
  values: Record<string, number>;
  ci: Record<string, [number, number] | null>;
  ccfvLayers: Record<string, number[]>;
  /**
   * Case-bootstrap replicates per key, in resample order (7 significant digits; null = degenerate resample).
   * Resample b draws the same case indices for every model of a study (same seed, same case count), so the
   * validation harness can bootstrap τ jointly over cases and fine-tuning seeds (src/core/validation).
   */
  replicates: Record<string, (number | null)[]>;
}

/** Builds the estimators' input from the cases selected by `idx` (a bootstrap resample repeats cases). */
export function scoringInput(f: ModelFeatures, idx: ArrayLike<number>, numClasses: number): ScoringInput {
  const finest = f.layers.reduce((a, b) => (b.stride < a.stride ? b : a));
  const rows = Array.from(idx, (i) => finest.cases[i].labels.length).reduce((a, b) => a + b, 0);
  const d = finest.channels, k = f.numSourceClasses;
  const feats = new Float64Array(rows * d), probs = new Float64Array(rows * k), labels = new Int32Array(rows);
  let o = 0;
  for (const i of Array.from(idx)) {
    const c = finest.cases[i];
    feats.set(c.features, o * d);
    probs.set(f.sourceProbs[i], o * k);
    labels.set(c.labels, o);
    o += c.labels.length;
  }
  return {
    numClasses,
    layers: f.layers.map((l) => ({
      name: l.name, stride: l.stride, channels: l.channels,
      cases: Array.from(idx, (i) => ({ features: mat(l.cases[i].labels.length, l.channels, l.cases[i].features), labels: l.cases[i].labels })),
    })),
    pooled: { features: mat(rows, d, feats) as Mat, labels, sourceProbs: mat(rows, k, probs) },
  };
}

export function scoreModel(
  f: ModelFeatures, numClasses: number,
  opts: { seed: number; resamples: number; estimators?: string[] }, warn: (w: TeWarning) => void,
): ModelScores {
  const n = f.layers[0].cases.length;
  const scorers = SCORERS.filter((s) => !opts.estimators || s.keys.some((k) => opts.estimators!.includes(k)));
  const inputOf = (idx: ArrayLike<number>) => scoringInput(f, idx, numClasses);
  const prepared = scorers.map((s) => ({ keys: s.keys, score: s.prepare(inputOf, n, warn) }));
  const values: Record<string, number> = {};
  const ccfvLayers: Record<string, number[]> = {};
  for (const p of prepared) {
    const r = p.score(null);
    Object.assign(values, r.values);
    Object.assign(ccfvLayers, r.layers ?? {});
  }
  const ci: Record<string, [number, number] | null> = {};
  const replicates: Record<string, (number | null)[]> = {};
  if (opts.resamples > 0 && n >= 2) {
    // One seeded resample set shared by every estimator (and by every model: same seed, same n): each resample is
    // scored once; the percentile interval of each key comes from its replicates (as bootstrapCases computes it).
    const rng = createRng(opts.seed);
    const idx = new Int32Array(n);
    const keys = Object.keys(values);
    const reps: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
    for (let b = 0; b < opts.resamples; b++) {
      for (let i = 0; i < n; i++) idx[i] = rng.int(n);
      const r: Record<string, number> = {};
      for (const p of prepared) {
        try {
          Object.assign(r, p.score(idx).values);
        } catch {
          for (const k of p.keys) r[k] = NaN; // a degenerate resample (e.g. one class missing) is dropped
        }
      }
      for (const k of keys) reps[k].push(r[k] ?? NaN);
    }
    for (const k of keys) {
      const ok = Float64Array.from(reps[k].filter(Number.isFinite)).sort();
      ci[k] = ok.length ? [percentileSorted(ok, 0.025), percentileSorted(ok, 0.975)] : null;
      replicates[k] = reps[k].map((v) => (Number.isFinite(v) ? Number(v.toPrecision(7)) : null));
    }
  }
  return { values, ci, ccfvLayers, replicates };
}
