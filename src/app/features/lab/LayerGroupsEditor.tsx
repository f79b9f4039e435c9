// The lab's layer groups (issue 8 §1: "layer groups come from parameter-name prefixes, editable in the UI"): the
// model's default groups (read from its ONNX by the worker), each parameter — or a whole group — movable into
// another group or a new named one; the resulting group order (core layerGroups); overrides go into every run.
import { useEffect, useMemo, useState } from 'react';
import { layerGroups, type LayerGroups } from '../../../core/finetune/layerGroups.ts';
import type { ModelItem } from '../../state/bankSlice.ts';
import { fileCache } from '../../state/fileCache.ts';
import { finetuneWorker } from './labWorker.ts';

type Overrides = Record<string, string>;
// parameters side by side, wrapping: a U-Net has ~80
const LIST = { display: 'flex', flexWrap: 'wrap', gap: '0.2rem 1.2rem', listStyle: 'none', padding: 0, margin: '0.3rem 0 0' } as const;

/** Calls onChange with the overrides (parameter → group, only where it differs from the default). */
export function LayerGroupsEditor({ model, onChange }: { model: ModelItem; onChange: (o: Overrides) => void }) {
  const [defaults, setDefaults] = useState<LayerGroups | null>(null);
  const [overrides, setOverrides] = useState<Overrides>({});
  const [extra, setExtra] = useState<string[]>([]);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    let alive = true;
    setDefaults(null); setOverrides({}); setExtra([]); setError('');
    const logits = model.manifest?.logits_name ?? 'logits';
    void finetuneWorker().layerGroupsOf(fileCache.copy(`model:${model.id}`)[0].bytes, logits).then((r) => {
      if (!alive) return;
      if (r.ok) setDefaults(r.groups); else setError(r.error.message);
    });
    return () => { alive = false; };
  }, [model.id, model.manifest?.logits_name]);
  useEffect(() => { onChange(overrides); }, [overrides, onChange]);
  const defaultOf = useMemo(() => new Map(defaults?.members.flatMap((m, j) => m.map((p) => [p, defaults.names[j]] as [string, string])) ?? []), [defaults]);
  const params = useMemo(() => defaults?.members.flat() ?? [], [defaults]);
  const groups = useMemo(() => layerGroups(params, (p) => defaultOf.get(p)!, overrides), [params, defaultOf, overrides]);
  const choices = useMemo(() => [...new Set([...groups.names, ...(defaults?.names ?? []), ...extra])], [groups, defaults, extra]);

  if (error) return <p className="problems" role="alert" data-testid="lab-groups-error">Layer groups: {error}</p>;
  if (!defaults) return null;
  const move = (ps: string[], g: string) => setOverrides((o) => {
    const next = { ...o };
    for (const p of ps) { if (defaultOf.get(p) === g) delete next[p]; else next[p] = g; }
    return next;
  });
  const addGroup = () => { const n = newName.trim(); if (n && !choices.includes(n)) setExtra((x) => [...x, n]); setNewName(''); };
  const select = (value: string, onPick: (g: string) => void, testId: string, placeholder?: string) => (
    <select data-testid={testId} value={value} onChange={(e) => e.target.value && onPick(e.target.value)}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {choices.map((g) => <option key={g} value={g}>{g}</option>)}
    </select>
  );
  const changed = Object.keys(overrides).length;
  return (
    <details data-testid="lab-groups" data-overrides={JSON.stringify(overrides)}>
      <summary>Layer groups ({groups.names.length}{changed ? `, ${changed} parameter${changed > 1 ? 's' : ''} moved` : ', by parameter-name prefix'})</summary>
      <p data-testid="lab-group-order">Order (input side first; the last is the head): {groups.names.join(' → ')}</p>
      <label>New group <input data-testid="lab-new-group" size={12} value={newName} onChange={(e) => setNewName(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); addGroup(); } }} /></label>{' '}
      <button type="button" data-testid="lab-add-group" onClick={addGroup}>Add</button>{' '}
      <button type="button" data-testid="lab-groups-reset" disabled={!changed && !extra.length} onClick={() => { setOverrides({}); setExtra([]); }}>Reset to defaults</button>
      {groups.names.map((g, j) => (
        <fieldset key={g} data-testid="lab-group" data-group={g}><legend>{g}</legend>
          <label>Move all to {select('', (to) => move(groups.members[j], to), `lab-group-move-${g}`, '…')}</label>
          <ul style={LIST}>{groups.members[j].map((p) => <li key={p}>{p} {select(g, (to) => move([p], to), `lab-param-group-${p}`)}</li>)}</ul>
        </fieldset>
      ))}
    </details>
  );
}
