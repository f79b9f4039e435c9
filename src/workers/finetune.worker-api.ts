// The fine-tuning worker's API as a plain object (issue 8 §3), testable in Node: runs createTrainer (async reads, so
// a GPU backend never blocks) for a few iterations, streams every step, evaluates Dice, and stops on cancel().
import { TeError } from '../core/errors.ts';
import { layerGroups, type LayerGroups, type Scheme } from '../core/finetune/layerGroups.ts';
import { parseOnnx } from '../core/finetune/onnxGraph.ts';
import { weightsReaching } from '../core/finetune/graphPath.ts';
import { defaultTrainOf, defaultTrainSlices, heldOutSlices, labelSliceInfo, sliceData, testSlices, type SliceData } from '../core/finetune/sliceData.ts';
import { blockData, defaultTrainBlocks, foregroundBlocks, heldOutBlocks, labelBlockInfo, type BlockData } from '../core/finetune/blockData.ts';
import type { InputFile } from '../core/ports.ts';
import type { Normalization, Volume } from '../core/types.ts';
import { normalizeVolume } from '../core/volume/normalize.ts';
import type { Axis } from '../core/volume/slices.ts';
import { emptyCurves, jsonDice, pushStep, type FinetuneResult, type StepLike } from '../core/finetune/finetuneResult.ts';
import type { ModelManifest } from '../core/types.ts';
import { createTrainer } from '../adapters/tfjsTrainer.ts';
import { caseSize } from '../adapters/tfjsModel.ts';
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
  /** The cases (slices, or blocks with a depth d for a 3-D model), or omitted to use those of the last prepare(). */
  data?: SliceData | BlockData;
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

const isBlocks = (d: SliceData | BlockData): d is BlockData => 'd' in d && typeof d.d === 'number';

/** Held-out slices returned for display with riskMaps. */
export const RISK_SLICES = 3;

export type FinetuneEvent =
  | { type: 'started'; backend: string; groups: string[]; trainable: boolean[]; risk: Float64Array | null }
  | { type: 'step'; step: StepLike; seconds: number };

export type FinetuneRunResult = { ok: true; result: FinetuneResult; cancelled: boolean; riskSlices?: RiskSlice[]; onnx?: Uint8Array } | { ok: false; error: WorkerError };

/** What prepare() cut: slices (n × h × w), or blocks (n × d × h × w on a grid) for a 3-D model; and the split. */
export interface Prepared { unit: 'slice' | 'block'; n: number; d?: number; h: number; w: number; grid?: [number, number, number]; train: number[]; test: number[] }

/**
 * A target's cases as the lab's split editor needs them: slice count (or blocks and their grid), the cases with
 * foreground, the pool held-out cases come from (given slices, else those with foreground), a default split.
 */
export interface SplitInfo { unit: 'slice' | 'block'; n: number; grid?: [number, number, number]; foreground: number[]; pool: number[]; train: number[]; test: number[] }

/**
 * `backendInfo`: what the host started (e.g. {backend: 'wasm', webgpu: 'no adapter'}); `readVolume`: the host's reader
 * (readVolumeBrowser in the worker).
 */
export function createFinetuneApi(backendInfo: () => Promise<Record<string, unknown>>, readVolume?: (f: InputFile[]) => Promise<Volume>, now: () => number = () => performance.now()) {
  let run = 0;
  let busy = false;
  let prepared: SliceData | BlockData | null = null;
  return {
    backendInfo,
    /**
     * Reads the labelled volume, normalises it as the model expects and cuts it into slices, or into blocks of `block`
     * voxels for a 3-D model (kept for finetune()). Slices: training = `train` or the default rule, held out = neither
     * trained on nor adjacent, from `pool` or the slices with foreground. Blocks (blockData.ts): training = `train` or
     * defaultTrainBlocks, held out = foreground blocks sharing no face with a training block.
     */
    async prepare(image: InputFile[], label: InputFile[], normalization: Normalization, axis: Axis, train?: number[], pool?: number[], block?: [number, number, number]): Promise<{ ok: true; prepared: Prepared } | { ok: false; error: WorkerError }> {
      try {
        if (!readVolume) throw new TeError('unsupported', 'this worker has no volume reader');
        const [img, lab] = [await readVolume(image), await readVolume(label)];
        const x = normalizeVolume(img, normalization).data;
        if (block) {
          const b = blockData(x, lab, axis, block, img.size), fg = foregroundBlocks(b);
          prepared = b;
          const tr = train && train.length ? train : defaultTrainBlocks(fg);
          return { ok: true, prepared: { unit: 'block', n: b.n, d: b.d, h: b.h, w: b.w, grid: b.grid, train: tr, test: heldOutBlocks(b.grid, tr, fg) } };
        }
        const s = sliceData(x, lab, axis, img.size);
        prepared = s;
        const tr = train && train.length ? train : defaultTrainSlices(s);
        return { ok: true, prepared: { unit: 'slice', n: s.n, h: s.h, w: s.w, train: tr, test: testSlices(s, tr, pool) } };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /**
     * The slice count (or block grid, with `block`), the cases with foreground and the default split (`train` or the
     * default rule) of a label volume, without the image and without touching what prepare() kept: for the lab's
     * split editor.
     */
    async splitInfo(label: InputFile[], axis: Axis, train?: number[], pool?: number[], block?: [number, number, number]): Promise<{ ok: true; info: SplitInfo } | { ok: false; error: WorkerError }> {
      try {
        if (!readVolume) throw new TeError('unsupported', 'this worker has no volume reader');
        const vol = await readVolume(label);
        if (block) {
          const { n, grid, foreground } = labelBlockInfo(vol, axis, block);
          const tr = train && train.length ? train : defaultTrainBlocks(foreground);
          return { ok: true, info: { unit: 'block', n, grid, foreground, pool: foreground, train: tr, test: heldOutBlocks(grid, tr, foreground) } };
        }
        const { n, foreground } = labelSliceInfo(vol, axis);
        const tr = train && train.length ? train : defaultTrainOf(foreground);
        const from = pool ?? foreground;
        return { ok: true, info: { unit: 'slice', n, foreground, pool: from, train: tr, test: heldOutSlices(n, tr, from) } };
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
        if (!data) throw new TeError('invalid-input', 'no cases: call prepare() first or pass data');
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
          const risk = t.riskBefore && after ? compareRisk(t.riskBefore, after, data.labels, caseSize(data), t.numClasses) : undefined;
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
                caseUnit: isBlocks(data) ? 'block' : 'slice', ...(isBlocks(data) ? { block: [data.d, data.h, data.w], grid: data.grid } : {}), trainCases: job.train, testCases: job.test, scheme: o.scheme,
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
