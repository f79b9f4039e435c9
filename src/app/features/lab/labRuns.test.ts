// The lab's Dice summary (mean ± sample sd over seeds, cancelled runs left out) and its curves CSV.
import { describe, expect, it } from 'vitest';
import { CONDITIONS, conditionOptions, DEFAULT_CONTROLS, diceRows, onnxFileName, runsCsv, schemeOptions, type LabRun } from './labRuns.ts';

const run = (condition: string, seed: number, dice: number, cancelled = false): LabRun => ({
  condition, seed, cancelled,
  result: { dice: { test: dice, perClass: [dice] }, curves: { iteration: [1, 2], loss: [0.5, 0.25], lrs: { enc: [1e-3, 2e-3], head: [1e-2, 1e-2] }, seconds: [1, 2] }, provenance: {} },
});

describe('lab runs', () => {
  it('summarises Dice per condition over seeds (sample sd) and leaves cancelled runs out', () => {
    const rows = diceRows([run('metalr-paper', 0, 0.8), run('constant', 0, 0.7), run('constant', 1, 0.9), run('constant', 2, 0.1, true)]);
    expect(rows.map((r) => r.condition)).toEqual(['constant', 'metalr-paper']);
    expect(rows[0].mean).toBeCloseTo(0.8, 12);
    expect(rows[0].sd).toBeCloseTo(Math.sqrt(0.02), 12); // (0.1² + 0.1²) / (2 − 1)
    expect(rows[1]).toMatchObject({ n: 1, mean: 0.8, sd: null });
  });

  it('writes one CSV row per iteration and run, with per-group LR columns', () => {
    const csv = runsCsv([run('constant', 0, 0.7), run('constant', 1, 0.9)]).trim().split('\n');
    expect(csv[0]).toBe('condition,seed,iteration,seconds,loss,val_loss,lr:enc,lr:head');
    expect(csv).toHaveLength(5);
    expect(csv[2]).toBe('constant,0,2,2,0.25,,0.002,0.01');
  });

  it('names a run\'s fine-tuned ONNX <model>-<condition>-seed<k>.onnx (unsafe characters replaced)', () => {
    const r = run('metalr-paper', 3, 0.8);
    expect(onnxFileName({ ...r, result: { ...r.result, provenance: { model: { id: 'colin_t1_ax_brain' } } } })).toBe('colin_t1_ax_brain-metalr-paper-seed3.onnx');
    expect(onnxFileName({ ...r, result: { ...r.result, provenance: { model: { id: 'my model/v2' } } } })).toBe('my_model_v2-metalr-paper-seed3.onnx');
    expect(onnxFileName(r)).toBe('model-metalr-paper-seed3.onnx');
  });

  it('scheme options: the defaults are the CLI\'s (no optimizer → adam / sgd for MetaLR, ce, η 0.1, no clip, top k 1)', () => {
    const r = schemeOptions(DEFAULT_CONTROLS, ['constant', 'metalr-paper', 'layer-wise']);
    if (r.error !== undefined) throw new Error(r.error);
    const cond = (id: string) => CONDITIONS.find((c) => c.id === id)!;
    expect(conditionOptions(cond('constant'), r.options)).toEqual({ scheme: 'constant', riskWeighted: false, loss: 'ce' });
    expect(conditionOptions(cond('metalr-paper'), r.options)).toEqual({ scheme: 'metalr-paper', riskWeighted: false, loss: 'ce', eta: 0.1 });
    expect(conditionOptions(cond('layer-wise'), r.options)).toEqual({ scheme: 'layer-wise', riskWeighted: false, loss: 'ce', topK: 1 });
  });

  it('scheme options: each control applies to the conditions that use it; bad values are named', () => {
    const r = schemeOptions({ optimizer: 'sgd', loss: 'ce-dice', eta: '0.05', lrMax: '0.01', topK: '3', frozen: '1..4' }, ['metalr-official', 'bi-directional', 'risk']);
    if (r.error !== undefined) throw new Error(r.error);
    const cond = (id: string) => CONDITIONS.find((c) => c.id === id)!;
    expect(conditionOptions(cond('metalr-official'), r.options)).toEqual({ scheme: 'metalr-official', riskWeighted: false, optimizer: 'sgd', loss: 'ce-dice', eta: 0.05, lrMax: 0.01 });
    expect(conditionOptions(cond('bi-directional'), r.options)).toEqual({ scheme: 'bi-directional', riskWeighted: false, optimizer: 'sgd', loss: 'ce-dice', frozen: [1, 4] });
    expect(conditionOptions(cond('risk'), r.options)).toEqual({ scheme: 'constant', riskWeighted: true, optimizer: 'sgd', loss: 'ce-dice' });
    const e = schemeOptions({ ...DEFAULT_CONTROLS, eta: '-1', topK: '1.5', frozen: '' }, ['metalr-paper', 'layer-wise', 'bi-directional']);
    expect(e.error).toBe('MetaLR η "-1" must be a positive number; top k "1.5" must be a positive integer; frozen groups "" must be m..n (0-based group indices, m ≤ n)');
    expect(schemeOptions({ ...DEFAULT_CONTROLS, eta: '-1', frozen: '' }, ['constant']).error).toBeUndefined(); // unused controls are not checked
  });
});
