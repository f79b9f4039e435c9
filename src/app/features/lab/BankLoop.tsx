// "Fine-tune every model in the bank" (issue 8 §4): choose the models, one scheme, seeds, iterations and a time budget;
// the lab's worker fine-tunes each model on the target's labelled slices and the Dice file it writes becomes the
// ground truth of the TE-vs-Dice view and the validation table (the report is re-correlated at once), and can be saved.
import { useMemo, useState } from 'react';
import type { DiceTable } from '../../../core/pipeline/correlate.ts';
import { appStore, useAppStore } from '../../state/store.ts';
import { download } from '../export/download.ts';
import { mergeStudies } from '../run/mergeStudies.ts';
import { runBankLoop, stopBankLoop, type BankLoopResult, type BankProgress } from './bankLoop.ts';
import { CONDITIONS, fmt } from './labRuns.ts';

/** Puts the loop's Dice in the bank (the newest Dice item wins for its target) and re-correlates the shown report. */
function adopt(res: BankLoopResult, targetId: string): void {
  const s = appStore.getState();
  s.upsertDice({ id: 'dice:lab-bank', fileName: 'fine-tuned in this browser (lab)', source: 'user', tables: res.file.targets, problems: [] });
  const table: DiceTable | undefined = res.file.targets[targetId];
  if (s.report && s.report.target === targetId && table && Object.keys(table).length > 0) {
    const merged = mergeStudies([s.report], { dice: table, seed: s.runOptions.seed, resamples: s.runOptions.resamples });
    if (merged) s.setRunState({ report: merged });
  }
}

export default function BankLoop() {
  const allModels = useAppStore((s) => s.models), allTargets = useAppStore((s) => s.targets), selectedTarget = useAppStore((s) => s.selectedTarget);
  const models = useMemo(() => allModels.filter((m) => m.status === 'ok' && m.manifest?.dim === 2 && m.manifest.in_channels === 1 && !m.derived), [allModels]);
  const target = allTargets.find((t) => t.id === selectedTarget && t.status === 'ok' && t.labelName);
  const [excluded, setExcluded] = useState<string[]>([]);
  const [condId, setCondId] = useState('constant');
  const [seeds, setSeeds] = useState(3), [iterations, setIterations] = useState(15), [batch, setBatch] = useState(8), [lr, setLr] = useState(1e-3), [budget, setBudget] = useState(3600);
  const [progress, setProgress] = useState<BankProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<BankLoopResult | null>(null);
  const [error, setError] = useState('');
  const chosen = models.filter((m) => !excluded.includes(m.id));
  const num = (v: string, set: (n: number) => void, min: number) => { const n = Number(v); if (Number.isFinite(n) && n >= min) set(n); };

  const go = async () => {
    if (!target || chosen.length === 0) return;
    setError(''); setResult(null); setRunning(true);
    try {
      const res = await runBankLoop({ models: chosen, target, condition: CONDITIONS.find((c) => c.id === condId)!, seeds, iterations, batch, lr, timeBudget: budget }, setProgress);
      setResult(res);
      adopt(res, target.id);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  };

  if (!target || models.length === 0) return null;
  const table = result?.file.targets[target.id] ?? {};
  return (
    <section className="panel" id="lab-bank" aria-labelledby="lab-bank-title" data-testid="bank-loop" data-running={String(running)}>
      <h2 id="lab-bank-title">Fine-tune every model (your own ground truth)</h2>
      <p className="muted">Each chosen model is fine-tuned on {target.id}&apos;s training slices with one scheme and N seeds; held-out Dice becomes the
        ground truth of the TE-vs-Dice view and the validation table, and can be saved as a Dice file for <code>transferlens validate</code>.</p>
      <fieldset><legend>Models</legend>
        {models.map((m) => (
          <label key={m.id}><input type="checkbox" data-testid={`bank-model-${m.id}`} checked={!excluded.includes(m.id)}
            onChange={(e) => setExcluded((xs) => (e.target.checked ? xs.filter((x) => x !== m.id) : [...xs, m.id]))} /> {m.id} </label>
        ))}
      </fieldset>
      <label>Scheme <select data-testid="bank-scheme" value={condId} onChange={(e) => setCondId(e.target.value)}>
        {CONDITIONS.filter((c) => c.scheme !== 'bi-directional' && c.scheme !== 'layer-wise').map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
      </select></label>{' '}
      <label>Seeds <input type="number" data-testid="bank-seeds" min={1} value={seeds} onChange={(e) => num(e.target.value, setSeeds, 1)} /></label>{' '}
      <label>Iterations <input type="number" data-testid="bank-iterations" min={1} value={iterations} onChange={(e) => num(e.target.value, setIterations, 1)} /></label>{' '}
      <label>Batch <input type="number" data-testid="bank-batch" min={1} value={batch} onChange={(e) => num(e.target.value, setBatch, 1)} /></label>{' '}
      <label>LR <input type="number" data-testid="bank-lr" step="any" value={lr} onChange={(e) => num(e.target.value, setLr, 1e-9)} /></label>{' '}
      <label>Time budget (s) <input type="number" data-testid="bank-budget" min={1} value={budget} onChange={(e) => num(e.target.value, setBudget, 1)} /></label>{' '}
      <button type="button" data-testid="start-bank-loop" disabled={running || chosen.length === 0} onClick={() => void go()}>Fine-tune {chosen.length} models</button>{' '}
      <button type="button" data-testid="cancel-bank-loop" disabled={!running} onClick={stopBankLoop}>Stop</button>
      {progress && running && (
        <p aria-live="polite" data-testid="bank-progress">Run {progress.index}/{progress.total}: {progress.model}, seed {progress.seed}, iteration {progress.iteration}/{progress.iterations} ({progress.elapsed.toFixed(0)} s of {budget} s)</p>
      )}
      {error && <p className="problems" role="alert">{error}</p>}
      {result && (
        <>
          <table data-testid="bank-dice"><thead><tr><th>Model</th><th>Dice per seed</th><th>mean ± sd</th></tr></thead>
            <tbody>{Object.entries(table).map(([id, e]) => (
              <tr key={id} data-testid="bank-dice-row" data-model-id={id} data-mean={e.mean}><td>{id}</td><td>{(e.dice ?? []).map((d) => fmt(d)).join(', ')}</td><td>{fmt(e.mean)} ± {fmt(e.sd ?? null)}</td></tr>
            ))}</tbody>
          </table>
          {result.skipped.length > 0 && <p className="muted" data-testid="bank-skipped">Not run (time budget or stop): {result.skipped.join(', ')}.</p>}
          {result.errors.length > 0 && <p className="problems" role="alert">{result.errors.join('; ')}</p>}
          <p className="muted">These values are now the fine-tuned Dice for {target.id} in the TE-vs-Dice view and the validation table.</p>
          <button type="button" data-testid="bank-export-dice" onClick={() => download(JSON.stringify(result.file, null, 1) + '\n', `finetune-dice-${target.id}.json`, 'application/json')}>Save Dice file (JSON)</button>
        </>
      )}
    </section>
  );
}
