// Inputs of `transferlens finetune` (issue 8 §5): the options (checked, each bad one named), the models (a file with
// its sidecar, a folder, or the demo bank) and the target (a labelled volume or a demo target), cut into slices.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TeError } from '../core/errors.ts';
import { checkGroupOverrides, type Scheme } from '../core/finetune/layerGroups.ts';
import { sliceData, type SliceData } from '../core/finetune/sliceData.ts';
import { blockData, type BlockData } from '../core/finetune/blockData.ts';
import { checkManifest } from '../core/model/manifest.ts';
import type { ModelManifest, Normalization, Volume } from '../core/types.ts';
import { normalizeVolume } from '../core/volume/normalize.ts';
import type { Axis } from '../core/volume/slices.ts';
import { readVolumeNode } from '../adapters/nodePorts.ts';
import { parseArgs, single, type ParsedArgs } from './args.ts';
import { DEMO_DIR } from './demoBank.ts';

export const SCHEMES: Scheme[] = ['constant', 'last-layer', 'layer-wise', 'bi-directional', 'metalr-paper', 'metalr-official'];
const FLAGS = ['demo', 'risk-weighted', 'all-models', 'quiet'];
const OPTIONS = ['model', 'models', 'images', 'labels', 'case-unit', 'train-cases', 'scheme', 'optimizer', 'lr', 'loss', 'iterations',
  'batch', 'seed', 'seeds', 'out', 'target', 'model-id', 'time-budget', 'axis', 'backend', 'top-k', 'frozen', 'eta', 'lr-max', 'export-onnx', 'groups', 'block'];

export interface FinetuneSpec {
  scheme: Scheme; optimizer?: 'adam' | 'sgd'; lr?: number; loss: 'ce' | 'ce-dice'; riskWeighted: boolean;
  iterations: number; batch: number; seed: number; seeds: number; timeBudget: number; backend: 'wasm' | 'cpu';
  topK?: number; frozen?: [number, number]; eta?: number; lrMax?: number;
  /** --groups FILE.json: parameter name → layer group name, over the parameter-name prefixes (checked per model). */
  groupOverrides?: Record<string, string>; groupsFile?: string;
  /** Write the fine-tuned model there (and its sidecar manifest, .onnx → .json); one model only. */
  exportOnnx?: string;
  /** --case-unit: slices for a 2-D model, blocks for a 3-D one (undefined: by the model's dim). */
  caseUnit?: 'slice' | 'block';
  /** --block d[,h,w]: a 3-D model's case, voxels along the slice axis, rows, columns (default: 2 × input_multiple each). */
  block?: [number, number, number];
}

export interface FtModel { id: string; file: string; manifest: ModelManifest; bytes: Uint8Array }

export interface FtTarget {
  id: string; images: string; labels: string; axis: Axis; image: Volume; label: Volume;
  /** Demo targets: their normalisation (the bank fine-tunes every model on it), train and task slices. */
  normalization?: Normalization; train?: number[]; pool?: number[];
}

function num(p: ParsedArgs, name: string, def: number | undefined, check: (v: number) => boolean, what: string): number | undefined {
  const s = single(p, name);
  if (s === undefined) return def;
  const v = Number(s);
  if (!(s.trim() !== '' && Number.isFinite(v) && check(v))) throw new TeError('invalid-input', `--${name} ${s}: must be ${what}`);
  return v;
}
const posInt = (v: number) => Number.isInteger(v) && v >= 1;

function oneOf<T extends string>(p: ParsedArgs, name: string, allowed: readonly T[], def: T | undefined): T | undefined {
  const s = single(p, name);
  if (s === undefined) return def;
  if (!allowed.includes(s as T)) throw new TeError('invalid-input', `--${name} ${s}: must be one of ${allowed.join(', ')}`);
  return s as T;
}

