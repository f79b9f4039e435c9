// runStudy: a target (image + label volume) and a bank of models in, one study report out (issue 4 §6).
// The same function runs in the browser worker and in the Node CLI; hosts differ only in their Ports.
import { TeError, type TeWarning } from '../errors.ts';
import type { RunOptions } from '../events.ts';
import type { InputFile, Ports } from '../ports.ts';
import type { CaseUnit, ModelManifest, Normalization, SamplingMode } from '../types.ts';
import { checkSameGrid, countLabels } from '../volume/checkGrid.ts';
import { normalizeVolume } from '../volume/normalize.ts';
import type { Axis } from '../volume/slices.ts';
import { createRng } from '../sampling/rng.ts';
import { makeCases2D, makeCases3D } from './cases.ts';
import { extractFeatures3D, type WindowStats } from './extract3d.ts';
import { defaultCaps, extractFeatures2D, type ModelFeatures } from './extract2d.ts';
import { scoreModel } from './scoreModel.ts';
import { buildModelReport, rankModels } from './modelReport.ts';
import { correlateWithDice, type DiceTable } from './correlate.ts';
import { checkManifest } from '../model/manifest.ts';
import type { StudyReport } from './report.ts';
import { diceCeiling, recommend } from './recommend.ts';

export interface StudyTarget {
  id: string;
  name?: string;
  image: InputFile[];
  label: InputFile[];
  classNames: string[];
  axis: Axis;
  /** Labelled slices to use as cases (default: every slice with foreground). */
  sliceIndices?: number[];
}

export interface StudyModel {
  manifest: ModelManifest;
  file: InputFile;
}

export interface StudySpec {
  target: StudyTarget;
  models: StudyModel[];
  seed: number;
  caseUnit: CaseUnit;
  slabSize?: number;
  sampling: SamplingMode;
  /** Per-class caps by layer name (default: 400 / stride, at least 50). */
  caps?: Record<string, number>;
  bootstrapResamples: number;
  embeddingPoints: number;
  estimators?: string[];
  dice?: DiceTable;
  /** Sliding-window roi (D, H, W) for 3-D models (MONAI's roiSize); default 64³. */
  roiSize?: number[];
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a }, (_, i) => a + i);
}

export interface StudyRunOptions extends RunOptions {
  /** Sees each model's sampled features once extracted (the benchmarks time per-feature work on the real ones). */
  onFeatures?: (modelId: string, features: ModelFeatures) => void;
}

