// The lab's bookkeeping (issue 8 §3): the conditions a user can compare and the scheme options applied to each,
// Dice per condition as mean ± sd over seeds, and one CSV of every run's curves (condition and seed columns first).
import type { Scheme } from '../../../core/finetune/layerGroups.ts';
import type { FinetuneJobOptions } from '../../../workers/finetune.worker-api.ts';
import { curvesCsv, meanSd, type FinetuneResult } from '../../../core/finetune/finetuneResult.ts';

export interface Condition { id: string; label: string; scheme: Scheme; riskWeighted: boolean }

export const CONDITIONS: Condition[] = [
  { id: 'constant', label: 'Constant LR (plain CE)', scheme: 'constant', riskWeighted: false },
  { id: 'metalr-paper', label: 'MetaLR (paper rule)', scheme: 'metalr-paper', riskWeighted: false },
  { id: 'metalr-official', label: 'MetaLR (official rule)', scheme: 'metalr-official', riskWeighted: false },
  { id: 'risk', label: 'Constant LR, risk-weighted CE', scheme: 'constant', riskWeighted: true },
  { id: 'last-layer', label: 'Last layer only', scheme: 'last-layer', riskWeighted: false },
  { id: 'layer-wise', label: 'Layer-wise (last k groups)', scheme: 'layer-wise', riskWeighted: false },
  { id: 'bi-directional', label: 'Bi-directional (groups m..n frozen)', scheme: 'bi-directional', riskWeighted: false },
];

/** The scheme options as typed in the lab (applied to every condition of a run); defaults = the CLI's. */
export interface SchemeControls {
  /** 'default': adam, sgd for MetaLR (the CLI without --optimizer). */
  optimizer: 'default' | 'adam' | 'sgd';
  loss: 'ce' | 'ce-dice';
  /** MetaLR's hyper-LR η (CLI --eta, default 0.1) and optional LR clip (--lr-max; empty = none). */
  eta: string; lrMax: string;
  /** layer-wise: train the last k groups (--top-k, default 1); bi-directional: groups m..n frozen (--frozen m,n). */
  topK: string; frozen: string;
}

export const DEFAULT_CONTROLS: SchemeControls = { optimizer: 'default', loss: 'ce', eta: '0.1', lrMax: '', topK: '1', frozen: '' };

export type SchemeOptions = Pick<FinetuneJobOptions, 'optimizer' | 'loss' | 'eta' | 'lrMax' | 'topK' | 'frozen'>;

/** The controls checked (those the chosen conditions use), as job options; or the problems, named. */
export function schemeOptions(c: SchemeControls, conditions: string[]): { options: SchemeOptions; error?: undefined } | { error: string } {
  const uses = (id: string) => conditions.some((x) => x === id || (id === 'metalr' && x.startsWith('metalr')));
  const bad: string[] = [];
  const pos = (s: string, what: string, check: (v: number) => boolean, must: string) => {
    const v = Number(s);
    if (s.trim() === '' || !Number.isFinite(v) || !check(v)) { bad.push(`${what} "${s}" must be ${must}`); return undefined; }
    return v;
  };
  const options: SchemeOptions = { ...(c.optimizer === 'default' ? {} : { optimizer: c.optimizer }), loss: c.loss };
  if (uses('metalr')) {
    options.eta = pos(c.eta, 'MetaLR η', (v) => v > 0, 'a positive number');
    if (c.lrMax.trim() !== '') options.lrMax = pos(c.lrMax, 'LR clip', (v) => v > 1e-6, 'a number above 1e-6 (or empty: none)');
  }
  if (uses('layer-wise')) options.topK = pos(c.topK, 'top k', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  if (uses('bi-directional')) {
    const m = /^\s*(\d+)\s*(?:\.\.|,|-)\s*(\d+)\s*$/.exec(c.frozen);
    if (!m || Number(m[1]) > Number(m[2])) bad.push(`frozen groups "${c.frozen}" must be m..n (0-based group indices, m ≤ n)`);
    else options.frozen = [Number(m[1]), Number(m[2])];
  }
  return bad.length ? { error: bad.join('; ') } : { options };
}

/** One condition's job options: its scheme, with the scheme options it uses. */
export function conditionOptions(c: Condition, o: SchemeOptions): Pick<FinetuneJobOptions, 'scheme' | 'riskWeighted'> & SchemeOptions {
  const metalr = c.scheme.startsWith('metalr');
  return {
    scheme: c.scheme, riskWeighted: c.riskWeighted, ...(o.optimizer ? { optimizer: o.optimizer } : {}), loss: o.loss,
    ...(metalr ? { eta: o.eta, ...(o.lrMax !== undefined ? { lrMax: o.lrMax } : {}) } : {}),
    ...(c.scheme === 'layer-wise' ? { topK: o.topK } : {}), ...(c.scheme === 'bi-directional' ? { frozen: o.frozen } : {}),
  };
}

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
