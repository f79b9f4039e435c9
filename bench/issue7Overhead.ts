// Issue 7's cost target, measured side by side: what the harness and the diagnostics (collapse diagnostics, rank
// consensus, recommendation, validation harness) add to one demo study (a demo target × every 2-D demo model, as the
// workbench runs it), and what the own estimator (HOCS) costs. Interleaved rounds of the study with the published
// estimators only (A) and the full study (B); the diagnostics, which every study computes inside its model reports,
// are timed on their own on B's features (runStudy's onFeatures) and moved from A's side to the overhead's side; the consensus,
// recommendation and validation harness are timed on B's report; HOCS = B − A − consensus − recommendation.
import { performance } from 'node:perf_hooks';
import { nodePorts } from '../src/adapters/nodePorts.ts';
import { demoModels, demoTargets } from '../src/cli/demoBank.ts';
import { runStudy, type StudySpec } from '../src/core/pipeline/runStudy.ts';
import type { ModelFeatures } from '../src/core/pipeline/extract2d.ts';
import { SCORERS } from '../src/core/pipeline/scorers.ts';
import { collapseDiagnostics } from '../src/core/diagnostics/collapse.ts';
import { validateReport } from '../src/core/validation/fromReport.ts';
import { addConsensusScores } from '../src/core/validation/consensus.ts';
import { recommend } from '../src/core/pipeline/recommend.ts';
import { HocsPrepared, type HocsCovariance } from '../src/core/estimators/hocs.ts';
import { createRng } from '../src/core/sampling/rng.ts';
import type { Report } from '../src/core/pipeline/report.ts';

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const OWN_KEYS = new Set(['hocs', 'hocs_finest', 'hocs_full']);

export async function runOverhead(o: { rounds: number; target?: string }): Promise<Record<string, number>> {
  const target = demoTargets().find((t) => t.id === (o.target ?? 'subj2_t1_cor_wm'))!;
  const models = demoModels();
  const spec: StudySpec = { target, models, seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 200, embeddingPoints: 2000, dice: target.dice };
  const published = SCORERS.flatMap((s) => s.keys).filter((k) => !OWN_KEYS.has(k));
  const ports = nodePorts();
  const a: number[] = [], b: number[] = [], v: number[] = [], d: number[] = [], cr: number[] = [];
  let lastFeats: ModelFeatures[] = [];
  for (let r = 0; r < o.rounds; r++) {
    let t0 = performance.now();
    await runStudy({ ...spec, estimators: published }, ports);
    a.push(performance.now() - t0);
    const feats: ModelFeatures[] = [];
    lastFeats = feats;
    t0 = performance.now();
    const study = await runStudy(spec, ports, { onFeatures: (_, f) => feats.push(f) });
    b.push(performance.now() - t0);
    const report = { schema: 'transferlens-report', version: 1, studies: [study] } as unknown as Report; // validateReport reads studies only
    t0 = performance.now();
    validateReport(report, { byTarget: { [target.id]: target.dice! } });
    v.push(performance.now() - t0);
    const copy = structuredClone(study.models);
    t0 = performance.now();
    addConsensusScores(copy);
    recommend({ ...study, models: copy });
    cr.push(performance.now() - t0);
    const numClasses = target.classNames.length;
    t0 = performance.now();
    for (const f of feats) collapseDiagnostics({ ...f, numClasses });
    d.push(performance.now() - t0);
  }
  // The two HOCS forms timed alone on the last round's features: the full set + 200 case resamples per model, as a study.
  const hocsForm = (covariance: HocsCovariance) => {
    const t0 = performance.now();
    for (const f of lastFeats) {
      const p = new HocsPrepared({ numClasses: target.classNames.length, layers: f.layers.map((l) => ({ name: l.name, cases: l.cases.map((c) => ({ x: { rows: c.labels.length, cols: l.channels, data: c.features }, labels: c.labels })) })) }, { covariance });
      const rng = createRng(0), n = f.layers[0].cases.length;
      p.score(null);
      for (let r = 0; r < spec.bootstrapResamples!; r++) p.score(Int32Array.from({ length: n }, () => rng.int(n)));
    }
    return performance.now() - t0;
  };
  const HD = hocsForm('diagonal'), HF = hocsForm('full');
  const A = median(a), B = median(b), V = median(v), D = median(d), CR = median(cr);
  const base = A - D, harness = D + CR + V, own = B - A - CR;
  const fig = { study_published_only_ms: A, study_full_ms: B, diagnostics_ms: D, consensus_recommendation_ms: CR, validation_ms: V, base_ms: base, harness_diagnostics_share: harness / base, hocs_share: own / base, hocs_alone_ms: HD, hocs_full_alone_ms: HF };
  console.log(`  ${target.id} × ${models.length} models, ${o.rounds} interleaved rounds (medians):`);
  console.log(`  study, published estimators only ${(A / 1000).toFixed(2)} s; full study ${(B / 1000).toFixed(2)} s; diagnostics ${D.toFixed(1)} ms; consensus + recommendation ${CR.toFixed(1)} ms; validation harness ${V.toFixed(1)} ms`);
  console.log(`  harness + diagnostics ${(harness / 1000).toFixed(2)} s on a ${(base / 1000).toFixed(2)} s study = ${(100 * harness / base).toFixed(1)} % (target ≤ 10 %)`);
  console.log(`  own estimators hocs + hocs_finest + hocs_full (not part of that target) ${(own / 1000).toFixed(2)} s = ${(100 * own / base).toFixed(1)} %`);
  console.log(`  timed alone on the study's features (${models.length} models × ${spec.bootstrapResamples! + 1} scores): hocs ${(HD / 1000).toFixed(2)} s, hocs_full ${(HF / 1000).toFixed(2)} s (${(HF / HD).toFixed(1)}×)`);
  return fig;
}
