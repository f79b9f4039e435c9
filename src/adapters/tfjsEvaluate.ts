// Evaluation around fine-tuning (issue 8 §2): pooled foreground Dice on held-out cases, and the transfer risk map
// of the source model on the training cases (spec §10: pixel LEEP → R = 10^Ĥ per image) via the core estimators.
import { TeError } from '../core/errors.ts';
import { pixelLeepMap } from '../core/estimators/pixelLeepMap.ts';
import { riskMap, type RiskScope } from '../core/estimators/riskMap.ts';
import { dice } from '../core/stats/dice.ts';
import type { RiskMapResult } from '../core/finetune/riskCompare.ts';
import { caseSize, predictProbs, type FinetuneData, type TfModel } from './tfjsModel.ts';
import type { ReadGen } from './tfjsDrive.ts';

function labelsOf(d: FinetuneData, cases: number[]): Int32Array {
  const px = caseSize(d), out = new Int32Array(cases.length * px);
  cases.forEach((c, i) => { for (let p = 0; p < px; p++) out[i * px + p] = d.labels[c * px + p]; });
  return out;
}

/** R per pixel of `cases` (case-major), from the source model's eval-mode softmax before any fine-tuning. */
export function* sourceRiskMap(m: TfModel, d: FinetuneData, cases: number[], chunk: number, scope: RiskScope = 'image', warn?: (s: string) => void): ReadGen<Float64Array> {
  const probs = yield* predictProbs(m, d, cases, chunk);
  const labels = labelsOf(d, cases);
  const h = (d.d ?? 1) * d.h; // a volume as one image of its d·h rows
  const leep = pixelLeepMap({ n: cases.length, h, w: d.w, c: m.numClasses, data: probs }, { n: cases.length, h, w: d.w, data: labels }, warn, 'transfer risk map');
  return riskMap(leep.map, caseSize(d), scope);
}

/**
 * The transfer risk map of the model as it is now, on `cases` (Fig. 2 of the Transfer Risk Map paper): its eval-mode
 * softmax over its own classes → core pixel LEEP with the cases' target labels (P̂(y|z) pooled over these cases) →
 * R = 10^Ĥ per image. The same functions as sourceRiskMap, so a map before and after fine-tuning compare directly.
 */
export function* modelRiskMap(m: TfModel, d: FinetuneData, cases: number[], chunk: number, warn?: (s: string) => void): ReadGen<RiskMapResult> {
  if (cases.length === 0) throw new TeError('too-few-cases', 'fine-tuning: no cases for the risk map');
  const probs = yield* predictProbs(m, d, cases, chunk);
  const labels = labelsOf(d, cases);
  const h = (d.d ?? 1) * d.h;
  const leep = pixelLeepMap({ n: cases.length, h, w: d.w, c: m.numClasses, data: probs }, { n: cases.length, h, w: d.w, data: labels }, warn, 'transfer risk map');
  return { cases: cases.slice(), transferability: leep.map, risk: riskMap(leep.map, caseSize(d), 'image'), score: leep.score };
}

/** Foreground Dice pooled over `cases` per class 1..C−1 (NaN for a class absent from both), and their mean. */
export function* diceOf(m: TfModel, d: FinetuneData, cases: number[], chunk: number): ReadGen<{ dice: number; perClass: number[] }> {
  if (cases.length === 0) throw new TeError('too-few-cases', 'fine-tuning: no held-out cases to evaluate');
  const c = m.numClasses, probs = yield* predictProbs(m, d, cases, chunk);
  const pred = new Int32Array(probs.length / c);
  for (let p = 0; p < pred.length; p++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (probs[p * c + k] > probs[p * c + best]) best = k;
    pred[p] = best;
  }
  const target = labelsOf(d, cases);
  const perClass = Array.from({ length: c - 1 }, (_, k) => dice(pred, target, k + 1));
  const ok = perClass.filter((v) => !Number.isNaN(v));
  return { dice: ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN, perClass };
}
