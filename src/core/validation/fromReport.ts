// Validates a TransferLens report (docs/report-schema.md) against fine-tuned Dice (issue 7 item 1): every study,
// the target average, the own-estimator candidates and their leave-one-target-out selection.
import type { TeWarning } from '../errors.ts';
import type { Report } from '../pipeline/report.ts';
import type { DiceTable } from '../pipeline/correlate.ts';
import { averageValidation, type AverageValidation } from './average.ts';
import { OWN_CANDIDATES, withRankConsensus } from './consensus.ts';
import { validateStudy, type StudyReplicates, type StudyValidation, type ValidateOptions, type ValidationModel } from './harness.ts';
import { leaveOneTargetOut, type LotoResult } from './loto.ts';
import { compareTau, type PairedComparison } from './compare.ts';

export interface ValidationReport {
  schema: 'transferlens-validation';
  version: 1;
  studies: StudyValidation[];
  average: AverageValidation;
  own_estimator: { candidates: { key: string; members?: string[] }[]; loto: LotoResult };
  /**
   * The own estimator (the candidate leave-one-target-out chose most often) against the best published estimator
   * by average τ and against CC-FV (official and paper variants): paired Δτ with intervals.
   */
  comparisons: PairedComparison[];
  /** Models the collapse rule flags, per target (src/core/diagnostics). */
  collapsed: Record<string, string[]>;
}

/** Dice per target: `byTarget[target]`, else `fallback` (a single-target table applied to every study). */
export interface DiceSource { byTarget: Record<string, DiceTable>; fallback?: DiceTable }

function modelsOf(study: Report['studies'][number]): ValidationModel[] {
  const base = study.models.map((m) => ({
    id: m.id,
    scores: Object.fromEntries(Object.entries(m.scores).map(([k, v]) => [k, v.value])),
    replicates: m.replicates,
  }));
  let ms: ValidationModel[] = base;
  for (const c of OWN_CANDIDATES) if (c.members && !ms.every((m) => c.key in m.scores) && c.members.every((k) => ms.every((m) => k in m.scores))) ms = withRankConsensus(ms, c.key, c.members);
  return ms;
}

export function validateReport(report: Report, dice: DiceSource, opts: ValidateOptions = {}, warn: (w: TeWarning) => void = () => {}): ValidationReport {
  const done: { result: StudyValidation; replicates: StudyReplicates; dice: number[] }[] = [];
  const collapsed: Record<string, string[]> = {};
  for (const study of report.studies) {
    collapsed[study.target] = study.models.filter((m) => m.diagnostics?.collapsed).map((m) => m.id);
    const table = dice.byTarget[study.target] ?? dice.fallback;
    if (!table) { warn({ code: 'invalid-input', message: `${study.target}: no fine-tuned Dice; target skipped` }); continue; }
    const perSeed = Object.fromEntries(Object.entries(table).map(([id, e]) => [id, e.dice?.length ? e.dice : [e.mean]]));
    const models = modelsOf(study);
    const v = validateStudy({ target: study.target, models, dice: perSeed }, opts, warn);
    const used = models.filter((m) => perSeed[m.id]);
    const S = Math.min(...used.map((m) => perSeed[m.id].length));
    done.push({ ...v, dice: used.map((m) => perSeed[m.id].slice(0, S).reduce((a, b) => a + b, 0) / S) });
  }
  const average = averageValidation(done, { seed: opts.seed });
  const targets = done.map((d) => d.result.target);
  const tau = Object.fromEntries(OWN_CANDIDATES.map((c) => [c.key, Object.fromEntries(done.map((d) => [d.result.target, d.result.estimators[c.key]?.weighted_kendall_tau.value ?? null]))]));
  const loto = leaveOneTargetOut(tau, OWN_CANDIDATES.map((c) => c.key), targets);
  const own = OWN_CANDIDATES.map((c) => c.key).reduce((best, k) => (loto.folds.filter((f) => f.chosen === k).length > loto.folds.filter((f) => f.chosen === best).length ? k : best), OWN_CANDIDATES[0].key);
  const ownKeys = new Set(OWN_CANDIDATES.map((c) => c.key));
  const published = Object.entries(average.estimators).filter(([k, e]) => !ownKeys.has(k) && e.n_targets === done.length && e.weighted_kendall_tau.value !== null)
    .sort((x, y) => y[1].weighted_kendall_tau.value! - x[1].weighted_kendall_tau.value!).map(([k]) => k);
  const against = [...new Set([published[0], 'ccfv_official', 'ccfv_paper'].filter((k): k is string => !!k))];
  const comparisons = against.map((b) => compareTau(done, own, b)).filter((c): c is PairedComparison => c !== null);
  return {
    schema: 'transferlens-validation',
    version: 1,
    studies: done.map((d) => d.result),
    average,
    own_estimator: { candidates: OWN_CANDIDATES, loto },
    comparisons,
    collapsed,
  };
}
