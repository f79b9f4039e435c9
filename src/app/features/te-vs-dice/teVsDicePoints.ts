// Pure view-model of the TE-vs-Dice scatter (item 4): one point per model with both an estimator value and a
// fine-tuned Dice, plus the study's weighted τ and Pearson (with their 95 % intervals) for that estimator.
import type { StudyReport } from '../../../core/pipeline/report.ts';

export interface TePoint { id: string; name: string; x: number; y: number; xci: [number, number] | null; ysd: number | null }

export function teVsDicePoints(study: StudyReport, key: string): TePoint[] {
  return study.models.flatMap((m) => {
    const s = m.scores[key], d = study.dice?.[m.id];
    if (!s || s.value === null || !d || !Number.isFinite(d.mean)) return [];
    return [{ id: m.id, name: m.name, x: s.value, y: d.mean, xci: s.ci, ysd: d.sd ?? null }];
  });
}

export function correlationText(study: StudyReport, key: string): { tau: string; pearson: string } | null {
  const c = study.correlation?.[key];
  if (!c) return null;
  const f = (e: { value: number | null; ci: [number, number] | null }) => (e.value === null ? '—' : `${e.value.toFixed(3)}${e.ci ? ` [${e.ci[0].toFixed(3)}, ${e.ci[1].toFixed(3)}]` : ''}`);
  return { tau: f(c.weighted_kendall_tau), pearson: f(c.pearson) };
}
