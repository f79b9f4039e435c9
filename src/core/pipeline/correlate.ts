// Agreement of every estimator with fine-tuned Dice over a study's models: weighted Kendall τ (spec §11) and
// Pearson, each with a seeded bootstrap 95 % interval over models.
import type { TeWarning } from '../errors.ts';
import { bootstrapCases } from '../stats/bootstrap.ts';
import { pearson } from '../stats/pearson.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';
import { finiteOrNull, type CorrelationEntry, type ModelReport, type StudyReport } from './report.ts';

/** Fine-tuned Dice per model id: the mean (and optionally the per-seed values and sd). */
export type DiceTable = Record<string, { mean: number; sd?: number; dice?: number[] }>;

export function correlateWithDice(
  models: ModelReport[], dice: DiceTable, opts: { seed: number; resamples: number }, warn: (w: TeWarning) => void,
): Pick<StudyReport, 'dice' | 'correlation'> {
  const withDice = models.filter((m) => dice[m.id] && Number.isFinite(dice[m.id].mean));
  const missing = models.filter((m) => !withDice.includes(m)).map((m) => m.id);
  if (missing.length) warn({ code: 'invalid-input', message: `no fine-tuned Dice for ${missing.join(', ')}; left out of the correlations` });
  const correlation: Record<string, CorrelationEntry> = {};
  const keys = new Set(withDice.flatMap((m) => Object.keys(m.scores)));
  for (const k of keys) {
    const rows = withDice.filter((m) => m.scores[k]?.value !== null && m.scores[k]?.value !== undefined);
    if (rows.length < 3) continue;
    const x = rows.map((m) => m.scores[k].value!);
    const y = rows.map((m) => dice[m.id].mean);
    const entry = (f: (a: number[], b: number[]) => number): CorrelationEntry['pearson'] => {
      const b = bootstrapCases(rows.length, (idx) => f(Array.from(idx, (i) => x[i]), Array.from(idx, (i) => y[i])), { seed: opts.seed, resamples: opts.resamples });
      const ok = Number.isFinite(b.lower) && Number.isFinite(b.upper);
      return { value: finiteOrNull(b.estimate), ci: ok ? [b.lower, b.upper] : null, rank: null };
    };
    correlation[k] = { weighted_kendall_tau: entry((a, b) => weightedKendallTau(a, b)), pearson: entry((a, b) => pearson(a, b)) };
  }
  return { dice: Object.fromEntries(withDice.map((m) => [m.id, dice[m.id]])), correlation };
}
