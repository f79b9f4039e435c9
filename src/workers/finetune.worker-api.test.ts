// The fine-tuning worker API in Node (cpu backend, tiny U-Net fixture): streamed events, the same numbers as the
// synchronous trainer the CLI uses (same seed), cancel mid-run, and a bad job answered as a typed error.
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { createTrainerSync } from '../adapters/tfjsTrainer.ts';
import { createFinetuneApi, type FinetuneEvent, type FinetuneJob } from './finetune.worker-api.ts';
import type { SliceData } from '../core/finetune/sliceData.ts';
import { tinyOnnx, tinySlices } from '../../test/finetune/fixture.ts';

let job: FinetuneJob & { data: SliceData };
const api = createFinetuneApi(async () => ({ backend: 'cpu' }));

beforeAll(async () => {
  await initTfjsBackend('cpu');
  job = { onnx: tinyOnnx(), manifest: { logits_name: 'logits', id: 'tiny' }, data: tinySlices() as SliceData,
    train: [0, 1], test: [2, 3], options: { scheme: 'metalr-paper', iterations: 2, batch: 2, seed: 3 } };
});

describe('finetune worker API', () => {
  it('streams started + one event per step and returns the synchronous trainer\'s numbers for the same seed', async () => {
    const events: FinetuneEvent[] = [];
    const r = await api.finetune(job, (e) => { events.push(e); });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(events.map((e) => e.type)).toEqual(['started', 'step', 'step']);
    const sync = createTrainerSync(job.onnx, job.manifest, job.data, { ...job.options, train: job.train, test: job.test });
    const s1 = sync.stepSync(), s2 = sync.stepSync(), ev = sync.evaluateSync();
    sync.dispose();
    expect(r.result.curves.loss).toEqual([s1.loss, s2.loss]);
    expect(r.result.curves.lrs[sync.groups[0]]).toEqual([s1.lrs[0], s2.lrs[0]]);
    expect(r.result.curves.valLoss).toEqual([s1.valLoss, s2.valLoss]);
    expect(r.result.dice.test).toBe(ev.dice);
    expect(r.result.provenance).toMatchObject({ backend: 'cpu', scheme: 'metalr-paper', optimizer: 'sgd', seed: 3, iterationsRun: 2 });
    expect(r.cancelled).toBe(false);
  });

  it('cancel() stops before the next iteration and still evaluates what it has', async () => {
    const r = await api.finetune({ ...job, options: { ...job.options, scheme: 'constant', iterations: 50 } }, (e) => { if (e.type === 'step') api.cancel(); });
    expect(r.ok && r.cancelled).toBe(true);
    if (r.ok) {
      expect(r.result.curves.iteration).toEqual([1]);
      expect(r.result.provenance.iterationsRun).toBe(1);
    }
  });

  it('answers a bad job with a typed error, and the worker stays usable', async () => {
    const bad = await api.finetune({ ...job, options: { ...job.options, iterations: 0 } }, () => {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const shape = await api.finetune({ ...job, data: { ...job.data, n: 99 } }, () => {});
    expect(shape).toMatchObject({ ok: false, error: { code: 'shape-mismatch' } });
  });
});
