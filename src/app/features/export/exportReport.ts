// Export builders (item 7): the report JSON in the CLI's schema (docs/report-schema.md: {schema, version, created,
// tool, studies}) and the ranking as CSV (one row per model: every estimator's value, interval and rank).
import { REPORT_SCHEMA, REPORT_VERSION, type Report, type StudyReport } from '../../../core/pipeline/report.ts';

export function reportJson(study: StudyReport, runtime: string, created = new Date().toISOString()): Report {
  return { schema: REPORT_SCHEMA, version: REPORT_VERSION, created, tool: { name: 'transferlens', version: '0.1.0', runtime }, studies: [study] };
}

const cell = (x: unknown) => (x === null || x === undefined ? '' : /[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x));

export function rankingCsv(study: StudyReport): string {
  const keys = Object.keys(study.models[0]?.scores ?? {});
  const head = ['target', 'model', 'provider', 'seconds', 'finetuned_dice', ...keys.flatMap((k) => [k, `${k}_ci_low`, `${k}_ci_high`, `${k}_rank`])];
  const rows = study.models.map((m) => [study.target, m.id, m.provider, m.seconds.toFixed(3), study.dice?.[m.id]?.mean ?? null,
    ...keys.flatMap((k) => { const s = m.scores[k]; return [s?.value ?? null, s?.ci?.[0] ?? null, s?.ci?.[1] ?? null, s?.rank ?? null]; })]);
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
