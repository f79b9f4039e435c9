// `transferlens finetune` (issue 8 §5, §4): fine-tunes one model on a labelled volume (or a demo target) with the
// tfjs engine in Node (wasm backend, no native binaries) and writes {dice, curves, provenance}; --all-models loops
// the bank over N seeds within a time budget and writes a Dice file in the finetune-dice.json format.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TeError } from '../core/errors.ts';
import { defaultTrainSlices, parseCaseList, testSlices } from '../core/finetune/sliceData.ts';
import { defaultTrainBlocks, foregroundBlocks, heldOutBlocks } from '../core/finetune/blockData.ts';
import { caseSize } from '../adapters/tfjsModel.ts';
import { diceEntries, emptyCurves, jsonDice, pushStep, type FinetuneResult } from '../core/finetune/finetuneResult.ts';
import { createTrainerSync, type Trainer, type TrainerState } from '../adapters/tfjsTrainer.ts';
import { compareRisk } from '../core/finetune/riskCompare.ts';
import { checkGroupOverrides } from '../core/finetune/layerGroups.ts';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import { weightsReaching } from '../core/finetune/graphPath.ts';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { single, type ParsedArgs } from './args.ts';
import { FINETUNE_HELP } from './finetuneHelp.ts';
import { writeFinetunedModel } from './finetuneExport.ts';
import { dataFor, loadModels, loadTarget, parseFinetuneArgs, type CaseData, type FinetuneSpec, type FtModel, type FtTarget } from './finetuneInputs.ts';

