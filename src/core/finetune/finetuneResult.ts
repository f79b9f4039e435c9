// The fine-tuning result shared by the CLI (`transferlens finetune`) and the lab worker (issue 8 §3, §5):
// {dice: {test, perClass}, curves, provenance}, its curves CSV, and the Dice file of the bank loop (§4).
import type { DiceTable } from '../pipeline/correlate.ts';
import type { RiskComparison } from './riskCompare.ts';

/** Per-iteration curves: loss, per-group LRs (MetaLR's U-shape), MetaLR's look-ahead validation loss and dots. */
export interface FinetuneCurves {
  iteration: number[];
  loss: number[];
  /** Group name → LR used at each iteration. */
  lrs: Record<string, number[]>;
  valLoss?: number[];
  /** Group name → ⟨∇L_val(θ̂), ∇L_train(θ)⟩ at each iteration (MetaLR only). */
  dots?: Record<string, number[]>;
  /** Wall seconds since the start, at the end of each iteration. */
  seconds: number[];
}

export interface FinetuneResult {
  dice: { test: number; perClass: (number | null)[] };
  curves: FinetuneCurves;
  provenance: Record<string, unknown>;
  /** The transfer risk map before (source model) and after fine-tuning on the held-out cases, summarised (riskCompare.ts). */
  risk?: RiskComparison;
}

export interface StepLike { iteration: number; loss: number; lrs: number[]; valLoss?: number; dots?: number[] }

export function emptyCurves(groups: string[]): FinetuneCurves {
  return { iteration: [], loss: [], lrs: Object.fromEntries(groups.map((g) => [g, []])), seconds: [] };
}

/** Appends one step (in place) and returns the curves. */
export function pushStep(c: FinetuneCurves, groups: string[], s: StepLike, seconds: number): FinetuneCurves {
  c.iteration.push(s.iteration);
  c.loss.push(s.loss);
  c.seconds.push(seconds);
  groups.forEach((g, j) => c.lrs[g].push(s.lrs[j]));
  if (s.valLoss !== undefined) (c.valLoss ??= []).push(s.valLoss);
  if (s.dots) {
    const d = (c.dots ??= Object.fromEntries(groups.map((g) => [g, [] as number[]])));
    groups.forEach((g, j) => d[g].push(s.dots![j]));
  }
  return c;
}

/** CSV with one row per iteration: iteration, seconds, loss, val_loss, lr:<group>…, dot:<group>… */
export function curvesCsv(c: FinetuneCurves): string {
  const groups = Object.keys(c.lrs);
  const head = ['iteration', 'seconds', 'loss', 'val_loss', ...groups.map((g) => `lr:${g}`), ...(c.dots ? groups.map((g) => `dot:${g}`) : [])];
  const rows = c.iteration.map((it, i) => [it, c.seconds[i], c.loss[i], c.valLoss?.[i] ?? '',
    ...groups.map((g) => c.lrs[g][i]), ...(c.dots ? groups.map((g) => c.dots![g][i]) : [])].join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

/** JSON-safe Dice values: NaN (a class absent from prediction and reference) becomes null. */
export const jsonDice = (v: number[]): (number | null)[] => v.map((x) => (Number.isFinite(x) ? x : null));

/** mean and sample sd (ddof 1; null for one value) of the finite values. */
export function meanSd(xs: number[]): { mean: number | null; sd: number | null } {
  const v = xs.filter(Number.isFinite);
  if (v.length === 0) return { mean: null, sd: null };
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  if (v.length < 2) return { mean: m, sd: null };
  return { mean: m, sd: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) };
}

/**
 * One Dice-file entry per model (public/demo/finetune-dice.json format: {dice: [per seed], mean, sd}); a model
 * without any finite Dice is left out (the readers require a numeric mean).
 */
export function diceEntries(perModel: Record<string, number[]>): DiceTable {
  const out: DiceTable = {};
  for (const [m, d] of Object.entries(perModel)) {
    const { mean, sd } = meanSd(d);
    if (mean !== null) out[m] = { dice: d, mean, ...(sd !== null ? { sd } : {}) };
  }
  return out;
}
