// The Export area (item 7): the report as JSON in the CLI's schema, the ranking as CSV, and each plot as PNG.
import { useAppStore } from '../../state/store.ts';
import { download } from './download.ts';
import { rankingCsv, reportJson } from './exportReport.ts';
import { plotPng } from '../../plot/Plot.tsx';

export function ExportBar() {
  const report = useAppStore((s) => s.report);
  if (!report) return null;
  const plots = () => Array.from(document.querySelectorAll<HTMLElement>('.plot[data-rendered="true"]'));
  return (
    <section className="panel" id="export" aria-labelledby="export-title">
      <h2 id="export-title">7. Export</h2>
      <button type="button" data-testid="export-report" onClick={() => download(JSON.stringify(reportJson(report, `browser ${navigator.userAgent}, onnxruntime-web`), null, 1), `transferlens-${report.target}.json`, 'application/json')}>Report (JSON)</button>{' '}
      <button type="button" data-testid="export-csv" onClick={() => download(rankingCsv(report), `transferlens-${report.target}-ranking.csv`, 'text/csv')}>Ranking (CSV)</button>{' '}
      <button type="button" data-testid="export-png" onClick={() => void Promise.all(plots().map((el, i) => plotPng(el, `transferlens-${report.target}-${el.dataset.testid ?? `plot-${i}`}.png`)))}>Plots (PNG)</button>
    </section>
  );
}
