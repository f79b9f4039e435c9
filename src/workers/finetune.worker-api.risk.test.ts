// The fine-tuning worker's risk maps before/after (riskMaps: true): the summaries are the synchronous trainer's
// (CLI path) for the same seed, bit for bit, and up to three held-out slices come back as own-buffer Float32Arrays.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { createTrainerSync } from '../adapters/tfjsTrainer.ts';
import { compareRisk } from '../core/finetune/riskCompare.ts';
import { createFinetuneApi, RISK_SLICES, type FinetuneJob } from './finetune.worker-api.ts';
import type { SliceData } from '../core/finetune/sliceData.ts';
import { transferablesOf } from './transferables.ts';
import { tinyOnnx, tinySlices } from '../../test/finetune/fixture.ts';

let job: FinetuneJob & { data: SliceData };
const api = createFinetuneApi(async () => ({ backend: 'cpu' }));

beforeAll(async () => {
  await initTfjsBackend('cpu');
  job = { onnx: tinyOnnx(), manifest: { logits_name: 'logits', id: 'tiny' }, data: tinySlices() as SliceData,
    train: [0], test: [1, 2, 3], options: { scheme: 'constant', iterations: 3, batch: 2, seed: 2, lr: 0.01 }, riskMaps: true };
});

describe('finetune worker API: risk maps before / after', () => {
  it('returns the synchronous trainer\'s before/after summaries and the held-out slices with both maps', async () => {
    const r = await api.finetune(job, () => {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sync = createTrainerSync(job.onnx, job.manifest, job.data, { ...job.options, train: job.train, test: job.test });
    for (let i = 0; i < 3; i++) sync.stepSync();
    const after = sync.riskMapSync();
    const expected = compareRisk(sync.riskBefore!, after, job.data.labels, job.data.h * job.data.w, sync.numClasses);
    expect(r.result.risk).toEqual(expected);
    expect(r.result.risk!.cases).toEqual([1, 2, 3]);
    expect(r.result.risk!.perClass.before).toHaveLength(3);
    expect(r.result.risk!.meanAfter).not.toBe(r.result.risk!.meanBefore);
    const slices = r.riskSlices!;
    expect(slices.map((s) => s.case)).toEqual([1, 2, 3].slice(0, RISK_SLICES));
    const px = job.data.h * job.data.w, k = 1; // the second held-out case, map row 1
    expect(Array.from(slices[k].after)).toEqual(Array.from(after.risk.subarray(k * px, (k + 1) * px), Math.fround));
    expect(Array.from(slices[k].before)).toEqual(Array.from(sync.riskBefore!.risk.subarray(k * px, (k + 1) * px), Math.fround));
    expect(Array.from(slices[k].image)).toEqual(Array.from(job.data.images.subarray(2 * px, 3 * px)));
    expect(transferablesOf(r.riskSlices).length).toBe(4 * slices.length);
    sync.dispose();
  });

  it('without riskMaps: no risk block, no slices, and the offPath weights are reported (none here)', async () => {
    const r = await api.finetune({ ...job, riskMaps: undefined }, () => {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.result.risk).toBeUndefined();
    expect(r.riskSlices).toBeUndefined();
    expect(r.result.provenance.offPathWeights).toEqual([]);
  });
});
