// The fine-tuning lab (issue 8 §3): pick a model, the conditions to compare, seeds and iterations, the training
// slices, scheme options and layer groups; fine-tune in a worker (backend shown) and see loss and per-layer LR curves, Dice per condition (mean ± sd over seeds), CSV and PNG export.
import { useEffect, useMemo, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { download } from '../export/download.ts';
import { plotPng } from '../../plot/Plot.tsx';
import { LossPlot, LrPlot } from './LabCharts.tsx';
import { RiskBeforeAfter } from './RiskBeforeAfter.tsx';
import { FinetunedExports } from './FinetunedExports.tsx';
import { CONDITIONS, DEFAULT_CONTROLS, diceRows, fmt, runsCsv, schemeOptions } from './labRuns.ts';
import { LabOptions } from './LabOptions.tsx';
import { SplitEditor } from './SplitEditor.tsx';
import { LayerGroupsEditor } from './LayerGroupsEditor.tsx';
import { useLabRunner } from './useLabRunner.ts';

export default function LabPanel() {
  const allModels = useAppStore((s) => s.models), allTargets = useAppStore((s) => s.targets);
  const models = useMemo(() => allModels.filter((m) => m.status === 'ok' && (m.manifest?.dim === 2 || m.manifest?.dim === 3) && m.manifest.in_channels === 1), [allModels]);
  const targets = useMemo(() => allTargets.filter((t) => t.status === 'ok' && t.labelName), [allTargets]);
  const selectedTarget = useAppStore((s) => s.selectedTarget);
  const [modelId, setModelId] = useState('');
  // the model sent from the ranking (its recommendation), else the study's top model, else the first
  const sent = useAppStore((s) => s.labModel), recommended = useAppStore((s) => s.report?.recommendation?.top ?? null);
  useEffect(() => { if (sent) setModelId(sent.id); }, [sent]);
  const [conds, setConds] = useState<string[]>(['constant', 'metalr-paper']);
  const [seeds, setSeeds] = useState(1), [iterations, setIterations] = useState(10), [batch, setBatch] = useState(8), [lr, setLr] = useState(1e-3);
  const [train, setTrain] = useState<number[] | null>(null), [controls, setControls] = useState(DEFAULT_CONTROLS), [groupOverrides, setGroupOverrides] = useState<Record<string, string>>({});
  const scheme = useMemo(() => schemeOptions(controls, conds), [controls, conds]);
  const { runs, live, status, split, start, cancel, riskRuns } = useLabRunner();
  const [error, setError] = useState('');
  const model = models.find((m) => m.id === modelId) ?? models.find((m) => m.id === recommended) ?? models[0];
  const target = targets.find((t) => t.id === selectedTarget) ?? targets[0];
  // a 3-D model's cases are blocks of 2 × input_multiple voxels per axis (the CLI's --block default)
  const edge = model?.manifest?.dim === 3 ? 2 * (model.manifest.input_multiple ?? 1) : 0;
  const block = useMemo<[number, number, number] | undefined>(() => (edge ? [edge, edge, edge] : undefined), [edge]);
  // a batch of 2 blocks of 32³ peaks near 0.8 GB of tensors (docs/decisions/finetune-engine.md, 3-D nets): start there
  useEffect(() => { if (edge) setBatch((b) => Math.min(b, 2)); }, [edge]);
  const rows = useMemo(() => diceRows(runs), [runs]);
  const lrRun = useMemo(() => {
    if (live && !runs.some((r) => r.condition === live.condition && r.seed === live.seed)) return { name: `${live.condition} s${live.seed}`, lrs: live.curves.lrs, iteration: live.curves.iteration };
    const r = [...runs].reverse().find((x) => x.condition.startsWith('metalr')) ?? runs[runs.length - 1];
    return r ? { name: `${r.condition} s${r.seed}`, lrs: r.result.curves.lrs, iteration: r.result.curves.iteration } : null;
  }, [runs, live]);

  const go = () => {
    setError('');
    if (!model || !target || !train || scheme.error !== undefined) return;
    start({ model, target, conditions: conds, seeds, iterations, batch, lr, train, block, scheme: scheme.options, groupOverrides }).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const num = (v: string, set: (n: number) => void, min: number) => { const n = Number(v); if (Number.isFinite(n) && n >= min) set(n); };

  return (
    <section className="panel" id="lab" aria-labelledby="lab-title" data-testid="finetune-lab" data-backend={status.backend ?? ''} data-webgpu={status.webgpu ?? ''} data-running={String(status.running)}>
      <h2 id="lab-title">Fine-tuning lab</h2>
      <p className="muted">Fine-tune a model on the target&apos;s labelled slices, here in this tab, and compare schemes. Held-out slices: neither trained on nor next to one.</p>
      {models.length === 0 || !target ? <p className="muted">Load a 2-D model and a labelled target first.</p> : (
        <form onSubmit={(e) => { e.preventDefault(); go(); }}>
          <label>Model <select data-testid="lab-model" value={model?.id ?? ''} onChange={(e) => setModelId(e.target.value)}>
            {models.map((m) => <option key={m.id} value={m.id}>{m.id}</option>)}
          </select></label>{' '}
          <span className="muted">target: {target.id}</span>
          <fieldset><legend>Conditions</legend>
            {CONDITIONS.map((c) => (
              <label key={c.id}><input type="checkbox" data-testid={`lab-cond-${c.id}`} checked={conds.includes(c.id)}
                onChange={(e) => setConds((cs) => (e.target.checked ? [...cs, c.id] : cs.filter((x) => x !== c.id)))} /> {c.label} </label>
            ))}
          </fieldset>
          <LabOptions value={controls} onChange={setControls} error={scheme.error} />
          <SplitEditor target={target} block={block} onChange={setTrain} />
          {model && <LayerGroupsEditor model={model} onChange={setGroupOverrides} />}
          <label>Seeds <input type="number" data-testid="lab-seeds" min={1} value={seeds} onChange={(e) => num(e.target.value, setSeeds, 1)} /></label>{' '}
          <label>Iterations <input type="number" data-testid="lab-iterations" min={1} value={iterations} onChange={(e) => num(e.target.value, setIterations, 1)} /></label>{' '}
          <label>Batch <input type="number" data-testid="lab-batch" min={1} value={batch} onChange={(e) => num(e.target.value, setBatch, 1)} /></label>{' '}
          <label>LR <input type="number" data-testid="lab-lr" step="any" value={lr} onChange={(e) => num(e.target.value, setLr, 1e-9)} /></label>{' '}
          <button type="submit" data-testid="start-finetune" disabled={status.running || conds.length === 0 || !train || scheme.error !== undefined}>Fine-tune</button>{' '}
          <button type="button" data-testid="cancel-finetune" disabled={!status.running} onClick={cancel}>Cancel</button>
        </form>
      )}
      <p data-testid="lab-status" aria-live="polite">{status.backend ? `Backend: ${status.backend}${status.webgpu ? ` (WebGPU: ${status.webgpu})` : ''}. ` : ''}{status.text}
        {split ? ` Training slices ${split.train.join(', ')}; ${split.test.length} held-out slices.` : ''}</p>
      {(error || status.error) && <p className="problems" role="alert" data-testid="lab-error">{error || status.error}</p>}
      {rows.length > 0 && (
        <table data-testid="lab-dice"><thead><tr><th>Condition</th><th>Dice (mean ± sd)</th><th>seeds</th></tr></thead>
          <tbody>{rows.map((r) => <tr key={r.condition} data-condition={r.condition} data-mean={r.mean ?? ''}><td>{r.label}</td><td>{fmt(r.mean)} ± {fmt(r.sd)}</td><td>{r.n}</td></tr>)}</tbody>
        </table>
      )}
      <ul hidden data-testid="lab-runs">
        {runs.map((r) => <li key={`${r.condition}-${r.seed}`} data-testid="lab-run" data-condition={r.condition} data-seed={r.seed} data-dice={r.result.dice.test}
          data-loss={JSON.stringify(r.result.curves.loss)} data-backend={String(r.result.provenance.backend)} data-train={JSON.stringify(r.result.provenance.trainCases)} data-test={JSON.stringify(r.result.provenance.testCases)} />)}
      </ul>
      {(runs.length > 0 || live) && <LossPlot runs={runs} live={live} />}
      <LrPlot run={lrRun} />
      <RiskBeforeAfter runs={riskRuns} />
      <FinetunedExports runs={runs} />
      {runs.length > 0 && <button type="button" data-testid="lab-export-csv" onClick={() => download(runsCsv(runs), `finetune-curves-${model?.id ?? 'model'}.csv`, 'text/csv')}>Export curves (CSV)</button>}{' '}
      {runs.length > 0 && <button type="button" data-testid="lab-export-png" onClick={() => void Promise.all(Array.from(document.querySelectorAll<HTMLElement>('#lab .plot[data-rendered="true"]'))
        .map((el) => plotPng(el, `finetune-${el.dataset.testid ?? 'plot'}-${model?.id ?? 'model'}.png`)))}>Export curves (PNG)</button>}
    </section>
  );
}
