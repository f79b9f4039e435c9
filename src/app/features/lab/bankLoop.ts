// "Fine-tune every model in the bank" (issue 8 §4): one scheme × N seeds over the chosen models in the fine-tuning
// worker, seed-major (a short time budget still covers every model once, as `transferlens finetune --all-models`),
// stopping new runs past the budget. The result is a Dice file in public/demo/finetune-dice.json's format, which the
// TE-vs-Dice view, the validation table and `transferlens validate` / `rank --dice` read.
import * as Comlink from 'comlink';
import { diceEntries } from '../../../core/finetune/finetuneResult.ts';
import type { DiceTable } from '../../../core/pipeline/correlate.ts';
import type { ModelItem, TargetItem } from '../../state/bankSlice.ts';
import { fileCache } from '../../state/fileCache.ts';
import type { Prepared } from '../../../workers/finetune.worker-api.ts';
import type { Condition } from './labRuns.ts';
import { finetuneWorker } from './labWorker.ts';

export interface BankPlan {
  models: ModelItem[]; target: TargetItem; condition: Condition; seeds: number; iterations: number; batch: number; lr: number;
  /** Seconds; no new run starts when the elapsed time plus the last run's time would pass it. */
  timeBudget: number;
}

export interface BankProgress { model: string; seed: number; index: number; total: number; iteration: number; iterations: number; elapsed: number }

/** The Dice file this loop writes: the finetune-dice.json format (targets → model → {dice per seed, mean, sd}). */
export interface BankDiceFile {
  targets: Record<string, DiceTable>;
  protocol: Record<string, unknown>;
}

export interface BankLoopResult { file: BankDiceFile; skipped: string[]; errors: string[]; cancelled: boolean }

let stopRequested = false;

/** Asks the loop to stop: the current run ends at its next iteration (and is not counted), no new run starts. */
export function stopBankLoop(): void {
  stopRequested = true;
  void finetuneWorker().cancel();
}

export async function runBankLoop(plan: BankPlan, onProgress: (p: BankProgress) => void, now: () => number = () => performance.now()): Promise<BankLoopResult> {
  const w = finetuneWorker();
  stopRequested = false;
  const t0 = now(), info = await w.backendInfo();
  const dice: Record<string, number[]> = {}, skipped: string[] = [], errors: string[] = [];
  const t = plan.target, total = plan.models.length * plan.seeds;
  let last = 0, split: Prepared | null = null, preparedFor = '', index = 0;
  for (let seed = 0; seed < plan.seeds; seed++) {
    for (const m of plan.models) {
      index++;
      const elapsed = (now() - t0) / 1000;
      if (stopRequested) { skipped.push(`${m.id} seed ${seed}`); continue; }
      if (elapsed + last > plan.timeBudget) { skipped.push(`${m.id} seed ${seed}`); continue; }
      const mf = m.manifest!;
      // The worker keeps the last prepared slices; models differ only in normalisation, so re-read on a change.
      const norm = t.normalization ?? mf.normalization, normKey = JSON.stringify(norm);
      if (normKey !== preparedFor) {
        const prep = await w.prepare(fileCache.copy(`target-image:${t.id}`), fileCache.copy(`target-label:${t.id}`), norm, t.axis, t.sliceIndices, t.heldOutPool);
        if (!prep.ok) { errors.push(`${m.id}: ${prep.error.message}`); preparedFor = ''; continue; }
        split ??= prep.prepared;
        preparedFor = normKey;
      }
      const start = now();
      const r = await w.finetune({
        onnx: fileCache.copy(`model:${m.id}`)[0].bytes, manifest: { logits_name: mf.logits_name, id: mf.id }, train: split!.train, test: split!.test,
        options: { scheme: plan.condition.scheme, riskWeighted: plan.condition.riskWeighted, iterations: plan.iterations, batch: plan.batch, seed, lr: plan.lr },
        provenance: { target: t.id, normalization: norm, axis: t.axis },
      }, Comlink.proxy((e) => {
        if (e.type === 'step') onProgress({ model: m.id, seed, index, total, iteration: e.step.iteration, iterations: plan.iterations, elapsed: (now() - t0) / 1000 });
      }));
      last = (now() - start) / 1000;
      if (!r.ok) { errors.push(`${m.id} seed ${seed}: ${r.error.message}`); continue; }
      if (r.cancelled) { skipped.push(`${m.id} seed ${seed} (cancelled)`); continue; }
      (dice[m.id] ??= []).push(r.result.dice.test);
    }
  }
  const c = plan.condition;
  return {
    skipped, errors, cancelled: stopRequested,
    file: {
      targets: { [t.id]: diceEntries(dice) },
      protocol: {
        tool: 'TransferLens fine-tuning lab (browser worker): fine-tune every model', backend: info.backend, runtime: '@tensorflow/tfjs-core 4.22.0',
        created: new Date().toISOString(), scheme: c.scheme, riskWeighted: c.riskWeighted, optimizer: c.scheme.startsWith('metalr') ? 'sgd' : 'adam',
        lr: c.scheme.startsWith('metalr') ? null : plan.lr, loss: 'ce', iterations: plan.iterations, batch: plan.batch,
        seeds: Array.from({ length: plan.seeds }, (_, i) => i), trainCases: split?.train, testCases: split?.test, normalization: t.normalization ?? 'each model\'s own',
        timeBudgetSeconds: Number.isFinite(plan.timeBudget) ? plan.timeBudget : null, seconds: (now() - t0) / 1000, skipped,
        sd: 'sample standard deviation (ddof=1) over seeds',
      },
    },
  };
}
