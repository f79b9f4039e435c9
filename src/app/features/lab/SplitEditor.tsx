// The lab's training slices (issue 8 §3: "the split the user sees and can change"): prefilled with the target's
// default split, editable as a comma list, checked by core (integers in 0..n−1, at least one with foreground, each bad
// entry named); the held-out slices follow core's rule (neither trained on nor adjacent) and are listed on expand.
import { useEffect, useMemo, useState } from 'react';
import { heldOutSlices, parseTrainSlices } from '../../../core/finetune/sliceData.ts';
import { heldOutBlocks } from '../../../core/finetune/blockData.ts';
import type { TargetItem } from '../../state/bankSlice.ts';
import { fileCache } from '../../state/fileCache.ts';
import type { SplitInfo } from '../../../workers/finetune.worker-api.ts';
import { finetuneWorker } from './labWorker.ts';

function checkSplit(text: string, info: SplitInfo): { train: number[]; test: number[]; error?: undefined } | { error: string } {
  try {
    const train = parseTrainSlices(text, info.n, info.foreground, `training ${info.unit}s`);
    return { train, test: info.grid ? heldOutBlocks(info.grid, train, info.pool) : heldOutSlices(info.n, train, info.pool) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Calls onChange with the valid training slices (or blocks, for a 3-D model's `block` of voxels), or null while the
 * list is invalid or not yet read.
 */
export function SplitEditor({ target, block, onChange }: { target: TargetItem; block?: [number, number, number]; onChange: (train: number[] | null) => void }) {
  const blockKey = block?.join('×') ?? '';
  const [info, setInfo] = useState<SplitInfo | null>(null);
  const [text, setText] = useState('');
  const [loadError, setLoadError] = useState('');
  useEffect(() => {
    let alive = true;
    setInfo(null); setLoadError('');
    const w = finetuneWorker(), label = fileCache.copy(`target-label:${target.id}`);
    const cut = blockKey ? blockKey.split('×').map(Number) as [number, number, number] : undefined;
    void (cut ? w.splitInfo(label, target.axis, undefined, undefined, cut) : w.splitInfo(label, target.axis, target.sliceIndices, target.heldOutPool)).then((r) => {
      if (!alive) return;
      if (r.ok) { setInfo(r.info); setText(r.info.train.join(', ')); } else setLoadError(r.error.message);
    });
    return () => { alive = false; };
  }, [target.id, target.axis, target.sliceIndices, target.heldOutPool, blockKey]);
  const split = useMemo(() => (info ? checkSplit(text, info) : null), [info, text]);
  useEffect(() => { onChange(split && split.error === undefined ? split.train : null); }, [split, onChange]);

  if (loadError) return <p className="problems" role="alert" data-testid="lab-split-error">{loadError}</p>;
  if (!info || !split) return <p className="muted" data-testid="lab-split-loading">Reading the target&apos;s slices…</p>;
  const unit = info.unit;
  return (
    <div data-testid="lab-split" data-n={info.n} data-unit={unit}>
      <label>Training {unit}s <input data-testid="lab-train-slices" size={40} value={text} onChange={(e) => setText(e.target.value)}
        aria-invalid={split.error !== undefined} /></label>{' '}
      <button type="button" data-testid="lab-train-reset" onClick={() => setText(info.train.join(', '))}>Default</button>{' '}
      <span className="muted">of {info.n} {unit}s{info.grid ? ` (a ${info.grid.join(' × ')} grid of ${blockKey}-voxel blocks)` : ''}, {info.foreground.length} with foreground</span>
      {split.error !== undefined ? <p className="problems" role="alert" data-testid="lab-split-error">{split.error}</p> : (
        <details data-testid="lab-heldout" data-test={JSON.stringify(split.test)}>
          <summary>{split.test.length} held-out {unit}s for Dice ({unit === 'block' ? 'neither trained on nor sharing a face with a training block' : 'neither trained on nor next to a training slice'})</summary>
          {split.test.join(', ')}
        </details>
      )}
    </div>
  );
}
