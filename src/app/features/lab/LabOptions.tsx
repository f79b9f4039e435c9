// The lab's scheme options (issue 8 §1), applied to every condition of a run: optimizer, loss, MetaLR's η and LR
// clip, layer-wise top k, bi-directional frozen groups m..n. Defaults are the CLI's (labRuns DEFAULT_CONTROLS).
import type { SchemeControls } from './labRuns.ts';

export function LabOptions({ value, onChange, error }: { value: SchemeControls; onChange: (c: SchemeControls) => void; error?: string }) {
  const set = <K extends keyof SchemeControls>(k: K, v: SchemeControls[K]) => onChange({ ...value, [k]: v });
  return (
    <fieldset data-testid="lab-options"><legend>Scheme options (every condition)</legend>
      <label>Optimizer <select data-testid="lab-optimizer" value={value.optimizer} onChange={(e) => set('optimizer', e.target.value as SchemeControls['optimizer'])}>
        <option value="default">default (Adam; SGD for MetaLR)</option><option value="adam">Adam</option><option value="sgd">SGD</option>
      </select></label>{' '}
      <label>Loss <select data-testid="lab-loss" value={value.loss} onChange={(e) => set('loss', e.target.value as SchemeControls['loss'])}>
        <option value="ce">cross-entropy</option><option value="ce-dice">cross-entropy + soft Dice</option>
      </select></label>{' '}
      <label>MetaLR η <input data-testid="lab-eta" size={6} value={value.eta} onChange={(e) => set('eta', e.target.value)} /></label>{' '}
      <label>MetaLR LR clip <input data-testid="lab-lr-max" size={6} placeholder="none" value={value.lrMax} onChange={(e) => set('lrMax', e.target.value)} /></label>{' '}
      <label title="the last k layer groups train">Layer-wise top k <input data-testid="lab-top-k" size={3} value={value.topK} onChange={(e) => set('topK', e.target.value)} /></label>{' '}
      <label title="0-based indices in the layer-group order">Bi-directional frozen <input data-testid="lab-frozen" size={6} placeholder="m..n" value={value.frozen} onChange={(e) => set('frozen', e.target.value)} /></label>
      {error && <p className="problems" role="alert" data-testid="lab-options-error">{error}</p>}
    </fieldset>
  );
}
