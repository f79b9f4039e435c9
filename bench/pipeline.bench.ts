// Pipeline benchmarks (issue 4): Node feature extraction + scoring throughput on real ONNX models, and the
// sample-first window budget of the 3-D path. Peak CLI memory on a CT-sized volume: bench/memory.ts.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from './types.ts';
import { runStudy, type StudySpec } from '../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../src/adapters/nodePorts.ts';
import { countWindows } from '../src/core/pipeline/windows.ts';
import { syntheticTarget } from '../test/support/syntheticTarget.ts';

const ROOT = join(import.meta.dirname, '..');
const model = (dir: string, id: string) => ({
  manifest: JSON.parse(readFileSync(join(ROOT, dir, `${id}.json`), 'utf8')),
  file: { name: `${id}.onnx`, bytes: readFileSync(join(ROOT, dir, `${id}.onnx`)) },
});

function spec2d(models: StudySpec['models'], n: number, slices: number): StudySpec {
  const t = syntheticTarget({ nx: n, ny: n, nz: slices });
  return {
    target: { id: 'bench', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
    models, seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 200, embeddingPoints: 2000,
  };
}

const demo = 'public/demo/models';
const bankModel = existsSync(join(ROOT, demo, 'colin_t1_ax_brain.json')) ? [model(demo, 'colin_t1_ax_brain')] : [];

export const cases: BenchCase[] = [
  {
    name: 'runStudy node (tiny 2-D model, 200 bootstrap resamples)',
    params: { slices: 10, size: '128x128' },
    setup: () => spec2d([model('test/fixtures/models', 'tiny_a')], 128, 10),
    run: (s) => runStudy(s as StudySpec, nodePorts()),
    repeats: 3,
  },
  ...bankModel.map((m): BenchCase => ({
    name: `runStudy node (${m.manifest.id}, U-Net base 8, 200 resamples)`,
    params: { slices: 10, size: '128x128' },
    setup: () => spec2d([m], 128, 10),
    run: (s) => runStudy(s as StudySpec, nodePorts()),
    repeats: 3,
  })),
  {
    name: 'sample-first windows / full pass at overlap 0.5 (108×128×128 CT, roi 64³)',
    params: { ratio: `${8}/${countWindows([108, 128, 128], [64, 64, 64], 0.5)} = ${(8 / countWindows([108, 128, 128], [64, 64, 64], 0.5)).toFixed(2)}` },
    setup: () => null,
    run: () => countWindows([108, 128, 128], [64, 64, 64], 0.5),
    repeats: 1,
  },
];
