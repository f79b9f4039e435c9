// The fine-tuning worker's ONNX export (exportOnnx: true): the bytes carry exactly the weights of the synchronous
// trainer (CLI path) for the same seed, load in onnxruntime-node with the target's class count, and own their
// buffer (so the worker shell transfers them instead of copying).
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { createTrainerSync } from '../adapters/tfjsTrainer.ts';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import type { SliceData } from '../core/finetune/sliceData.ts';
import { createFinetuneApi, type FinetuneJob } from './finetune.worker-api.ts';
import { transferablesOf } from './transferables.ts';
import { tinyOnnx, tinySlices } from '../../test/finetune/fixture.ts';

let job: FinetuneJob & { data: SliceData };
const api = createFinetuneApi(async () => ({ backend: 'cpu' }));

beforeAll(async () => {
  await initTfjsBackend('cpu');
  const slices = tinySlices();
  // labels 0/1: the 3-class head is replaced by a 2-class one
  const data = { ...slices, labels: slices.labels.map((v) => Math.min(v, 1)) };
  job = { onnx: tinyOnnx(), manifest: { logits_name: 'logits', id: 'tiny' }, data: data as SliceData,
    train: [0, 1], test: [2, 3], options: { scheme: 'constant', iterations: 2, batch: 2, seed: 3, lr: 0.01 }, exportOnnx: true, provenance: { target: 'fixture' } };
});

describe('finetune worker API: ONNX export', () => {
  it('returns the fine-tuned weights as ONNX (equal to the synchronous trainer\'s), 2 classes, own buffer', async () => {
    const r = await api.finetune(job, () => {});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const bytes = r.onnx!;
    expect(transferablesOf(r)).toContain(bytes.buffer);
    const sync = createTrainerSync(job.onnx, job.manifest, job.data, { ...job.options, train: job.train, test: job.test });
    for (let i = 0; i < 2; i++) sync.stepSync();
    const want = sync.exportStateSync();
    sync.dispose();
    const got = parseOnnx(bytes).params;
    for (const [name, v] of want) {
      expect(got.get(name)!.dims, name).toEqual(v.dims);
      expect(Array.from(got.get(name)!.data), name).toEqual(Array.from(v.data));
    }
    expect(want.get('head.weight')!.dims[0]).toBe(2);
    const s = await ort.InferenceSession.create(bytes);
    const out = await s.run({ image: new ort.Tensor('float32', job.data.images.slice(0, 32 * 32), [1, 1, 32, 32]) });
    expect(out.logits.dims).toEqual([1, 2, 32, 32]);
    await s.release();
  });

  it('returns no ONNX unless asked', async () => {
    const r = await api.finetune({ ...job, exportOnnx: undefined, options: { ...job.options, iterations: 1 } }, () => {});
    expect(r.ok && r.onnx).toBe(undefined);
  });
});
