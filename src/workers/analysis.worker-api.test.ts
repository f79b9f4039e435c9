// The analysis worker's API without a Worker (browser-stack §10): the same report as runStudy with the same
// ports, throttled progress, one study at a time, cooperative cancel and typed errors returned as data.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PipelineEvent } from '../core/events.ts';
import { runStudy, type StudySpec } from '../core/pipeline/runStudy.ts';
import { nodePorts } from '../adapters/nodePorts.ts';
import { syntheticTarget } from '../../test/support/syntheticTarget.ts';
import { createAnalysisApi, throttleEvents } from './analysis.worker-api.ts';
import { transferablesOf } from './transferables.ts';

const MODELS = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'models');
const model = (id: string) => ({
  manifest: JSON.parse(readFileSync(join(MODELS, `${id}.json`), 'utf8')),
  file: { name: `${id}.onnx`, bytes: new Uint8Array(readFileSync(join(MODELS, `${id}.onnx`))) },
});
const t = syntheticTarget();
const spec = (): StudySpec => ({
  target: { id: 'synth', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
  models: [model('tiny_a'), model('tiny_b')],
  seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 20, embeddingPoints: 20,
});
const api = () => createAnalysisApi({ makePorts: () => nodePorts(), now: () => performance.now() });

describe('throttleEvents', () => {
  it('forwards at most one progress event per interval, keeps the last one, and never holds back the others', () => {
    let clock = 0;
    const got: PipelineEvent[] = [];
    const th = throttleEvents((e) => got.push(e), 100, () => clock);
    const progress = (done: number): PipelineEvent => ({ type: 'progress', stage: 'features', done, total: 10 });
    th.emit(progress(1)); // t = 0: sent
    clock = 50;
    th.emit(progress(2)); // held
    th.emit(progress(3)); // replaces 2
    th.emit({ type: 'model-scored', model: 'm' }); // flushes 3 first, then itself
    clock = 120;
    th.emit(progress(4)); // 120 − 0 ≥ 100: sent
    clock = 150;
    th.emit(progress(5)); // held until flush
    th.flush();
    expect(got.map((e) => (e.type === 'progress' ? e.done : e.type))).toEqual([1, 3, 'model-scored', 4, 5]);
  });

  it('survives a sink whose promise rejects (the page went away)', async () => {
    const th = throttleEvents(() => Promise.reject(new Error('gone')), 0, () => 0);
    expect(() => th.emit({ type: 'model-scored', model: 'm' })).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
  });
});

describe('createAnalysisApi', () => {
  it('returns the report runStudy gives with the same ports, and forwards events', async () => {
    const events: PipelineEvent[] = [];
    const r = await api().runStudy(spec(), (e) => events.push(e), { throttleMs: 0 });
    if (!r.ok) throw new Error(r.error.message);
    const direct = await runStudy(spec(), nodePorts());
    expect(r.report.models.map((m) => m.scores)).toEqual(direct.models.map((m) => m.scores));
    expect(r.seconds).toBeGreaterThan(0);
    expect(events.filter((e) => e.type === 'model-scored').map((e) => (e as { model: string }).model)).toEqual(['tiny_a', 'tiny_b']);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });

  it('runs one study at a time, cancels cooperatively, and is usable again afterwards', async () => {
    const a = api();
    let cancelled = false;
    const first = a.runStudy(spec(), (e) => {
      if (!cancelled && e.type === 'progress') cancelled = a.cancel();
    }, { throttleMs: 0 });
    const second = await a.runStudy(spec());
    expect(second).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(a.isRunning()).toBe(true);
    expect(await first).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(cancelled).toBe(true);
    expect(a.isRunning()).toBe(false);
    expect(a.cancel()).toBe(false);
    const third = await a.runStudy({ ...spec(), models: [model('tiny_a')] });
    expect(third.ok).toBe(true);
  });

  it('returns typed errors as data (the code survives the worker boundary)', async () => {
    const bad = { ...spec(), target: { ...spec().target, image: [{ name: 'scan.nii.gz', bytes: new Uint8Array([1, 2, 3]) }] } };
    const r = await api().runStudy(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).not.toBe('internal');
      expect(r.error.message).toContain('scan.nii.gz');
    }
  });

  it('keeps the study when a parity check throws', async () => {
    const a = createAnalysisApi({ makePorts: () => nodePorts(), now: () => performance.now(), parity: async () => { throw new Error('no gpu today'); } });
    const r = await a.runStudy({ ...spec(), models: [model('tiny_a')] }, undefined, { parity: true });
    expect(r).toMatchObject({ ok: true, parity: { tiny_a: { error: 'no gpu today' } } });
  });
});

describe('transferablesOf', () => {
  it('lists each whole buffer once, skips views into a bigger buffer and plain number arrays', () => {
    const whole = new Float32Array(4);
    const big = new ArrayBuffer(64);
    const part = new Uint8Array(big, 8, 8);
    const list = transferablesOf({ a: whole, b: [whole, { c: part }], d: [[1, 2], [3, 4]], e: new ArrayBuffer(0) });
    expect(list).toEqual([whole.buffer]);
  });
});
