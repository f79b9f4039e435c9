// The lab's fine-tuned models (issue 8, export): one "Export fine-tuned ONNX" button per finished run, saving the
// worker's ONNX (the original graph with the trained weights) as <model>-<condition>-seed<k>.onnx.
import { download } from '../export/download.ts';
import { fmt, onnxFileName, type LabRun } from './labRuns.ts';

export function FinetunedExports({ runs }: { runs: LabRun[] }) {
  const done = runs.filter((r) => r.onnx);
  if (done.length === 0) return null;
  return (
    <ul className="muted" data-testid="lab-onnx-exports">
      {done.map((r) => (
        <li key={`${r.condition}-${r.seed}`}>
          {r.condition}, seed {r.seed}{r.cancelled ? ' (cancelled)' : ''}: Dice {fmt(r.result.dice.test)}{' '}
          <button type="button" data-testid="export-finetuned-onnx" data-condition={r.condition} data-seed={r.seed}
            onClick={() => download(r.onnx!, onnxFileName(r), 'application/octet-stream')}>Export fine-tuned ONNX</button>
        </li>
      ))}
    </ul>
  );
}