export async function runStudy(spec: StudySpec, ports: Ports, opts: StudyRunOptions = {}): Promise<StudyReport> {
  const warnings: TeWarning[] = [];
  const warn = (w: TeWarning) => {
    warnings.push(w);
    opts.onEvent?.({ type: 'warning', warning: w });
  };
  const t = spec.target;
  const image = await ports.readVolume(t.image);
  const label = await ports.readVolume(t.label);
  checkSameGrid(image, label);
  const counts = countLabels(label, t.classNames.length, t.classNames);
  counts.forEach((c, k) => { if (c === 0) warn({ code: 'too-few-samples', message: `${label.name}: class ${k} (${t.classNames[k]}) has no voxel` }); });
  const normalized = new Map<Normalization, Float32Array>();
  const models = [];
  const caps: Record<string, Record<string, number>> = {};
  let caseList: { id: string; slices: number[] }[] = [];
  for (let mi = 0; mi < spec.models.length; mi++) {
    if (opts.signal?.aborted) throw new TeError('cancelled', 'the study was cancelled');
    const { manifest, file } = spec.models[mi];
    const started = ports.now();
    checkManifest(manifest, file.name);
    if (manifest.dim === 3 && label.size.filter((n) => n > 1).length < 3) {
      throw new TeError('unsupported', `${file.name}: a 3-D model needs a 3-D volume; ${image.name} is ${image.size.join('×')} (2-D data)`, { file: file.name });
    }
    if (!normalized.has(manifest.normalization)) normalized.set(manifest.normalization, normalizeVolume(image, manifest.normalization).data);
    const norm = normalized.get(manifest.normalization)!;
    const caseOpts = { unit: spec.caseUnit, axis: t.axis, slabSize: spec.slabSize, sliceIndices: t.sliceIndices };
    const caseWarn = (m: string) => mi === 0 && warn({ code: 'too-few-samples', message: m });
    const cases2d = manifest.dim === 2 ? makeCases2D(norm, label, caseOpts, caseWarn) : [];
    const cases3d = manifest.dim === 3 ? makeCases3D(label, { ...caseOpts, sliceIndices: spec.caseUnit === 'slice' ? t.sliceIndices : undefined }, caseWarn) : [];
    const nCases = manifest.dim === 2 ? cases2d.length : cases3d.length;
    if (nCases < 2) throw new TeError('too-few-cases', `${t.id}: CC-FV compares cases pairwise and needs at least 2 cases with foreground; got ${nCases}`);
    caseList = manifest.dim === 2 ? cases2d.map((c) => ({ id: c.id, slices: c.sliceIndices })) : cases3d.map((c) => ({ id: c.id, slices: range(c.z0, c.z1) }));
    const session = await ports.createSession(file);
    try {
      const modelCaps = spec.caps ?? defaultCaps(manifest);
      caps[manifest.id] = modelCaps;
      const xo = { ...opts, numClasses: t.classNames.length, caps: modelCaps, mode: spec.sampling, rng: createRng(spec.seed) };
      const feats: ModelFeatures & Partial<WindowStats> = manifest.dim === 2 ? await extractFeatures2D(session, manifest, cases2d, xo)
        : await extractFeatures3D(session, manifest, norm, label, cases3d, { ...xo, roiSize: spec.roiSize });
      opts.onFeatures?.(manifest.id, feats);
      opts.onEvent?.({ type: 'progress', stage: 'scoring', done: mi, total: spec.models.length, model: manifest.id });
      const scores = scoreModel(feats, t.classNames.length, { seed: spec.seed, resamples: spec.bootstrapResamples, estimators: spec.estimators }, warn);
      const sha = await ports.sha256(file.bytes);
      if (manifest.sha256 && manifest.sha256 !== sha) warn({ code: 'invalid-input', message: `${file.name}: sha256 ${sha.slice(0, 12)}… differs from its manifest's ${manifest.sha256.slice(0, 12)}…` });
      const entry = buildModelReport(manifest, feats, scores, { sha256: sha, provider: session.provider, seconds: (ports.now() - started) / 1000, embeddingPoints: spec.embeddingPoints, seed: spec.seed });
      if (feats.windowsRun !== undefined) entry.windows = { run: feats.windowsRun, full_pass_overlap_0_5: feats.windowsFullPass! };
      models.push(entry);
    } finally {
      await session.release();
    }
    opts.onEvent?.({ type: 'model-scored', model: manifest.id });
    opts.onEvent?.({ type: 'progress', stage: 'models', done: mi + 1, total: spec.models.length, model: manifest.id });
  }
  rankModels(models);
  const study: StudyReport = {
    target: t.id,
    target_name: t.name ?? t.id,
    spec: { seed: spec.seed, case_unit: spec.caseUnit, axis: t.axis, slab_size: spec.slabSize, sampling: spec.sampling, caps, bootstrap_resamples: spec.bootstrapResamples, estimators: Object.keys(models[0]?.scores ?? {}) },
    classes: t.classNames,
    cases: caseList,
    models,
    warnings,
  };
  if (spec.dice) Object.assign(study, correlateWithDice(models, spec.dice, { seed: spec.seed, resamples: Math.max(spec.bootstrapResamples, 200) }, warn));
  study.recommendation = recommend(study, diceCeiling(models, spec.dice));
  return study;
}
