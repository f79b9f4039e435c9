// The workbench's tools worker API (issue 5 items 1, 6) as a plain object, testable in Node: validates dropped
// files on arrival (models against their graph, volumes and label grids), proposes manifests, computes risk maps
// and the validation table of a finished study against fine-tuned Dice.
import { TeError } from '../core/errors.ts';
import type { InputFile, Ports } from '../core/ports.ts';
import type { ModelManifest, Volume } from '../core/types.ts';
import { checkManifest } from '../core/model/manifest.ts';
import { readOnnxGraph } from '../core/model/onnxGraph.ts';
import { inspectModel } from '../core/model/inspectModel.ts';
import { checkSameGrid } from '../core/volume/checkGrid.ts';
import { normalizeVolume } from '../core/volume/normalize.ts';
import { computeRiskMaps, riskVolume } from '../core/pipeline/riskMaps.ts';
import { writeNiftiFloat32 } from '../core/volume/writeNifti.ts';
import type { Axis } from '../core/volume/slices.ts';
import type { StudyReport } from '../core/pipeline/report.ts';
import type { DiceTable } from '../core/pipeline/correlate.ts';
import type { ValidateOptions } from '../core/validation/harness.ts';
import { studyValidationTable, type StudyValidationTable } from '../core/validation/studyTable.ts';
import { toWorkerError, type WorkerError } from './analysis.worker-api.ts';

export type Checked<T> = ({ ok: true } & T) | { ok: false; error: WorkerError };

export interface Geometry { name: string; size: number[]; spacing: number[]; origin: number[]; dataType: string }

export interface TargetCheck {
  image: Geometry;
  label?: Geometry;
  /** Distinct label values found (sorted). */
  labelValues?: number[];
  /** Slices with foreground along each axis. */
  foregroundSlices?: [number[], number[], number[]];
  problems: string[];
}

const geometry = (v: Volume): Geometry => ({ name: v.name, size: [...v.size], spacing: [...v.spacing], origin: [...v.origin], dataType: v.data.constructor.name });

function foregroundSlices(label: Volume): [number[], number[], number[]] {
  const [nx, ny, nz] = label.size;
  const has: [Uint8Array, Uint8Array, Uint8Array] = [new Uint8Array(nx), new Uint8Array(ny), new Uint8Array(nz)];
  for (let k = 0, p = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, p++) {
    if (label.data[p] > 0) { has[0][i] = 1; has[1][j] = 1; has[2][k] = 1; }
  }
  const list = (a: Uint8Array) => Array.from(a.keys()).filter((i) => a[i]);
  return [list(has[0]), list(has[1]), list(has[2])];
}

