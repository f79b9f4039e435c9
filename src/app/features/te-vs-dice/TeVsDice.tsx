// The TE-vs-Dice area (item 4): a plotly scatter of one estimator against fine-tuned Dice (the demo's ground truth
// or the user's file), weighted Kendall τ and Pearson with 95 % intervals, hover naming the model, one click per
// estimator to switch: the CC-FV paper's Fig. 2 for the user's own bank. Beside it, the validation table (every
// estimator vs the Dice with seed × case intervals, noise ceiling, chance level; a row click shows it in the scatter).
import { useMemo, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { Plot } from '../../plot/Plot.tsx';
import { correlationText, teVsDicePoints } from './teVsDicePoints.ts';
import { useValidationTable } from './useValidationTable.ts';
import { ValidationTable } from './ValidationTable.tsx';
import { DEFAULT_ESTIMATOR } from '../../../core/pipeline/recommend.ts';

// Scatter and validation table side by side on a wide panel, stacked on a narrow one; each keeps its own height.
const SIDE_BY_SIDE = { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(26rem, 1fr))', gap: '1rem', alignItems: 'start' } as const;

// The product's default (the recommendation's estimator) first, then the papers' estimators and HOCS.
const FEATURED = [DEFAULT_ESTIMATOR, 'ccfv_official', 'ccfv_paper', 'logme_fixed_point', 'leep', 'nce', 'gbc_diagonal', 'hscore', 'transrate_official_eig_eps1e-4', 'hocs'];

export default function TeVsDice() {
  const report = useAppStore((s) => s.report)!;
  const [key, setKey] = useState('ccfv_official');
  const keys = Object.keys(report.models[0]?.scores ?? {});
  const k = keys.includes(key) ? key : keys[0];
  const points = useMemo(() => teVsDicePoints(report, k), [report, k]);
  const corr = correlationText(report, k);
  const validation = useValidationTable(report);
  const data = useMemo(() => [{
    type: 'scatter', mode: 'markers+text', x: points.map((p) => p.x), y: points.map((p) => p.y), text: points.map((p) => p.id), textposition: 'top center',
    textfont: { size: 9 }, customdata: points.map((p) => p.id), hovertemplate: '%{customdata}<br>' + k + ' %{x:.4g}<br>Dice %{y:.3f}<extra></extra>',
    error_y: { type: 'data', array: points.map((p) => p.ysd ?? 0), visible: points.some((p) => p.ysd !== null) },
    marker: { size: 9, color: '#1f6feb' },
  }], [points, k]);
  const layout = useMemo(() => ({ height: 380, xaxis: { title: { text: k } }, yaxis: { title: { text: 'fine-tuned Dice' } }, title: { text: `${report.target}: ${k} vs fine-tuned Dice`, font: { size: 13 } } }), [k, report.target]);
  return (
    <section className="panel" id="te-vs-dice" aria-labelledby="tvd-title">
      <h2 id="tvd-title">4. TE vs Dice</h2>
      <div className="chips" role="group" aria-label="Estimator">
        {FEATURED.filter((x) => keys.includes(x)).map((x) => <button key={x} type="button" aria-pressed={x === k} data-testid="tvd-estimator" onClick={() => setKey(x)}>{x}</button>)}
        <select aria-label="Any estimator" value={k} onChange={(e) => setKey(e.target.value)}>{keys.map((x) => <option key={x}>{x}</option>)}</select>
      </div>
      {points.length === 0 ? (
        <p className="muted" data-testid="te-vs-dice">No fine-tuned Dice for this target’s models yet: drop a Dice CSV (model,dice) or JSON to compare.</p>
      ) : (
        <>
          <p data-testid="tvd-correlation">{corr ? <>weighted Kendall τ = <strong data-testid="tvd-tau">{corr.tau}</strong> · Pearson r = <strong>{corr.pearson}</strong> over {points.length} models (95 % bootstrap intervals over models)</> : `fewer than 3 models with Dice: no correlation (${points.length})`}</p>
          <div style={SIDE_BY_SIDE}>
            <Plot data={data} layout={layout} testId="te-vs-dice" />
            <ValidationTable state={validation} selected={k} onPick={setKey} />
          </div>
        </>
      )}
    </section>
  );
}
