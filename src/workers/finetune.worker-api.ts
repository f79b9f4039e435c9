// The fine-tuning worker's API as a plain object (issue 8 §3), testable in Node: runs createTrainer (async reads, so
// a GPU backend never blocks) for a few iterations, streams every step, evaluates Dice, and stops on cancel().
import { TeError } from '../core/errors.ts';
import { layerGroups, type LayerGroups, type Scheme } from '../core/finetune/layerGroups.ts';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import { weightsReaching } from '../core/finetune/graphPath.ts';
import { defaultTrainOf, defaultTrainSlices, heldOutSlices, labelSliceInfo, sliceData, testSlices, type SliceData } from '../core/finetune/sliceData.ts';
import type { InputFile } from '../core/ports.ts';
import type { Normalization, Volume } from '../core/types.ts';
import { normalizeVolume } from '../core/volume/normalize.ts';
import type { Axis } from '../core/volume/slices.ts';
import { emptyCurves, jsonDice, pushStep, type FinetuneResult, type StepLike } from '../core/finetune/finetuneResult.ts';
import type { ModelManifest } from '../core/types.ts';
import { createTrainer } from '../adapters/tfjsTrainer.ts';
import { compareRisk, evenlySpaced, riskSlices, type RiskSlice } from '../core/finetune/riskCompare.ts';
import { exportFinetunedOnnx } from '../core/finetune/onnxExport.ts';
import { toWorkerError, type WorkerError } from './analysis.worker-api.ts';

export interface FinetuneJobOptions {
  scheme: Scheme; optimizer?: 'adam' | 'sgd'; lr?: number; loss?: 'ce' | 'ce-dice'; riskWeighted?: boolean;
  iterations: number; batch?: number; seed: number; eta?: number; lrMax?: number; topK?: number; frozen?: [number, number];
  /** Parameter name → layer group name, over the parameter-name-prefix default (TrainerOptions.groupOverrides). */
  groupOverrides?: Record<string, string>;
}

export interface FinetuneJob {
  onnx: Uint8Array;
  manifest: Pick<ModelManifest, 'logits_name'> & { id?: string };
  /** The slices, or omitted to use those of the last prepare(). */
  data?: SliceData;
  train: number[];
  test: number[];
  options: FinetuneJobOptions;
  /** Free-form provenance the page adds (target id, normalisation, file names). */
  provenance?: Record<string, unknown>;
  /**
   * Transfer risk maps before (source model) and after fine-tuning on the held-out cases (Risk Map paper, Fig. 2):
   * result.risk gets their summaries and riskSlices up to RISK_SLICES evenly spaced held-out slices. Off by default
   * (two more inference passes over the held-out cases).
   */
  riskMaps?: boolean;
  /** Also return the fine-tuned model as ONNX bytes (the original graph with the trained weights): result `onnx`. */
  exportOnnx?: boolean;
}

/** Held-out slices returned for display with riskMaps. */
export const RISK_SLICES = 3;

export type FinetuneEvent =
  | { type: 'started'; backend: string; groups: string[]; trainable: boolean[]; risk: Float64Array | null }
  | { type: 'step'; step: StepLike; seconds: number };

export type FinetuneRunResult = { ok: true; result: FinetuneResult; cancelled: boolean; riskSlices?: RiskSlice[]; onnx?: Uint8Array } | { ok: false; error: WorkerError };

export interface Prepared { n: number; h: number; w: number; train: number[]; test: number[] }

/** A target's slices as a split editor needs them: count, foreground slices, and the default split. */
/** A target's slice count, its foreground slices, the pool held-out slices come from (given, else foreground), a split. */
export interface SplitInfo { n: number; foreground: number[]; pool: number[]; train: number[]; test: number[] }

/**
 * `backendInfo`: what the host started (e.g. {backend: 'wasm', webgpu: 'no adapter'}); `readVolume`: the host's reader
 * (readVolumeBrowser in the worker).
 */
