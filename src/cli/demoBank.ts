// Loads the bundled demo bank (public/demo): model manifests + ONNX files, targets, fine-tuned Dice.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TeError } from '../core/errors.ts';
import type { StudyModel, StudyTarget } from '../core/pipeline/runStudy.ts';
import type { DiceTable } from '../core/pipeline/correlate.ts';
import type { Axis } from '../core/volume/slices.ts';

export const DEMO_DIR = join(import.meta.dirname, '..', '..', 'public', 'demo');

export function demoModels(dir = DEMO_DIR, opts: { include3d?: boolean } = {}): StudyModel[] {
  const mdir = join(dir, 'models');
  if (!existsSync(mdir)) throw new TeError('invalid-input', `${mdir}: the demo bank is missing (see tools/bank/README.md)`);
  return readdirSync(mdir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort().map((f) => {
    const manifest = JSON.parse(readFileSync(join(mdir, f), 'utf8'));
    const file = manifest.file ?? f.replace(/\.json$/, '.onnx');
    return { manifest, file: { name: file, bytes: readFileSync(join(mdir, file)) } };
  }).filter((m) => m.manifest.dim === 2 || opts.include3d);
}

export interface DemoTarget extends StudyTarget { dice?: DiceTable }

export function demoTargets(dir = DEMO_DIR): DemoTarget[] {
  const tdir = join(dir, 'targets');
  const dicePath = join(dir, 'finetune-dice.json');
  const dice = existsSync(dicePath) ? (JSON.parse(readFileSync(dicePath, 'utf8')) as { targets: Record<string, DiceTable> }).targets : {};
  return readdirSync(tdir).sort().filter((t) => existsSync(join(tdir, t, 'target.json'))).map((t) => {
    const j = JSON.parse(readFileSync(join(tdir, t, 'target.json'), 'utf8'));
    const img = j.image_file ?? 'image.nii.gz', lab = j.label_file ?? 'label.nii.gz';
    return {
      id: j.id, name: j.name, classNames: j.class_names, axis: j.slice_axis as Axis, sliceIndices: j.train_slices,
      image: [{ name: `${t}/${img}`, bytes: readFileSync(join(tdir, t, img)) }],
      label: [{ name: `${t}/${lab}`, bytes: readFileSync(join(tdir, t, lab)) }],
      dice: dice[j.id],
    };
  });
}
