// The lab's bookkeeping (issue 8 §3): the conditions a user can compare, Dice per condition as mean ± sd over
// seeds, and one CSV of every run's curves (condition and seed columns first).
import type { Scheme } from '../../../core/finetune/layerGroups.ts';
import { curvesCsv, meanSd, type FinetuneResult } from '../../../core/finetune/finetuneResult.ts';

export interface Condition { id: string; label: string; scheme: Scheme; riskWeighted: boolean }

export const CONDITIONS: Condition[] = [
  { id: 'constant', label: 'Constant LR (plain CE)', scheme: 'constant', riskWeighted: false },
  { id: 'metalr-paper', label: 'MetaLR (paper rule)', scheme: 'metalr-paper', riskWeighted: false },
  { id: 'metalr-official', label: 'MetaLR (official rule)', scheme: 'metalr-official', riskWeighted: false },
  { id: 'risk', label: 'Constant LR, risk-weighted CE', scheme: 'constant', riskWeighted: true },
  { id: 'last-layer', label: 'Last layer only', scheme: 'last-layer', riskWeighted: false },
];

export interface LabRun {
  condition: string; seed: number; result: FinetuneResult; cancelled: boolean;
  /** The fine-tuned model as ONNX (the worker's exportOnnx), to download. */
  onnx?: Uint8Array;
}

/** Download name of a run's fine-tuned model: <model>-<condition>-seed<k>.onnx (the condition names the scheme). */
export function onnxFileName(r: Pick<LabRun, 'condition' | 'seed' | 'result'>): string {
  const model = (r.result.provenance.model as { id?: string } | undefined)?.id ?? 'model';
  return `${model}-${r.condition}-seed${r.seed}.onnx`.replace(/[^\w.-]+/g, '_');
}

export interface DiceRow { condition: string; label: string; n: number; mean: number | null; sd: number | null; dice: number[] }

/** Dice per condition (in CONDITIONS order), mean ± sample sd over its finished seeds. */
export function diceRows(runs: LabRun[]): DiceRow[] {
  return CONDITIONS.flatMap((c) => {
    const dice = runs.filter((r) => r.condition === c.id && !r.cancelled).map((r) => r.result.dice.test);
    if (dice.length === 0) return [];
    return [{ condition: c.id, label: c.label, n: dice.length, ...meanSd(dice), dice }];
  });
}

/** Every run's curves in one CSV: condition, seed, then the columns of curvesCsv (LR columns per layer group). */
export function runsCsv(runs: LabRun[]): string {
  const lines: string[] = [];
  runs.forEach((r, i) => {
    const [head, ...rows] = curvesCsv(r.result.curves).trimEnd().split('\n');
    if (i === 0) lines.push(`condition,seed,${head}`);
    else if (`condition,seed,${head}` !== lines[0]) lines.push(`condition,seed,${head}`);
    for (const row of rows) lines.push(`${r.condition},${r.seed},${row}`);
  });
  return lines.join('\n') + '\n';
}

export const fmt = (v: number | null, d = 3): string => (v === null || !Number.isFinite(v) ? '–' : v.toFixed(d));
