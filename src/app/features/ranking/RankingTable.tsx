// The Ranking area (item 3): one row per model, sortable by any estimator, value with its bootstrap 95 % interval,
// rank, a "≈" mark where a model cannot be told apart from the next at 95 % (rule in rankingRows.ts), per-layer
// CC-FV on expand, and the notice when the target's labels are derived rather than expert annotations.
import { Fragment, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { fmt, rankingRows } from './rankingRows.ts';

export function RankingTable() {
  const report = useAppStore((s) => s.report);
  const status = useAppStore((s) => s.runStatus);
  const target = useAppStore((s) => s.targets.find((t) => t.id === s.report?.target));
  const [key, setKey] = useState<string | null>(null); // null: the product's default estimator (the recommendation's)
  const [desc, setDesc] = useState(true);
  const [open, setOpen] = useState<string | null>(null);
  const openInLab = useAppStore((s) => s.openInLab);
  if (!report) return <section className="panel" id="ranking"><h2>3. Ranking</h2><p className="muted">Run a study to rank the models.</p></section>;
  // Every score key of the merged models (per-model runs lack the consensus keys in spec.estimators).
  const keys = [...new Set([...report.spec.estimators, ...report.models.flatMap((m) => Object.keys(m.scores))])];
  const preferred = key ?? report.recommendation?.estimator ?? 'ccfv_official';
  const k = keys.includes(preferred) ? preferred : keys[0];
  const rec = report.recommendation;
  const rows = rankingRows(report, k, desc);
  const byId = new Map(report.models.map((m) => [m.id, m]));
  return (
    <section className="panel" id="ranking" aria-labelledby="ranking-title">
      <h2 id="ranking-title">3. Ranking <span className="muted">· target {report.target}{status === 'cancelled' ? ' · cancelled: finished models only' : ''}</span></h2>
      {target?.labelsAreDerived && <p className="notice" data-testid="derived-labels-notice">The demo targets’ labels are derived (thresholds, k-means, atlas regions), not expert annotations: the ranking shows how the method behaves, not a clinical result.</p>}
      {rec && (
        <div className="notice" data-testid="recommendation" data-top={rec.top ?? ''} data-estimator={rec.estimator}>
          <strong>Recommendation{rec.top ? `: start from ${rec.top}` : ''}</strong> <span className="muted">(by {rec.estimator})</span>
          <p>{rec.sentence}</p>
          {rec.top && <button type="button" data-testid="recommendation-to-lab" onClick={() => { openInLab(rec.top!); document.getElementById('lab')?.scrollIntoView({ behavior: 'smooth' }); }}>
            Fine-tune {rec.top} in the lab</button>}
        </div>
      )}
      <label>Sort by <select data-testid="sort-key" value={k} onChange={(e) => setKey(e.target.value)}>{keys.map((x) => <option key={x} value={x}>{x}</option>)}</select></label>{' '}
      <button type="button" onClick={() => setDesc(!desc)}>{desc ? 'best first' : 'worst first'}</button>
      <p className="muted">“≈ next” marks a model that cannot be told apart from the next one at 95 %: the paired case-bootstrap difference of their scores has a 95 % interval containing 0.</p>
      <table className="ranking" data-testid="ranking-table" data-sort-key={k}>
        <thead><tr><th>Rank</th><th>Model</th><th>{k}</th><th>95 % interval</th><th /><th>Fine-tuned Dice</th><th>Provider</th><th>Time</th></tr></thead>
        <tbody>
          {rows.map((r) => {
            const m = byId.get(r.id)!;
            return (
              <Fragment key={r.id}>
                <tr data-testid="ranking-row" data-model-id={r.id} data-value={r.score.value ?? ''} data-rank={r.score.rank ?? ''}
                  data-ci={r.score.ci ? r.score.ci.join(',') : ''} onClick={() => setOpen(open === r.id ? null : r.id)} className={r.collapsed ? 'collapsed' : undefined}>
                  <td>{r.score.rank ?? '—'}</td>
                  <td><button type="button" className="linkish" aria-expanded={open === r.id}>{open === r.id ? '▾' : '▸'} {r.name}</button>{r.collapsed && <span title="collapse diagnostics flagged this model" className="badge">collapsed?</span>}</td>
                  <td className="num">{fmt(r.score.value)}</td>
                  <td className="num">{r.score.ci ? `[${fmt(r.score.ci[0])}, ${fmt(r.score.ci[1])}]` : '—'}</td>
                  <td>{r.tiedWithNext && <span className="tie" data-testid="tie-mark" title="cannot be told apart from the next model at 95 %">≈ next</span>}</td>
                  <td className="num">{fmt(r.dice, 3)}</td>
                  <td>{r.provider}</td>
                  <td className="num">{r.seconds.toFixed(1)} s</td>
                </tr>
                {open === r.id && (
                  <tr className="expand"><td colSpan={8} data-testid="ccfv-layers">
                    {m.diagnostics && (
                      <div data-testid="diagnostics">
                        <p><strong>{m.diagnostics.collapsed ? 'Collapse suspected' : 'No collapse'}</strong>{m.diagnostics.reasons.length ? ': ' : ''}{m.diagnostics.reasons.join('; ')}</p>
                      </div>
                    )}
                    <table><thead><tr><th>CC-FV variant</th>{m.layers.map((l) => <th key={l.name}>{l.name} (stride {l.stride}, {l.channels} ch)</th>)}</tr></thead>
                      <tbody>{Object.entries(m.ccfv_layers).map(([v, vals]) => <tr key={v}><td>{v}</td>{vals.map((x, i) => <td key={i} className="num">{fmt(x)}</td>)}</tr>)}</tbody></table>
                  </td></tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
