// The model-bank and target-dataset lists of the Load area: one row per item with its status, geometry and the
// problems found on arrival (item 1). The selected target is the one the next run uses.
import { useAppStore } from '../../state/store.ts';

export function ModelList() {
  const models = useAppStore((s) => s.models);
  const confirm = useAppStore((s) => s.confirmModel);
  return (
    <div>
      <h3>Model bank ({models.filter((m) => m.status === 'ok').length} ready)</h3>
      <ul className="items" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id} data-testid="model-item" data-model-id={m.id} data-status={m.status}>
            <span className={`dot dot--${m.status}`} aria-hidden="true" /> <strong>{m.manifest?.name ?? m.id}</strong>{' '}
            <span className="muted">{m.fileName}{m.manifest ? ` · ${m.manifest.dim}-D · ${m.manifest.num_classes} classes · ${m.manifest.normalization}` : ''} · {m.status}</span>
            {m.problems.length > 0 && <ul className="problems">{m.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
            {m.derived && m.manifest && (
              <details data-testid="derived-manifest">
                <summary>Proposed manifest: input {m.manifest.input_name}, logits {m.manifest.logits_name}, features {m.manifest.features.map((f) => `${f.name} (stride ${f.stride}, ${f.channels} ch)`).join(', ')}</summary>
                <pre>{JSON.stringify(m.manifest, null, 1)}</pre>
              </details>
            )}
            {m.derived && <button type="button" data-testid="confirm-manifest" onClick={() => confirm(m.id)}>Use this manifest</button>}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TargetList() {
  const targets = useAppStore((s) => s.targets);
  const selected = useAppStore((s) => s.selectedTarget);
  const select = useAppStore((s) => s.selectTarget);
  return (
    <div>
      <h3>Target datasets</h3>
      <ul className="items" data-testid="target-list">
        {targets.map((t) => (
          <li key={t.id} data-testid="target-item" data-target-id={t.id} data-status={t.status}>
            <label>
              <input type="radio" name="target" checked={selected === t.id} disabled={t.status !== 'ok'} onChange={() => select(t.id)} />{' '}
              <span className={`dot dot--${t.status}`} aria-hidden="true" /> <strong>{t.id}</strong>{' '}
              <span className="muted">
                {t.imageName}{t.labelName ? ` + ${t.labelName}` : ''}{t.size ? ` · ${t.size.join('×')}` : ''}{t.spacing ? ` @ ${t.spacing.map((x) => +x.toFixed(2)).join('×')} mm` : ''}
                {t.cases !== undefined ? ` · ${t.cases} cases (slices along axis ${t.axis})` : ''}{t.classNames.length ? ` · classes ${t.classNames.join(', ')}` : ''} · {t.status}
              </span>
            </label>
            {t.problems.length > 0 && <ul className="problems">{t.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
          </li>
        ))}
      </ul>
      <select data-testid="target-select" aria-label="Target for the run" value={selected ?? ''} onChange={(e) => select(e.target.value)}>
        {targets.filter((t) => t.status === 'ok').map((t) => <option key={t.id} value={t.id}>{t.id}</option>)}
      </select>
    </div>
  );
}
