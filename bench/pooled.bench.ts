// Benchmarks of the pooled estimators (estimators-spec §3–§8): every estimator and variant on seeded synthetic
// data, N = 10 000 and 100 000 rows × D = 32, 128, 256, 4 target classes, 5 source classes for LEEP/NCE.
import type { BenchCase } from './types.ts';
import { mat, type Mat } from '../src/core/linalg/matrix.ts';
import { createRng } from '../src/core/sampling/rng.ts';
import { leep } from '../src/core/estimators/leep.ts';
import { nce } from '../src/core/estimators/nce.ts';
import { logme, type LogmeVariant } from '../src/core/estimators/logme.ts';
import { transrate, type TransrateVariant } from '../src/core/estimators/transrate.ts';
import { gbc } from '../src/core/estimators/gbc.ts';
import { hscore } from '../src/core/estimators/hscore.ts';

interface Data { features: Mat; labels: Int32Array; sourceProbs: Mat }

const CLASSES = 4;
const SOURCE_CLASSES = 5;
let cached: { key: string; data: Data } | undefined;

/** Seeded data: class-dependent Gaussian features, class shares 55/25/15/5 %, softmax source predictions. */
function data(n: number, d: number): Data {
  const key = `${n}x${d}`;
  if (cached?.key === key) return cached.data;
  cached = undefined; // let the previous size be collected first
  const rng = createRng(1000 + d);
  const labels = new Int32Array(n);
  const features = new Float64Array(n * d);
  const probs = new Float64Array(n * SOURCE_CLASSES);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    const c = u < 0.55 ? 0 : u < 0.8 ? 1 : u < 0.95 ? 2 : 3;
    labels[i] = c;
    for (let j = 0; j < d; j++) features[i * d + j] = rng.normal() * (1 + 0.1 * c) + (j % CLASSES === c ? 1 : 0);
    let s = 0;
    for (let z = 0; z < SOURCE_CLASSES; z++) s += probs[i * SOURCE_CLASSES + z] = Math.exp(rng.normal() + (z === c ? 1.5 : 0));
    for (let z = 0; z < SOURCE_CLASSES; z++) probs[i * SOURCE_CLASSES + z] /= s;
  }
  cached = { key, data: { features: mat(n, d, features), labels, sourceProbs: mat(n, SOURCE_CLASSES, probs) } };
  return cached.data;
}

const ESTIMATORS: [string, (x: Data) => number][] = [
  ['leep', (x) => leep(x.sourceProbs, x.labels)],
  ['nce', (x) => nce(x.sourceProbs, x.labels)],
  ...(['fixed_point', 'icml', 'tllib'] as LogmeVariant[]).map((v): [string, (x: Data) => number] => [`logme_${v}`, (x) => logme(x.features, x.labels, { variant: v })]),
  ...(['appendix', 'official_eig'] as TransrateVariant[]).map((v): [string, (x: Data) => number] => [`transrate_${v}_eps1e-4`, (x) => transrate(x.features, x.labels, { variant: v })]),
  ['gbc_diagonal', (x) => gbc(x.features, x.labels)],
  ['gbc_spherical', (x) => gbc(x.features, x.labels, { gaussian: 'spherical' })],
  ['gbc_diagonal_pca8', (x) => gbc(x.features, x.labels, { pcaDims: 8 })],
  ['hscore', (x) => hscore(x.features, x.labels)],
];

export const cases: BenchCase<Data>[] = [10_000, 100_000].flatMap((n) =>
  [32, 128, 256].flatMap((d) =>
    ESTIMATORS.map(([name, run]) => ({
      name,
      params: { N: n, D: d, C: CLASSES },
      setup: () => data(n, d),
      run,
      repeats: n >= 100_000 && d >= 128 ? 3 : 5,
    })),
  ),
);
