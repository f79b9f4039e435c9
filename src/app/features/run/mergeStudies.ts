// Merges per-model studies into one (item 2): the app runs the CLI's study one model at a time so that a cancel
// keeps every finished model. Scores depend only on (model, seed), so the merge equals one runStudy over all models:
// ranks are recomputed over the merged list and the Dice correlation is computed once, as runStudy does.
import type { TeWarning } from '../../../core/errors.ts';
import type { StudyReport } from '../../../core/pipeline/report.ts';
import { rankModels } from '../../../core/pipeline/modelReport.ts';
import { correlateWithDice, type DiceTable } from '../../../core/pipeline/correlate.ts';
import { diceCeiling, recommend } from '../../../core/pipeline/recommend.ts';

export function mergeStudies(parts: StudyReport[], opts: { dice?: DiceTable; seed: number; resamples: number }): StudyReport | null {
  if (parts.length === 0) return null;
  const first = parts[0];
  const models = parts.flatMap((p) => p.models.map((m) => ({ ...m, scores: Object.fromEntries(Object.entries(m.scores).map(([k, v]) => [k, { ...v }])) })));
  rankModels(models);
  const seen = new Set<string>();
  const warnings: TeWarning[] = [];
  for (const w of parts.flatMap((p) => p.warnings)) if (!seen.has(w.message)) { seen.add(w.message); warnings.push(w); }
  const caps = Object.assign({}, ...parts.map((p) => p.spec.caps));
  const estimators = [...new Set(models.flatMap((m) => Object.keys(m.scores)))]; // incl. the consensus keys rankModels adds
  const study: StudyReport = { ...first, spec: { ...first.spec, caps, estimators }, models, warnings };
  delete study.dice;
  delete study.correlation;
  if (opts.dice) Object.assign(study, correlateWithDice(models, opts.dice, { seed: opts.seed, resamples: Math.max(opts.resamples, 200) }, (w) => warnings.push(w)));
  study.recommendation = recommend(study, diceCeiling(models, opts.dice)); // over every model, as runStudy does
  return study;
}
