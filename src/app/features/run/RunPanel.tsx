// The Run area (item 2): the study options under the CLI's names and defaults, Run/Cancel, a per-stage progress
// bar with ETA, and the execution provider that actually ran (WebGPU or WASM).
import { useAppStore } from '../../state/store.ts';
import { DEFAULT_RUN_OPTIONS } from '../../state/runSlice.ts';
import { cancelRun, startRun } from './startRun.ts';
import { ESTIMATOR_KEYS } from './estimatorKeys.ts';

const STAGES: Record<string, string> = { starting: 'starting the worker', features: 'running the model and sampling decoder features', scoring: 'computing the estimators and bootstrap intervals', scored: 'model scored' };

export function RunPanel() {
  const o = useAppStore((s) => s.runOptions);
  const set = useAppStore((s) => s.setRunOptions);
  const status = useAppStore((s) => s.runStatus);
  const progress = useAppStore((s) => s.progress);
  const provider = useAppStore((s) => s.provider);
  const error = useAppStore((s) => s.runError);
  const seconds = useAppStore((s) => s.runSeconds);
  const cancelMs = useAppStore((s) => s.cancelMs);
  const running = status === 'running';
  const pct = Math.round(100 * (progress?.fraction ?? 0));
  return (
    <section className="panel" id="run" aria-labelledby="run-title">
      <h2 id="run-title">2. Run</h2>
      <fieldset className="options" disabled={running}>
        <legend>Options (same names and defaults as <code>transferlens rank</code>)</legend>
        <label>--seed <input type="number" data-testid="opt-seed" value={o.seed} onChange={(e) => set({ seed: Number(e.target.value) })} /></label>
        <label>--case-unit <select data-testid="opt-case-unit" value={o.caseUnit} onChange={(e) => set({ caseUnit: e.target.value as typeof o.caseUnit })}>
          <option value="slice">slice</option><option value="slab">slab</option><option value="volume">volume</option></select></label>
        <label>--slab-size <input type="number" min={1} value={o.slabSize} onChange={(e) => set({ slabSize: Number(e.target.value) })} /></label>
        <label>--sampling <select data-testid="opt-sampling" value={o.sampling} onChange={(e) => set({ sampling: e.target.value as typeof o.sampling })}>
          <option value="official">official (fixed cap per layer)</option><option value="proportional">proportional (paper)</option></select></label>
        <label>--resamples <input type="number" min={0} data-testid="opt-resamples" value={o.resamples} onChange={(e) => set({ resamples: Number(e.target.value) })} /></label>
        <label>--embedding-points <input type="number" min={0} max={10000} value={o.embeddingPoints} onChange={(e) => set({ embeddingPoints: Number(e.target.value) })} /></label>
        <label>--roi-size (3-D) <input type="text" placeholder="64,64,64" value={o.roiSize.join(',')} onChange={(e) => set({ roiSize: e.target.value ? e.target.value.split(',').map(Number) : [] })} /></label>
        <label>provider <select data-testid="opt-provider" value={o.providers} onChange={(e) => set({ providers: e.target.value as typeof o.providers })}>
          <option value="auto">auto (WebGPU if available, else WASM)</option><option value="wasm">WASM</option><option value="webgpu">WebGPU</option></select></label>
        <details>
          <summary>--estimators ({o.estimators.length ? o.estimators.length : 'all'})</summary>
          <div className="estimators">
            {ESTIMATOR_KEYS.map((k) => (
              <label key={k}><input type="checkbox" checked={o.estimators.length === 0 || o.estimators.includes(k)}
                onChange={(e) => {
                  const cur = o.estimators.length ? o.estimators : [...ESTIMATOR_KEYS];
                  const next = e.target.checked ? [...cur, k] : cur.filter((x) => x !== k);
                  set({ estimators: next.length === ESTIMATOR_KEYS.length ? [] : next });
                }} /> {k}</label>
            ))}
          </div>
        </details>
        <button type="button" className="linkish" onClick={() => set(DEFAULT_RUN_OPTIONS)}>Reset to defaults</button>
      </fieldset>
      <p>
        <button type="button" data-testid="run-study" disabled={running} onClick={() => void startRun()}>Run study</button>{' '}
        <button type="button" data-testid="cancel-run" disabled={!running} onClick={() => void cancelRun()}>Cancel</button>{' '}
        <span data-testid="run-status" data-status={status} data-cancel-ms={cancelMs ?? undefined}>{status}</span>
        {seconds !== null && <span className="muted" data-testid="run-seconds" data-seconds={seconds}> · {seconds.toFixed(1)} s{cancelMs !== null ? ` (stopped ${Math.round(cancelMs)} ms after cancel)` : ''}</span>}
      </p>
      <div className="progress">
        <div data-testid="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Study progress" className="progress__bar">
          <div className="progress__fill" style={{ width: `${pct}%` }} />
        </div>
        <div data-testid="stage-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-label="Current stage"
          aria-valuenow={progress && progress.total > 0 ? Math.round((100 * progress.done) / progress.total) : 0} className="progress__bar progress__bar--stage">
          <div className="progress__fill" style={{ width: `${progress && progress.total > 0 ? (100 * progress.done) / progress.total : 0}%` }} />
        </div>
        <p className="muted" data-testid="progress-text">
          {progress ? `${pct}% · model ${Math.min(progress.modelIndex + 1, progress.modelCount)}/${progress.modelCount}${progress.model ? ` (${progress.model})` : ''} · ${STAGES[progress.stage] ?? progress.stage}${progress.stage === 'features' ? ` ${progress.done}/${progress.total} cases` : ''}${running && progress.etaSeconds !== null ? ` · about ${Math.ceil(progress.etaSeconds)} s left` : ''}` : 'Not started.'}
        </p>
      </div>
      <p data-testid="provider">Execution provider: {provider === null ? '—' : provider === 'webgpu' ? 'WebGPU' : provider === 'wasm' ? 'WASM (CPU)' : provider}</p>
      {error && <p className="error" role="alert" data-testid="run-error">{error}</p>}
    </section>
  );
}
