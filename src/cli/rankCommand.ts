// `transferlens rank`: runs runStudy with the Node ports on the user's files or on the bundled demo bank and
// writes the report (stdout or --out); progress and warnings go to stderr.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TeError } from '../core/errors.ts';
import type { PipelineEvent } from '../core/events.ts';
import { checkManifest } from '../core/model/manifest.ts';
import { runStudy, type StudyModel, type StudySpec, type StudyTarget } from '../core/pipeline/runStudy.ts';
import { REPORT_SCHEMA, REPORT_VERSION, type Report } from '../core/pipeline/report.ts';
import type { DiceTable } from '../core/pipeline/correlate.ts';
import { parseDiceTables } from '../core/pipeline/diceTable.ts';
import type { CaseUnit, SamplingMode } from '../core/types.ts';
import type { Axis } from '../core/volume/slices.ts';
import { nodePorts } from '../adapters/nodePorts.ts';
import { parseArgs, single } from './args.ts';
import { demoModels, demoTargets } from './demoBank.ts';

export async function runRank(argv: string[]): Promise<number> {
  const p = parseArgs(argv, ['demo', 'quiet', 'with-3d']);
  const common = {
    seed: Number(single(p, 'seed') ?? 0),
    caseUnit: (single(p, 'case-unit') ?? 'slice') as CaseUnit,
    slabSize: Number(single(p, 'slab-size') ?? 4),
    sampling: (single(p, 'sampling') ?? 'official') as SamplingMode,
    bootstrapResamples: Number(single(p, 'resamples') ?? 200),
    embeddingPoints: Number(single(p, 'embedding-points') ?? 2000),
    roiSize: single(p, 'roi-size')?.split(',').map(Number),
  };
  if (!['volume', 'slice', 'slab'].includes(common.caseUnit)) throw new TeError('invalid-input', `--case-unit must be volume, slice or slab (got ${common.caseUnit})`);
  if (!['official', 'proportional'].includes(common.sampling)) throw new TeError('invalid-input', `--sampling must be official or proportional (got ${common.sampling})`);
  const diceFile = single(p, 'dice');
  const userDice = diceFile ? readDice(diceFile) : undefined;
  let jobs: { target: StudyTarget; models: StudyModel[]; dice?: DiceTable }[];
  if (p.flags.has('demo')) {
    const models = demoModels(undefined, { include3d: p.flags.has('with-3d') });
    const only = single(p, 'target');
    const targets = demoTargets().filter((t) => !only || t.id === only);
    if (targets.length === 0) throw new TeError('invalid-input', `--target ${only}: no such demo target (have ${demoTargets().map((t) => t.id).join(', ')})`);
    jobs = targets.map((t) => ({ target: t, models, dice: userDice ?? t.dice }));
  } else {
    jobs = [{ target: userTarget(p), models: userModels(p.options.models ?? []), dice: userDice }];
  }
  const ports = nodePorts();
  const report: Report = {
    schema: REPORT_SCHEMA, version: REPORT_VERSION, created: new Date().toISOString(),
    tool: { name: 'transferlens', version: '0.1.0', runtime: `node ${process.version}, onnxruntime-node` }, studies: [],
  };
  const quiet = p.flags.has('quiet');
  for (const job of jobs) {
    const spec: StudySpec = { ...common, target: job.target, models: job.models, dice: job.dice };
    if (!quiet) process.stderr.write(`transferlens: ${job.target.id}: ${job.models.length} models\n`);
    const study = await runStudy(spec, ports, { onEvent: quiet ? undefined : progressPrinter(job.target.id) });
    if (!quiet && study.recommendation) process.stderr.write(`transferlens: ${job.target.id}: recommendation (${study.recommendation.estimator}): ${study.recommendation.sentence}\n`);
    report.studies.push(study);
  }
  const text = JSON.stringify(report) + '\n';
  const out = single(p, 'out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}

function progressPrinter(target: string): (e: PipelineEvent) => void {
  return (e) => {
    if (e.type === 'warning') process.stderr.write(`transferlens: warning: ${e.warning.message}\n`);
    else if (e.type === 'model-scored') process.stderr.write(`transferlens: ${target}: scored ${e.model}\n`);
  };
}

function userTarget(p: ReturnType<typeof parseArgs>): StudyTarget {
  const images = p.options.images ?? [], labels = p.options.labels ?? [];
  if (images.length !== 1 || labels.length !== 1) throw new TeError('invalid-input', '--images and --labels take one volume each in this version (cases are its slices or slabs)');
  const classes = (single(p, 'classes') ?? 'background,foreground').split(',');
  const slices = single(p, 'slices');
  return {
    id: single(p, 'target') ?? basename(images[0]).replace(/\.(nii(\.gz)?|nrrd|mha|mhd)$/i, ''),
    image: [{ name: images[0], bytes: readFileSync(images[0]) }],
    label: [{ name: labels[0], bytes: readFileSync(labels[0]) }],
    classNames: classes,
    axis: Number(single(p, 'axis') ?? 2) as Axis,
    sliceIndices: slices ? slices.split(',').map(Number) : undefined,
  };
}

function userModels(paths: string[]): StudyModel[] {
  if (paths.length === 0) throw new TeError('invalid-input', '--models needs ONNX files (with <name>.json sidecars) or a folder of them');
  const files = paths.flatMap((p) => (statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith('.onnx')).map((f) => join(p, f)) : [p]));
  return files.map((f) => {
    const sidecar = f.replace(/\.onnx$/i, '.json');
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(sidecar, 'utf8'));
    } catch {
      throw new TeError('invalid-input', `${f}: no readable sidecar manifest ${basename(sidecar)} (derive one with "transferlens inspect ${basename(f)} --out ${basename(sidecar)}", check it, and run again)`);
    }
    checkManifest(manifest, sidecar);
    return { manifest, file: { name: f, bytes: readFileSync(f) } };
  });
}

/** The Dice table of a file (core parser): its target-less table, or its first target's. */
export function readDice(file: string): DiceTable {
  const tables = parseDiceTables(file, readFileSync(file, 'utf8'));
  return tables['*'] ?? Object.values(tables)[0];
}
