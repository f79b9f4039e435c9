// The worker's split and layer-group helpers for the lab's editors: splitInfo (label only: slice count, foreground
// slices, default split, held-out by the core rule) and layerGroupsOf (the trainer's default groups, ONNX parse only);
// a job's groupOverrides reach the trainer (its groups in the result).
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { createFinetuneApi, type FinetuneJob } from './finetune.worker-api.ts';
import type { SliceData } from '../core/finetune/sliceData.ts';
import type { Volume } from '../core/types.ts';
import { f32, tinyOnnx, tinyRef } from '../../test/finetune/fixture.ts';

/** 2×2×12 labels, slice k (axis 2) with foreground unless k ∈ {0, 11}. */
const label = (): Volume => {
  const data = new Int16Array(4 * 12);
  for (let k = 1; k < 11; k++) data[k * 4 + 3] = 1;
  return { name: 'l.nii', size: [2, 2, 12], spacing: [1, 1, 1], data } as unknown as Volume;
};
const api = createFinetuneApi(async () => ({ backend: 'cpu' }), async () => label());

describe('finetune worker API: split and layer groups', () => {
  beforeAll(async () => { await initTfjsBackend('cpu'); });

  it('splitInfo: 12 slices, foreground 1..10, default = ⌊10/4⌋ = 2 evenly spaced, held out = not trained on nor adjacent', async () => {
    const r = await api.splitInfo([], 2);
    if (!r.ok) throw new Error(r.error.message);
    // F = 10 foreground slices → 2 training slices at fg[⌊(i + ½)·10/2⌋] = fg[2], fg[7] = 3, 8
    expect(r.info).toEqual({ unit: 'slice', n: 12, foreground: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], pool: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], train: [3, 8], test: [1, 5, 6, 10] });
    const given = await api.splitInfo([], 2, [5]);
    expect(given.ok && given.info.test).toEqual([1, 2, 3, 7, 8, 9, 10]);
    // a demo target's task slices as the pool (as the CLI's testSlices(d, train, task_slices)): slice 0 and 11 have no
    // foreground but are in the pool; 4..6 are the training slice and its neighbours
    const pooled = await api.splitInfo([], 2, [5], [0, 1, 2, 4, 5, 6, 9, 11]);
    expect(pooled.ok && pooled.info.pool).toEqual([0, 1, 2, 4, 5, 6, 9, 11]);
    expect(pooled.ok && pooled.info.test).toEqual([0, 1, 2, 9, 11]);
  });

  it('layerGroupsOf: the default groups by prefix in order of first use; a job\'s overrides change the run\'s groups', async () => {
    const g = await api.layerGroupsOf(tinyOnnx(), 'logits');
    if (!g.ok) throw new Error(g.error.message);
    expect(g.groups.names).toEqual(['enc.0', 'enc.1', 'enc.2', 'enc.3', 'bott', 'up.3', 'dec.3', 'up.2', 'dec.2', 'up.1', 'dec.1', 'up.0', 'dec.0', 'head']);
    expect(g.groups.members[13]).toEqual(['head.weight', 'head.bias']);
    const none = await api.layerGroupsOf(tinyOnnx(), 'nope');
    expect(!none.ok && none.error.message).toMatch(/no trainable parameter reaches the output "nope"/);

    const ref = tinyRef();
    const [n, , h, w] = ref.shape;
    const job: FinetuneJob = { onnx: tinyOnnx(), manifest: { logits_name: 'logits' }, data: { images: f32(ref.x), labels: Int32Array.from(ref.y), n, h, w } as SliceData,
      train: [0, 1], test: [2, 3], options: { scheme: 'constant', iterations: 1, batch: 2, seed: 0, groupOverrides: { 'head.bias': 'bias' } } };
    const r = await api.finetune(job, () => {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.result.provenance.groups).toEqual([...g.groups.names, 'bias']);
    expect(Object.keys(r.result.curves.lrs)).toEqual([...g.groups.names, 'bias']);
    expect(r.result.provenance.groupOverrides).toEqual({ 'head.bias': 'bias' });
  });
});
