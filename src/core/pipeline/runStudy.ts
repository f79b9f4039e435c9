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
import { makeCases2D } from './cases.ts';
import { defaultCaps, extractFeatures2D } from './extract2d.ts';
import { scoreModel } from './scoreModel.ts';
import { buildModelReport, rankModels } from './modelReport.ts';
import { correlateWithDice, type DiceTable } from './correlate.ts';
import { checkManifest } from '../model/manifest.ts';
import type { StudyReport } from './report.ts';

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
}

export async function runStudy(spec: StudySpec, ports: Ports, opts: RunOptions = {}): Promise<StudyReport> {
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
  let cases: ReturnType<typeof makeCases2D> = [];
  for (let mi = 0; mi < spec.models.length; mi++) {
    if (opts.signal?.aborted) throw new TeError('cancelled', 'the study was cancelled');
    const { manifest, file } = spec.models[mi];
    const started = ports.now();
    checkManifest(manifest, file.name);
    if (manifest.dim !== 2) throw new TeError('unsupported', `${file.name}: 3-D models are run by sliding window, which this study path does not support yet`);
    if (!normalized.has(manifest.normalization)) normalized.set(manifest.normalization, normalizeVolume(image, manifest.normalization).data);
    cases = makeCases2D(normalized.get(manifest.normalization)!, label, { unit: spec.caseUnit, axis: t.axis, slabSize: spec.slabSize, sliceIndices: t.sliceIndices }, (m) => mi === 0 && warn({ code: 'too-few-samples', message: m }));
    if (cases.length < 2) throw new TeError('too-few-cases', `${t.id}: CC-FV compares cases pairwise and needs at least 2 cases with foreground; got ${cases.length}`);
    const session = await ports.createSession(file);
    try {
      const modelCaps = spec.caps ?? defaultCaps(manifest);
      caps[manifest.id] = modelCaps;
      const feats = await extractFeatures2D(session, manifest, cases, { ...opts, numClasses: t.classNames.length, caps: modelCaps, mode: spec.sampling, rng: createRng(spec.seed) });
      opts.onEvent?.({ type: 'progress', stage: 'scoring', done: mi, total: spec.models.length, model: manifest.id });
      const scores = scoreModel(feats, t.classNames.length, { seed: spec.seed, resamples: spec.bootstrapResamples, estimators: spec.estimators }, warn);
      const sha = await ports.sha256(file.bytes);
      if (manifest.sha256 && manifest.sha256 !== sha) warn({ code: 'invalid-input', message: `${file.name}: sha256 ${sha.slice(0, 12)}… differs from its manifest's ${manifest.sha256.slice(0, 12)}…` });
      models.push(buildModelReport(manifest, feats, scores, { sha256: sha, provider: session.provider, seconds: (ports.now() - started) / 1000, embeddingPoints: spec.embeddingPoints, seed: spec.seed }));
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
    cases: cases.map((c) => ({ id: c.id, slices: c.sliceIndices })),
    models,
    warnings,
  };
  if (spec.dice) Object.assign(study, correlateWithDice(models, spec.dice, { seed: spec.seed, resamples: Math.max(spec.bootstrapResamples, 200) }, warn));
  return study;
}
