// The Load area (item 1): a drop zone for files and folders, a file picker, "Load demo", and the model-bank and
// target lists with each item's status and problems. Everything is read in this tab; nothing is uploaded.
import { useRef, useState } from 'react';
import { useAppStore } from '../../state/store.ts';
import { loadFiles } from './loadFiles.ts';
import { loadDemo } from './loadDemo.ts';
import { readDataTransfer, readFileList } from './readDrop.ts';
import { ModelList, TargetList } from './BankLists.tsx';

export function LoadPanel() {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(0);
  const [over, setOver] = useState(false);
  const rejected = useAppStore((s) => s.rejected);
  const dice = useAppStore((s) => s.dice);
  const track = async (p: Promise<unknown>) => {
    setBusy((b) => b + 1);
    try { await p; } finally { setBusy((b) => b - 1); }
  };
  return (
    <section className="panel" id="load" aria-labelledby="load-title">
      <h2 id="load-title">1. Load</h2>
      <div
        className={`dropzone${over ? ' dropzone--over' : ''}`}
        data-testid="drop-zone"
        role="button"
        tabIndex={0}
        onClick={() => input.current?.click()}
        onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') input.current?.click(); }}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); void track(readDataTransfer(e.dataTransfer).then(loadFiles)); }}
      >
        <p><strong>Drop scans, label maps, ONNX models (with their .json sidecars), a Dice table, or whole folders here</strong>, or click to pick files.</p>
        <p className="muted">NIfTI, NRRD, MHA, DICOM · ONNX · Dice CSV/JSON. Files are read in this tab and never leave your machine.</p>
        <input ref={input} type="file" multiple hidden data-testid="file-input"
          onChange={(e) => { const f = e.target.files; if (f) void track(readFileList(f).then(loadFiles)); e.target.value = ''; }} />
      </div>
      <p>
        <button type="button" data-testid="load-demo" onClick={() => void track(loadDemo())}>Load demo</button>{' '}
        <span className="muted" data-testid="load-busy">{busy > 0 ? 'Reading and checking files…' : ''}</span>
      </p>
      <div className="bank">
        <ModelList />
        <TargetList />
      </div>
      {dice.length > 0 && <p data-testid="dice-list">Fine-tuned Dice: {dice.map((d) => `${d.fileName} (${Object.keys(d.tables).map((t) => (t === '*' ? 'any target' : t)).join(', ')})`).join('; ')}</p>}
      {rejected.length > 0 && (
        <ul className="problems" data-testid="rejected-files">
          {rejected.map((r) => <li key={r.name}>{r.problem}</li>)}
        </ul>
      )}
    </section>
  );
}