export function createFinetuneApi(backendInfo: () => Promise<Record<string, unknown>>, readVolume?: (f: InputFile[]) => Promise<Volume>, now: () => number = () => performance.now()) {
  let run = 0;
  let busy = false;
  let prepared: SliceData | null = null;
  return {
    backendInfo,
    /**
     * Reads the labelled volume, normalises it as the model expects and cuts it into slices (kept for finetune());
     * training slices = `train` or the default rule, held out = neither trained on nor adjacent, with foreground.
     */
    async prepare(image: InputFile[], label: InputFile[], normalization: Normalization, axis: Axis, train?: number[], pool?: number[]): Promise<{ ok: true; prepared: Prepared } | { ok: false; error: WorkerError }> {
      try {
        if (!readVolume) throw new TeError('unsupported', 'this worker has no volume reader');
        const [img, lab] = [await readVolume(image), await readVolume(label)];
        prepared = sliceData(normalizeVolume(img, normalization).data, lab, axis, img.size);
        const tr = train && train.length ? train : defaultTrainSlices(prepared);
        return { ok: true, prepared: { n: prepared.n, h: prepared.h, w: prepared.w, train: tr, test: testSlices(prepared, tr, pool) } };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /**
     * The slice count, foreground slices and default split (`train` or the default rule) of a label volume, without
     * the image and without touching what prepare() kept: for the lab's split editor.
     */
    async splitInfo(label: InputFile[], axis: Axis, train?: number[], pool?: number[]): Promise<{ ok: true; info: SplitInfo } | { ok: false; error: WorkerError }> {
      try {
        if (!readVolume) throw new TeError('unsupported', 'this worker has no volume reader');
        const { n, foreground } = labelSliceInfo(await readVolume(label), axis);
        const tr = train && train.length ? train : defaultTrainOf(foreground);
        const from = pool ?? foreground;
        return { ok: true, info: { n, foreground, pool: from, train: tr, test: heldOutSlices(n, tr, from) } };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /**
     * The model's default layer groups (parameter-name prefixes) over its parameters that reach the logits, in the
     * order the trainer uses: what the lab's group editor lists. Parses the ONNX only (no tfjs).
     */
    async layerGroupsOf(onnx: Uint8Array, logitsName: string): Promise<{ ok: true; groups: LayerGroups } | { ok: false; error: WorkerError }> {
      try {
        const weights = weightsReaching(parseOnnx(onnx), logitsName);
        if (weights.length === 0) throw new TeError('invalid-input', `layer groups: no trainable parameter reaches the output "${logitsName}"`);
        return { ok: true, groups: layerGroups(weights) };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    async finetune(job: FinetuneJob, onEvent: (e: FinetuneEvent) => unknown): Promise<FinetuneRunResult> {
      if (busy) return { ok: false, error: { code: 'invalid-input', message: 'a fine-tuning run is already going in this worker' } };
      busy = true;
      const mine = ++run, t0 = now();
      try {
        const info = await backendInfo();
        const o = job.options;
        if (!(Number.isInteger(o.iterations) && o.iterations >= 1)) throw new TeError('invalid-input', `iterations ${o.iterations}: must be a positive integer`);
        const data = job.data ?? prepared;
        if (!data) throw new TeError('invalid-input', 'no slices: call prepare() first or pass data');
        const t = await createTrainer(job.onnx, job.manifest, data, { ...o, train: job.train, test: job.test, riskCases: job.riskMaps ? job.test : [] });
        try {
          await onEvent({ type: 'started', backend: t.backend, groups: t.groups, trainable: t.trainable, risk: t.risk });
          const curves = emptyCurves(t.groups);
          let cancelled = false;
          for (let i = 0; i < o.iterations; i++) {
            if (run !== mine) { cancelled = true; break; }
            const s = await t.step();
            const step: StepLike = { iteration: s.iteration, loss: s.loss, lrs: s.lrs, valLoss: s.valLoss, dots: s.dots };
            pushStep(curves, t.groups, step, (now() - t0) / 1000);
            await onEvent({ type: 'step', step, seconds: (now() - t0) / 1000 });
          }
          const ev = await t.evaluate();
          const after = t.riskBefore ? await t.riskMap() : null;
          const risk = t.riskBefore && after ? compareRisk(t.riskBefore, after, data.labels, data.h * data.w, t.numClasses) : undefined;
          const shown = t.riskBefore && after ? riskSlices(data, t.riskBefore, after, evenlySpaced(t.riskBefore.cases, RISK_SLICES)) : undefined;
          const metalr = o.scheme.startsWith('metalr');
          const onnx = job.exportOnnx ? exportFinetunedOnnx(job.onnx, await t.exportState(), {
            logitsName: job.manifest.logits_name,
            provenance: { command: 'transferlens lab (browser worker)', source: job.manifest.id, scheme: o.scheme, riskWeighted: !!o.riskWeighted, seed: o.seed,
              iterations: o.iterations, iterationsRun: curves.iteration.length, batch: o.batch ?? 8, trainCases: job.train, heldOutDice: ev.dice, backend: t.backend, ...job.provenance },
          }).bytes : undefined;
          return {
            ok: true, cancelled, ...(shown ? { riskSlices: shown } : {}), ...(onnx ? { onnx } : {}),
            result: {
              dice: { test: ev.dice, perClass: jsonDice(ev.perClass) }, curves,
              provenance: {
                tool: 'transferlens 0.1.0 (browser worker)', runtime: '@tensorflow/tfjs-core 4.22.0', backend: t.backend, ...info,
                created: new Date().toISOString(), seconds: (now() - t0) / 1000, model: { id: job.manifest.id },
                caseUnit: 'slice', trainCases: job.train, testCases: job.test, scheme: o.scheme,
                optimizer: o.optimizer ?? (metalr ? 'sgd' : 'adam'), lr: metalr ? null : o.lr ?? 1e-3, loss: o.loss ?? 'ce',
                riskWeighted: !!o.riskWeighted, iterations: o.iterations, iterationsRun: curves.iteration.length, batch: o.batch ?? 8, seed: o.seed,
                ...(metalr ? { eta: o.eta ?? 0.1, lrMax: o.lrMax ?? null } : {}), ...(o.scheme === 'layer-wise' ? { topK: o.topK ?? 1 } : {}),
                ...(o.scheme === 'bi-directional' ? { frozen: o.frozen } : {}), ...(o.groupOverrides && Object.keys(o.groupOverrides).length ? { groupOverrides: o.groupOverrides } : {}),
                groups: t.groups, trainable: t.trainable, numClasses: t.numClasses, offPathWeights: t.offPath, ...job.provenance,
              },
              ...(risk ? { risk } : {}),
            },
          };
        } finally {
          t.dispose();
        }
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      } finally {
        busy = false;
      }
    },
    /** Stops the running job before its next iteration; it still evaluates and returns what it has (cancelled: true). */
    cancel(): void { run++; },
  };
}
