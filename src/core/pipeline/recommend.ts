// The study's recommendation (issue 7 §5): the top model under the product's default estimator, the models that
// cannot be told apart from it at 95 % (paired case bootstrap), collapse flags, and a plain sentence on trust.
import type { ModelReport, StudyReport } from './report.ts';
import type { DiceTable } from './correlate.ts';
import { noiseCeiling } from '../validation/noiseCeiling.ts';

/**
 * The product default: the rank consensus of HOCS, H-score, LogME and TransRate, chosen by the leave-one-target-
 * out protocol of docs/estimators/hocs.md (fixed before comparing with Dice). LEEP when it is missing.
 */
export const DEFAULT_ESTIMATOR = 'consensus_hocs_hscore_logme_transrate';
export const FALLBACK_ESTIMATOR = 'leep';

/**
 * What the default estimator achieved where it could be checked (docs/estimators/hocs.md, "Results": 10 fine-tuning
 * seeds; leave-one-target-out on the demo targets, and the held-out and fresh targets of the third round), told to
 * users whose bank has no fine-tuned Dice. Update it with that section.
 */
export const DEMO_BANK_STANDING = 'on the demo bank (11 models) the default estimator reached a held-out τ of about 0.37 on its 4 demo targets (the best published score 0.30) but only about 0.23 over 11 targets (0.12 on 4 targets built later to check it, below chance there), where the fine-tuning results\' own seed-to-seed noise allowed about 0.6: treat the ranking as a shortlist, not a verdict.';

export interface Recommendation {
  estimator: string;
  top: string | null;
  /** Models whose paired bootstrap difference to the top model includes 0 (95 %). */
  indistinguishable: string[];
  collapsed: string[];
  /** Plain-language trust statement for clinicians. */
  sentence: string;
}

/** A paired difference top − other over the shared case resamples; "apart" when its 2.5th percentile is > 0. */
function apart(top: ModelReport, other: ModelReport, key: string): boolean | null {
  const a = top.replicates?.[key], b = other.replicates?.[key];
  if (!a || !b || a.length !== b.length) return null;
  const d = a.map((v, i) => (v === null || b[i] === null ? null : v - b[i]!)).filter((v): v is number => v !== null).sort((x, y) => x - y);
  if (d.length < 20) return null;
  return d[Math.floor(0.025 * (d.length - 1))] > 0;
}

export function recommend(study: Pick<StudyReport, 'models' | 'correlation'>, ceiling?: { value: number; ci?: [number, number] | null }): Recommendation {
  const key = study.models.some((m) => m.scores[DEFAULT_ESTIMATOR]?.value != null) ? DEFAULT_ESTIMATOR : FALLBACK_ESTIMATOR;
  const ranked = study.models.filter((m) => m.scores[key]?.value != null).sort((a, b) => b.scores[key].value! - a.scores[key].value!);
  const top = ranked[0];
  const indistinguishable = top ? ranked.slice(1).filter((m) => {
    const p = apart(top, m, key);
    if (p !== null) return !p;
    const ci = m.scores[key].ci, tci = top.scores[key].ci; // no replicates: overlapping intervals
    return !!(ci && tci && ci[1] >= tci[0]);
  }).map((m) => m.id) : [];
  const collapsed = study.models.filter((m) => m.diagnostics?.collapsed).map((m) => m.id);
  const parts: string[] = [];
  if (!top) parts.push('No model could be scored under the default estimator.');
  else if (indistinguishable.length === 0) parts.push(`${top.id} ranks first and is clearly ahead of the others on these cases.`);
  else parts.push(`${top.id} ranks first, but ${indistinguishable.length} other model(s) (${indistinguishable.join(', ')}) cannot be told apart from it on these cases: treat them as equally good starting points.`);
  const tau = study.correlation?.[key]?.weighted_kendall_tau;
  if (tau?.value != null) parts.push(`On this bank's fine-tuned Dice the estimator's rank agreement is τ = ${tau.value.toFixed(2)}${tau.ci ? ` (95 % interval ${tau.ci[0].toFixed(2)} to ${tau.ci[1].toFixed(2)})` : ''}.`);
  else parts.push(`No fine-tuned Dice is available for this bank, so how well the ranking predicts fine-tuning here is unknown; ${DEMO_BANK_STANDING}`);
  if (ceiling) parts.push(`The fine-tuning results themselves only support τ up to about ${ceiling.value.toFixed(2)} (their seed-to-seed noise), so rankings closer than that are not meaningful.`);
  if (collapsed.length) parts.push(`Flagged as collapsed (features do not separate the target's classes, so their scores are suspect): ${collapsed.join(', ')}.`);
  return { estimator: key, top: top?.id ?? null, indistinguishable, collapsed, sentence: parts.join(' ') };
}

/** The ground truth's own noise ceiling (τ of one seed vs the others), when per-seed Dice exists for every model. */
export function diceCeiling(models: { id: string }[], dice?: DiceTable): { value: number } | undefined {
  const rows = models.map((m) => dice?.[m.id]?.dice).filter((d): d is number[] => Array.isArray(d));
  if (rows.length < 3 || rows.length !== models.length || rows.some((r) => r.length !== rows[0].length || r.length < 2)) return undefined;
  const value = noiseCeiling(rows);
  return Number.isFinite(value) ? { value } : undefined;
}
