// Turns one model's features and scores into its report entry (scores with intervals, per-layer CC-FV, a capped
// embedding sample), and ranks models under each estimator (1 = highest score).
import type { ModelManifest } from '../types.ts';
import { createRng } from '../sampling/rng.ts';
import { drawWithoutReplacement } from '../sampling/classBalanced.ts';
import type { ModelFeatures } from './extract2d.ts';
import type { ModelScores } from './scoreModel.ts';
import { collapseDiagnostics } from '../diagnostics/collapse.ts';
import { addConsensusScores } from '../validation/consensus.ts';
import { finiteOrNull, type ModelReport } from './report.ts';

export function buildModelReport(
  m: ModelManifest, f: ModelFeatures, s: ModelScores,
  o: { sha256: string; provider: string; seconds: number; embeddingPoints: number; seed: number },
): ModelReport {
  const scores: ModelReport['scores'] = {};
  for (const [k, v] of Object.entries(s.values)) scores[k] = { value: finiteOrNull(v), ci: s.ci[k] ?? null, rank: null };
  let numClasses = 0; // a loop, not a spread: 10⁵ sampled labels overflow the call stack
  for (const c of f.layers[0].cases) for (const v of c.labels) if (v + 1 > numClasses) numClasses = v + 1;
  return {
    id: m.id,
    name: m.name,
    sha256: o.sha256,
    provider: o.provider,
    scores,
    ccfv_layers: Object.fromEntries(Object.entries(s.ccfvLayers).map(([k, v]) => [k, v.map(finiteOrNull)])),
    layers: f.layers.map((l) => ({ name: l.name, stride: l.stride, channels: l.channels })),
    sample_counts: f.layers.map((l) => ({
      layer: l.name,
      per_class: Array.from({ length: numClasses }, (_, k) => l.cases.reduce((a, c) => a + c.labels.filter((v) => v === k).length, 0)),
    })),
    embedding: embeddingSample(f, o.embeddingPoints, o.seed),
    seconds: o.seconds,
    diagnostics: collapseDiagnostics({ ...f, numClasses }),
    ...(Object.keys(s.replicates).length ? { replicates: s.replicates } : {}),
  };
}

/** Up to `max` rows of the finest layer's sampled features (seeded choice), rounded to float32 precision. */
function embeddingSample(f: ModelFeatures, max: number, seed: number): ModelReport['embedding'] {
  const l = f.layers.reduce((a, b) => (b.stride < a.stride ? b : a));
  const all: [number, number][] = [];
  l.cases.forEach((c, ci) => { for (let r = 0; r < c.labels.length; r++) all.push([ci, r]); });
  const chosen = drawWithoutReplacement(all.map((_, i) => i), Math.min(max, all.length), createRng(seed ^ 0x5eed));
  const out: ModelReport['embedding'] = { layer: l.name, features: [], labels: [], cases: [] };
  for (const i of chosen) {
    const [ci, r] = all[i];
    const c = l.cases[ci];
    out.features.push(Array.from(c.features.subarray(r * l.channels, (r + 1) * l.channels), (v) => Math.fround(v)));
    out.labels.push(c.labels[r]);
    out.cases.push(ci);
  }
  return out;
}

/**
 * Adds the study-level rank-consensus scores (src/core/validation/consensus.ts), then fills `rank` under each
 * estimator across models: 1 = highest value; ties share the better rank.
 */
export function rankModels(models: ModelReport[]): void {
  addConsensusScores(models);
  const keys = new Set(models.flatMap((m) => Object.keys(m.scores)));
  for (const k of keys) {
    const vals = models.map((m) => m.scores[k]?.value).filter((v): v is number => v !== null && v !== undefined);
    for (const m of models) {
      const e = m.scores[k];
      if (!e || e.value === null) continue;
      e.rank = 1 + vals.filter((v) => v > e.value!).length;
    }
  }
}