function labelValues(label: Volume, problems: string[]): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < label.data.length; i++) {
    const v = label.data[i];
    if (!seen.has(v)) {
      if (!Number.isInteger(v) || v < 0) { problems.push(`${label.name}: label value ${v} is not a non-negative integer class index`); break; }
      seen.add(v);
      if (seen.size > 256) { problems.push(`${label.name}: more than 256 distinct values: this looks like an image, not a label map`); break; }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/** 1 on label voxels with an in-plane 4-neighbour (plane ⟂ `axis`) of another label, else 0: the label as an outline. */
export function labelOutline(label: Volume, axis: Axis): Float32Array {
  const [nx, ny, nz] = label.size;
  const stride = [1, nx, nx * ny];
  const n = [nx, ny, nz];
  const inPlane = [0, 1, 2].filter((a) => a !== axis);
  const out = new Float32Array(label.data.length);
  for (let k = 0, p = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, p++) {
    const v = label.data[p];
    if (v <= 0) continue;
    const idx = [i, j, k];
    for (const a of inPlane) {
      if ((idx[a] > 0 && label.data[p - stride[a]] !== v) || (idx[a] < n[a] - 1 && label.data[p + stride[a]] !== v) || idx[a] === 0 || idx[a] === n[a] - 1) { out[p] = 1; break; }
    }
  }
  return out;
}

/**
 * The risk-map view keeps the worker responsive: at most MAX_RISK_VALUES pixels (16 slices of 128²), evenly
 * spaced slices from the list, the middle one always included. (computeRiskMaps itself has no limit.)
 */
export const MAX_RISK_VALUES = 262_144;

export function riskSlices(slices: number[], plane: number, max = MAX_RISK_VALUES): number[] {
  const k = Math.max(1, Math.min(slices.length, Math.floor(max / Math.max(1, plane))));
  if (k >= slices.length) return slices;
  if (k === 1) return [slices[Math.floor(slices.length / 2)]];
  return Array.from({ length: k }, (_, i) => slices[Math.round((i * (slices.length - 1)) / (k - 1))]);
}

export function createToolsApi(ports: Pick<Ports, 'readVolume' | 'createSession'>) {
  return {
    /** Reads an image (and its label) and reports geometry, label values and per-axis foreground slices. */
    async checkTarget(image: InputFile[], label?: InputFile[]): Promise<Checked<TargetCheck>> {
      try {
        const img = await ports.readVolume(image);
        const problems: string[] = [];
        if (!label) return { ok: true, image: geometry(img), problems: [`${img.name}: no label volume next to it (name it like <image>_label.nii.gz)`] };
        const lab = await ports.readVolume(label);
        try { checkSameGrid(img, lab); } catch (e) { problems.push((e as Error).message); }
        const values = labelValues(lab, problems);
        const fg = foregroundSlices(lab);
        if (values.length < 2) problems.push(`${lab.name}: a single label value (${values.join(', ')}): estimators need at least two classes`);
        return { ok: true, image: geometry(img), label: geometry(lab), labelValues: values, foregroundSlices: fg, problems };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /** Checks a model file against its manifest: the graph parses and names the input, logits and feature outputs. */
    async checkModel(file: InputFile, manifest: unknown): Promise<Checked<{ problems: string[]; opset: number }>> {
      try {
        checkManifest(manifest, file.name);
        const g = readOnnxGraph(file.bytes, file.name);
        const produced = new Set(g.nodes.flatMap((n) => n.outputs));
        g.outputs.forEach((o) => produced.add(o.name));
        const problems: string[] = [];
        if (!g.inputs.some((i) => i.name === manifest.input_name)) problems.push(`${file.name}: the graph has no input "${manifest.input_name}" (inputs: ${g.inputs.map((i) => i.name).join(', ')})`);
        if (!produced.has(manifest.logits_name)) problems.push(`${file.name}: the graph produces no tensor "${manifest.logits_name}" (logits_name)`);
        for (const f of manifest.features) if (!produced.has(f.name)) problems.push(`${file.name}: the graph produces no feature tensor "${f.name}"`);
        return { ok: true, problems, opset: g.opset };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /** Proposes a manifest for a model without a sidecar (inspectModel); the user confirms it. */
    async inspect(file: InputFile): Promise<Checked<{ proposed: ModelManifest; notes: string[] }>> {
      try {
        const r = await inspectModel(file, ports);
        return { ok: true, proposed: r.proposed, notes: r.notes };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /**
     * The workbench's validation table of a study against its fine-tuned Dice: the CLI's `validate` path for
     * one target (core studyValidationTable; 200 seed × case bootstrap resamples by default). null: < 3 models with Dice.
     */
    async validate(study: StudyReport, dice: DiceTable, opts: ValidateOptions = {}): Promise<Checked<{ table: StudyValidationTable | null }>> {
      try {
        return { ok: true, table: studyValidationTable(study, dice, opts) };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    /** Transfer-risk maps of one model on the target's slices, placed back on the label's grid (for display/export). */
    async riskMap(image: InputFile[], label: InputFile[], model: InputFile, manifest: ModelManifest, axis: Axis, slices: number[]) {
      try {
        if (manifest.dim !== 2) throw new TeError('unsupported', `${model.name}: risk maps are computed for 2-D models in this version`);
        const img = await ports.readVolume(image);
        const lab = await ports.readVolume(label);
        checkSameGrid(img, lab);
        const norm = normalizeVolume(img, manifest.normalization).data;
        const session = await ports.createSession(model);
        try {
          const plane = lab.size.filter((_, a) => a !== axis).reduce((x, y) => x * y, 1);
          const r = await computeRiskMaps(session, manifest, norm, lab, axis, riskSlices(slices, plane));
          const volume = riskVolume(r, lab);
          const riskNifti = writeNiftiFloat32(volume, lab, `TransferLens risk ${manifest.id}`);
          const outlineNifti = writeNiftiFloat32(labelOutline(lab, axis), lab, 'label outline');
          return { ok: true as const, riskNifti, outlineNifti, meanRiskPerClass: r.meanRiskPerClass, pixelLeep: r.pixelLeep, slices: r.slices, provider: session.provider };
        } finally {
          await session.release();
        }
      } catch (err) {
        return { ok: false as const, error: toWorkerError(err) };
      }
    },
  };
}

export type ToolsApi = ReturnType<typeof createToolsApi>;