const WASM_DIR = join(import.meta.dirname, '..', '..', 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';
const TFJS_VERSION = '4.22.0';

export async function runFinetune(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { process.stdout.write(FINETUNE_HELP); return 0; }
  const { p, spec } = parseFinetuneArgs(argv);
  const models = loadModels(p);
  const target = await loadTarget(p);
  const backend = await initTfjsBackend(spec.backend, WASM_DIR);
  const log = p.flags.has('quiet') ? () => {} : (s: string) => process.stderr.write(`transferlens: ${s}\n`);
  const out = p.flags.has('all-models') ? allModels(p, spec, models, target, backend, log) : oneModel(p, spec, models[0], target, backend, log);
  const text = JSON.stringify(out, null, p.flags.has('all-models') ? 1 : undefined) + '\n';
  const file = single(p, 'out');
  if (file) writeFileSync(file, text);
  else process.stdout.write(text);
  return 0;
}

interface Split { train: number[]; test: number[] }

/**
 * Slices: --train-cases, else a demo target's train_slices, else the few-shot rule; held out within a demo target's
 * task slices. Blocks (3-D): --train-cases as block indices, else the few-shot rule over the blocks with foreground;
 * held out = foreground blocks touching no training block.
 */
function split(p: ParsedArgs, t: FtTarget, c: CaseData): Split {
  const given = single(p, 'train-cases');
  if (c.unit === 'block') {
    const fg = foregroundBlocks(c.data);
    const train = given ? parseCaseList(given, c.data.n) : defaultTrainBlocks(fg);
    return { train, test: heldOutBlocks(c.data.grid, train, fg) };
  }
  const train = given ? parseCaseList(given, c.data.n) : t.train ?? defaultTrainSlices(c.data);
  return { train, test: testSlices(c.data, train, t.pool) };
}

const heldOutRule = (c: CaseData, t: FtTarget) => (c.unit === 'block'
  ? `not a training block, sharing no face with one, with foreground; blocks of ${c.data.d}×${c.data.h}×${c.data.w} voxels (slices × rows × columns), grid ${c.data.grid.join('×')}`
  : 'not a training slice, not adjacent to one' + (t.pool ? ', within the target\'s task slices' : ', with foreground'));

/**
 * Fine-tunes `model` with `seed`; the result follows issue 8 §5 ({dice: {test, perClass}, curves, provenance}). With
 * `riskMaps`, it adds `risk`: the transfer risk map of the source and of the fine-tuned model on the held-out slices,
 * summarised (core compareRisk; the lab worker computes the same). `onTrained` sees the trainer after evaluation.
 */
export function finetuneOne(spec: FinetuneSpec, model: FtModel, target: FtTarget, cases: CaseData, s: Split, seed: number, extra: Record<string, unknown>, log: (s: string) => void, riskMaps = false, onTrained?: (t: Trainer) => void): FinetuneResult {
  const t0 = performance.now(), data = cases.data;
  if (spec.groupOverrides) checkGroupOverrides(spec.groupOverrides, weightsReaching(parseOnnx(model.bytes), model.manifest.logits_name), `--groups ${spec.groupsFile} (model ${model.id})`);
  const trainer = createTrainerSync(model.bytes, model.manifest, data, {
    scheme: spec.scheme, optimizer: spec.optimizer, lr: spec.lr, loss: spec.loss, riskWeighted: spec.riskWeighted, batch: spec.batch,
    seed, train: s.train, test: s.test, eta: spec.eta, lrMax: spec.lrMax, topK: spec.topK, frozen: spec.frozen, groupOverrides: spec.groupOverrides, riskCases: riskMaps ? s.test : [],
  });
  try {
    const curves = emptyCurves(trainer.groups);
    for (let i = 0; i < spec.iterations; i++) {
      const r = trainer.stepSync();
      if (!Number.isFinite(r.loss)) throw new TeError('not-converged', `${model.id}: the loss is ${r.loss} at iteration ${r.iteration}; lower --lr`);
      pushStep(curves, trainer.groups, r, (performance.now() - t0) / 1000);
      if (r.iteration % 10 === 0 || r.iteration === spec.iterations) log(`${model.id} seed ${seed}: iteration ${r.iteration}/${spec.iterations} loss ${r.loss.toFixed(4)}`);
    }
    const ev = trainer.evaluateSync();
    const risk = trainer.riskBefore ? compareRisk(trainer.riskBefore, trainer.riskMapSync(), data.labels, caseSize(data), trainer.numClasses) : undefined;
    onTrained?.(trainer);
    const metalr = spec.scheme.startsWith('metalr');
    return {
      dice: { test: ev.dice, perClass: jsonDice(ev.perClass) },
      curves,
      provenance: {
        tool: 'transferlens 0.1.0', command: 'finetune', runtime: `node ${process.version}, @tensorflow/tfjs-core ${TFJS_VERSION}`, backend: trainer.backend,
        created: new Date().toISOString(), seconds: (performance.now() - t0) / 1000,
        model: { id: model.id, file: model.file, sha256: createHash('sha256').update(model.bytes).digest('hex') },
        target: { id: target.id, images: target.images, labels: target.labels, axis: target.axis }, caseUnit: cases.unit,
        ...(cases.unit === 'block' ? { block: [cases.data.d, cases.data.h, cases.data.w], grid: cases.data.grid } : {}),
        trainCases: s.train, testCases: s.test, heldOutRule: heldOutRule(cases, target),
        scheme: spec.scheme, optimizer: spec.optimizer ?? (metalr ? 'sgd' : 'adam'), lr: metalr ? null : spec.lr ?? 1e-3,
        initialLrs: metalr ? 'MetaLR defaults: 1e-3 per group, 1e-2 for the head' : undefined, eta: metalr ? spec.eta ?? 0.1 : undefined, lrMax: metalr ? spec.lrMax ?? null : undefined,
        loss: spec.loss, riskWeighted: spec.riskWeighted, iterations: spec.iterations, batch: spec.batch, seed,
        ...(spec.groupOverrides ? { groupOverrides: spec.groupOverrides, groupsFile: spec.groupsFile } : {}),
        groups: trainer.groups, trainable: trainer.trainable, numClasses: trainer.numClasses, offPathWeights: trainer.offPath, ...extra,
      },
      ...(risk ? { risk } : {}),
    };
  } finally {
    trainer.dispose();
  }
}

function oneModel(p: ParsedArgs, spec: FinetuneSpec, model: FtModel, target: FtTarget, backend: string, log: (s: string) => void): FinetuneResult {
  const { cases, normalization } = dataFor(target, model, new Map(), spec);
  const s = split(p, target, cases);
  log(`fine-tuning ${model.id} on ${target.id} (${backend}): ${s.train.length} training ${cases.unit}s, ${s.test.length} held-out ${cases.unit}s`);
  let state: TrainerState | undefined;
  const r = finetuneOne(spec, model, target, cases, s, spec.seed, { normalization }, log, true, spec.exportOnnx ? (t) => { state = t.exportStateSync(); } : undefined);
  if (spec.exportOnnx && state) {
    const e = writeFinetunedModel(spec.exportOnnx, model, state, normalization, r);
    r.provenance.exported = { onnx: e.onnx, manifest: e.manifest, sha256: e.sha256, numClasses: e.numClasses };
    log(`${model.id}: fine-tuned model written to ${e.onnx} (${e.numClasses} classes), manifest ${e.manifest}`);
  }
  log(`${model.id}: Dice ${r.dice.test.toFixed(4)} on the held-out ${cases.unit}s`);
  if (r.risk) log(`${model.id}: mean transfer risk on the held-out ${cases.unit}s ${r.risk.meanBefore.toFixed(3)} → ${r.risk.meanAfter.toFixed(3)} (foreground ${r.risk.foregroundBefore?.toFixed(3)} → ${r.risk.foregroundAfter?.toFixed(3)})`);
  return r;
}

/** Every model × seeds 0..N−1 (seed-major, so a short budget still covers every model once); stops starting runs past the budget. */
function allModels(p: ParsedArgs, spec: FinetuneSpec, models: FtModel[], target: FtTarget, backend: string, log: (s: string) => void) {
  const t0 = performance.now(), cache = new Map<string, CaseData>();
  const dice: Record<string, number[]> = {}, skipped: string[] = [];
  let last = 0, s0: Split | undefined, unit0: CaseData['unit'] | undefined;
  for (let seed = 0; seed < spec.seeds; seed++) {
    for (const m of models) {
      const elapsed = (performance.now() - t0) / 1000;
      if (elapsed + last > spec.timeBudget) { skipped.push(`${m.id} seed ${seed}`); continue; }
      const { cases, normalization } = dataFor(target, m, cache, spec);
      if (s0 && cases.unit !== unit0) throw new TeError('invalid-input', `--all-models: ${m.id} takes ${cases.unit}s but ${models[0].id} took ${unit0}s; run 2-D and 3-D models separately`);
      unit0 ??= cases.unit;
      const s = (s0 ??= split(p, target, cases));
      const r = finetuneOne(spec, m, target, cases, s, seed, { normalization }, log);
      last = (r.provenance.seconds as number);
      (dice[m.id] ??= []).push(r.dice.test);
      log(`${m.id} seed ${seed}: Dice ${r.dice.test.toFixed(4)} (${last.toFixed(1)} s, ${backend})`);
    }
  }
  if (skipped.length) log(`time budget of ${spec.timeBudget} s reached: skipped ${skipped.join(', ')}`);
  return {
    targets: { [target.id]: diceEntries(dice) },
    protocol: {
      tool: 'transferlens finetune --all-models', backend, runtime: `node ${process.version}, @tensorflow/tfjs-core ${TFJS_VERSION}`, created: new Date().toISOString(),
      scheme: spec.scheme, optimizer: spec.optimizer ?? (spec.scheme.startsWith('metalr') ? 'sgd' : 'adam'), lr: spec.lr ?? 1e-3, loss: spec.loss,
      riskWeighted: spec.riskWeighted, iterations: spec.iterations, batch: spec.batch, seeds: Array.from({ length: spec.seeds }, (_, i) => i),
      trainCases: s0?.train, testCases: s0?.test, timeBudgetSeconds: Number.isFinite(spec.timeBudget) ? spec.timeBudget : null,
      seconds: (performance.now() - t0) / 1000, skipped, sd: 'sample standard deviation (ddof=1) over seeds',
    },
  };
}
