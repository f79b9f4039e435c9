// Pure view-model of the ranking table (item 3): rows sorted by one estimator, and the rule that marks two
// neighbouring models as indistinguishable at 95 %: the paired case-bootstrap difference of their scores (same
// resamples for every model, report `replicates`) has a 2.5–97.5 % percentile interval that contains 0. Without
// replicates (older reports) the rule falls back to overlapping 95 % intervals.
import type { ModelReport, ScoreEntry, StudyReport } from '../../../core/pipeline/report.ts';

export interface RankingRow {
  id: string;
  name: string;
  score: ScoreEntry;
  /** True when this model cannot be told apart from the next row's at 95 %. */
  tiedWithNext: boolean;
  provider: string;
  seconds: number;
  dice: number | null;
  collapsed: boolean;
}

function percentile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q, lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Whether two models' scores under `key` cannot be told apart at 95 % (see the module comment). */
export function indistinguishable(a: ModelReport, b: ModelReport, key: string): boolean {
  const sa = a.scores[key], sb = b.scores[key];
  if (!sa || !sb || sa.value === null || sb.value === null) return false;
  const ra = a.replicates?.[key], rb = b.replicates?.[key];
  if (ra && rb && ra.length === rb.length && ra.length >= 20) {
    const d: number[] = [];
    for (let i = 0; i < ra.length; i++) if (ra[i] !== null && rb[i] !== null) d.push(ra[i]! - rb[i]!);
    if (d.length >= 20) {
      d.sort((x, y) => x - y);
      return percentile(d, 0.025) <= 0 && percentile(d, 0.975) >= 0;
    }
  }
  if (!sa.ci || !sb.ci) return false;
  return sa.ci[0] <= sb.ci[1] && sb.ci[0] <= sa.ci[1];
}

/** Rows sorted by `key`, best (highest) first; undefined scores last. `descending=false` reverses the defined part. */
export function rankingRows(study: StudyReport, key: string, descending = true): RankingRow[] {
  const val = (m: ModelReport) => m.scores[key]?.value ?? null;
  const models = [...study.models].sort((a, b) => {
    const x = val(a), y = val(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return descending ? y - x : x - y;
  });
  return models.map((m, i) => ({
    id: m.id, name: m.name, provider: m.provider, seconds: m.seconds,
    score: m.scores[key] ?? { value: null, ci: null, rank: null },
    tiedWithNext: i + 1 < models.length && indistinguishable(m, models[i + 1], key),
    dice: study.dice?.[m.id]?.mean ?? null,
    collapsed: m.diagnostics?.collapsed === true,
  }));
}

export const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '—' : Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toFixed(digits));
