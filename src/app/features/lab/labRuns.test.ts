// The lab's Dice summary (mean ± sample sd over seeds, cancelled runs left out) and its curves CSV.
import { describe, expect, it } from 'vitest';
import { diceRows, onnxFileName, runsCsv, type LabRun } from './labRuns.ts';

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
});