export function parseFinetuneArgs(argv: string[]): { p: ParsedArgs; spec: FinetuneSpec } {
  const p = parseArgs(argv, FLAGS);
  const unknown = Object.keys(p.options).filter((k) => !OPTIONS.includes(k));
  if (unknown.length) throw new TeError('invalid-input', `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `--${k}`).join(', ')} (see transferlens --help)`);
  if (p.positional.length) throw new TeError('invalid-input', `unexpected argument "${p.positional[0]}" (options are --name value)`);
  const blockText = single(p, 'block'), block = blockText?.split(',').map((s) => Number(s.trim()));
  if (block && !((block.length === 1 || block.length === 3) && block.every(posInt))) throw new TeError('invalid-input', `--block ${blockText}: must be one edge or d,h,w in voxels (positive integers)`);
  const frozen = single(p, 'frozen')?.split(',').map(Number);
  if (frozen && (frozen.length !== 2 || !frozen.every(Number.isInteger))) throw new TeError('invalid-input', `--frozen ${single(p, 'frozen')}: must be two group indices m,n`);
  const spec: FinetuneSpec = {
    scheme: oneOf(p, 'scheme', SCHEMES, 'constant')!,
    optimizer: oneOf(p, 'optimizer', ['adam', 'sgd'] as const, undefined),
    lr: num(p, 'lr', undefined, (v) => v > 0, 'a positive number'),
    loss: oneOf(p, 'loss', ['ce', 'ce-dice'] as const, 'ce')!,
    riskWeighted: p.flags.has('risk-weighted'),
    iterations: num(p, 'iterations', 100, posInt, 'a positive integer')!,
    batch: num(p, 'batch', 8, posInt, 'a positive integer')!,
    seed: num(p, 'seed', 0, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer')!,
    seeds: num(p, 'seeds', 3, posInt, 'a positive integer')!,
    timeBudget: num(p, 'time-budget', Infinity, (v) => v > 0, 'a positive number of seconds')!,
    backend: oneOf(p, 'backend', ['wasm', 'cpu'] as const, 'wasm')!,
    topK: num(p, 'top-k', undefined, posInt, 'a positive integer'),
    frozen: frozen as [number, number] | undefined,
    eta: num(p, 'eta', undefined, (v) => v > 0, 'a positive number'),
    lrMax: num(p, 'lr-max', undefined, (v) => v > 1e-6, 'a number above 1e-6'),
    exportOnnx: single(p, 'export-onnx'),
    caseUnit: oneOf(p, 'case-unit', ['slice', 'block'] as const, undefined),
    block: block && (block.length === 1 ? [block[0], block[0], block[0]] : block as [number, number, number]),
    ...readGroups(single(p, 'groups')),
  };
  if (spec.exportOnnx !== undefined) {
    if (!/\.onnx$/i.test(spec.exportOnnx)) throw new TeError('invalid-input', `--export-onnx ${spec.exportOnnx}: must name an .onnx file (its manifest goes next to it as .json)`);
    if (p.flags.has('all-models')) throw new TeError('invalid-input', '--export-onnx writes one fine-tuned model: not with --all-models');
    const sidecar = spec.exportOnnx.replace(/\.onnx$/i, '.json');
    if (single(p, 'out') !== undefined && resolve(single(p, 'out')!) === resolve(sidecar)) throw new TeError('invalid-input', `--out ${single(p, 'out')} is where --export-onnx writes the model's manifest; choose another --out`);
  }
  return { p, spec };
}

/** --groups FILE.json: a JSON object {"parameter name": "group name"} (its parameters are checked against each model later). */
function readGroups(file: string | undefined): Pick<FinetuneSpec, 'groupOverrides' | 'groupsFile'> {
  if (file === undefined) return {};
  if (!existsSync(file)) throw new TeError('invalid-input', `--groups ${file}: no such file`);
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TeError('invalid-input', `--groups ${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const what = `--groups ${file}`;
  checkGroupOverrides(j, Object.keys(j ?? {}), what); // shape and names only here
  return { groupOverrides: j as Record<string, string>, groupsFile: file };
}

function modelFromFile(f: string): FtModel {
  if (!existsSync(f)) throw new TeError('invalid-input', `--model ${f}: no such file`);
  if (!/\.onnx$/i.test(f)) throw new TeError('invalid-input', `--model ${f}: not an .onnx file`);
  const sidecar = f.replace(/\.onnx$/i, '.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(sidecar, 'utf8'));
  } catch {
    throw new TeError('invalid-input', `${f}: no readable sidecar manifest ${basename(sidecar)} (derive one with "transferlens inspect ${basename(f)} --out ${basename(sidecar)}")`);
  }
  checkManifest(manifest, sidecar);
  const m = manifest as ModelManifest;
  return { id: m.id ?? basename(f, '.onnx'), file: f, manifest: m, bytes: new Uint8Array(readFileSync(f)) };
}

/**
 * The models: --model FILE (one), --models FILE|DIR… (--all-models), or the demo bank's 2-D models (--model-id one;
 * with --all-models, --model-id a,b picks a subset).
 */
export function loadModels(p: ParsedArgs): FtModel[] {
  const all = p.flags.has('all-models');
  if (p.flags.has('demo')) {
    const dir = join(DEMO_DIR, 'models');
    if (!existsSync(dir)) throw new TeError('invalid-input', `${dir}: the demo bank is missing (see tools/bank/README.md)`);
    const ids = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort().map((f) => f.replace(/\.json$/, ''));
    const want = (p.options['model-id'] ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
    if (!all && want.length !== 1) throw new TeError('invalid-input', `--demo needs one --model-id ID (one of ${ids.join(', ')}) or --all-models`);
    const unknown = want.filter((id) => !ids.includes(id));
    if (unknown.length) throw new TeError('invalid-input', `--model-id ${unknown.join(', ')}: no such demo model (have ${ids.join(', ')})`);
    const models = (want.length ? want : ids).map((id) => modelFromFile(join(dir, `${id}.onnx`)));
    return want.length === 1 && !all ? models : models.filter((m) => m.manifest.dim === 2);
  }
  const paths = [...(p.options.model ?? []), ...(p.options.models ?? [])];
  if (paths.length === 0) throw new TeError('invalid-input', '--model M.onnx (with its sidecar M.json) is required, or --demo --model-id ID');
  if (!all && paths.length > 1) throw new TeError('invalid-input', `one --model at a time (got ${paths.length}); use --all-models for several`);
  const files = paths.flatMap((f) => (existsSync(f) && statSync(f).isDirectory() ? readdirSync(f).filter((x) => x.endsWith('.onnx')).sort().map((x) => join(f, x)) : [f]));
  return files.map(modelFromFile);
}

async function readVol(flag: string, file: string): Promise<Volume> {
  if (!existsSync(file)) throw new TeError('invalid-input', `--${flag} ${file}: no such file`);
  return readVolumeNode([{ name: file, bytes: new Uint8Array(readFileSync(file)) }]);
}

/** The target: --images/--labels (one volume each, --axis, default 2) or --demo --target ID. */
export async function loadTarget(p: ParsedArgs): Promise<FtTarget> {
  if (p.flags.has('demo')) {
    const tdir = join(DEMO_DIR, 'targets');
    const ids = readdirSync(tdir).filter((t) => existsSync(join(tdir, t, 'target.json'))).sort();
    const id = single(p, 'target');
    if (!id || !ids.includes(id)) throw new TeError('invalid-input', `--demo needs --target ID (one of ${ids.join(', ')}${id ? `; got ${id}` : ''})`);
    const j = JSON.parse(readFileSync(join(tdir, id, 'target.json'), 'utf8'));
    const images = join(tdir, id, j.image_file ?? 'image.nii.gz'), labels = join(tdir, id, j.label_file ?? 'label.nii.gz');
    return { id, images, labels, axis: j.slice_axis as Axis, image: await readVol('images', images), label: await readVol('labels', labels),
      normalization: j.normalization as Normalization, train: j.train_slices as number[], pool: j.task_slices as number[] };
  }
  const images = p.options.images ?? [], labels = p.options.labels ?? [];
  if (images.length !== 1 || labels.length !== 1) throw new TeError('invalid-input', '--images and --labels take one volume each (the cases are its slices)');
  const axis = num(p, 'axis', 2, (v) => v === 0 || v === 1 || v === 2, '0, 1 or 2') as Axis;
  return { id: basename(images[0]).replace(/\.(nii(\.gz)?|nrrd|mha|mhd)$/i, ''), images: images[0], labels: labels[0], axis,
    image: await readVol('images', images[0]), label: await readVol('labels', labels[0]) };
}

/** A target's cases for one model: its slices (2-D model) or its blocks (3-D model). */
export type CaseData = { unit: 'slice'; data: SliceData } | { unit: 'block'; data: BlockData };

/**
 * The target's cases normalised as `model` expects (a demo target's own normalisation first), cached per kind:
 * slices for a 2-D model, blocks of `spec.block` (default 2 × input_multiple per axis) for a 3-D one.
 */
export function dataFor(t: FtTarget, model: FtModel, cache: Map<string, CaseData>, spec: Pick<FinetuneSpec, 'caseUnit' | 'block'> = {}): { cases: CaseData; normalization: Normalization } {
  const m = model.manifest;
  if ((m.dim !== 2 && m.dim !== 3) || m.in_channels !== 1) throw new TeError('unsupported', `${model.id}: fine-tuning takes 2-D or 3-D single-channel models (this one is ${m.dim}-D with ${m.in_channels} channels)`);
  const unit = m.dim === 3 ? 'block' : 'slice', mult = m.input_multiple ?? 1;
  if (spec.caseUnit && spec.caseUnit !== unit) throw new TeError('unsupported', `${model.id}: a ${m.dim}-D model takes ${unit}s as cases (--case-unit ${unit}), not ${spec.caseUnit}s`);
  const kind = t.normalization ?? m.normalization;
  const block = spec.block ?? [2 * mult, 2 * mult, 2 * mult];
  const key = unit === 'slice' ? `slice|${kind}` : `block|${kind}|${block.join(',')}`;
  let c = cache.get(key);
  if (!c) {
    const x = normalizeVolume(t.image, kind).data;
    c = unit === 'slice' ? { unit, data: sliceData(x, t.label, t.axis, t.image.size) } : { unit, data: blockData(x, t.label, t.axis, block, t.image.size) };
    cache.set(key, c);
  }
  const d = c.data;
  if (c.unit === 'slice' && (d.h % mult || d.w % mult)) throw new TeError('unsupported', `${model.id}: slices of ${d.h}×${d.w} are not multiples of the model's input_multiple ${mult}; crop or pad the volume`);
  if (c.unit === 'block' && [c.data.d, d.h, d.w].some((v) => v % mult)) throw new TeError('unsupported', `${model.id}: blocks of ${c.data.d}×${d.h}×${d.w} are not multiples of the model's input_multiple ${mult} (--block)`);
  return { cases: c, normalization: kind };
}
