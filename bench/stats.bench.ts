// Benchmarks of the correlation statistics (spec §11) and the Transfer Risk Map (spec §10) on seeded
// synthetic data: weighted τ at 1 000 / 10 000 items, bootstrap of τ over 12 models, a 16×256×256 risk map.
import type { BenchCase } from './types.ts';
import { createRng } from '../src/core/sampling/rng.ts';
import { weightedKendallTau, weightedKendallTauNaive, weightedKendallTauSorted } from '../src/core/stats/weightedKendallTau.ts';
import { bootstrapTauOverModels } from '../src/core/stats/bootstrap.ts';
import { pixelLeepMap, type PixelLabels, type PixelProbs } from '../src/core/estimators/pixelLeepMap.ts';
import { riskMap } from '../src/core/estimators/riskMap.ts';
import { pixelCrossEntropy, riskWeightedCe } from '../src/core/estimators/riskWeightedLoss.ts';

function pairs(n: number, seed: number): { x: Float64Array; y: Float64Array } {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: n }, () => rng.normal());
  // rounded y gives ties, as fine-tuned Dice often has
  const y = x.map((v) => Math.round((0.5 * v + rng.normal()) * 100) / 100);
  return { x, y };
}

function softmaxVolume(rng: ReturnType<typeof createRng>, n: number, h: number, w: number, c: number): PixelProbs {
  const data = new Float64Array(n * h * w * c);
  for (let p = 0; p < n * h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) { const e = Math.exp(1.5 * rng.normal()); data[p * c + k] = e; s += e; }
    for (let k = 0; k < c; k++) data[p * c + k] /= s;
  }
  return { n, h, w, c, data };
}

const tauCase = (n: number): BenchCase<ReturnType<typeof pairs>> => ({
  name: 'weighted_kendall_tau',
  params: { n, algorithm: 'O(n log n)' },
  setup: () => pairs(n, n),
  run: ({ x, y }) => weightedKendallTau(x, y),
});

/** A model bank's τ, 100 000 times (as the validation harness does): counted ranks vs sorts + Fenwick trees. */
const smallTauCase = (algorithm: string, f: (x: Float64Array, y: Float64Array) => number): BenchCase<ReturnType<typeof pairs>> => ({
  name: 'weighted_kendall_tau x100000',
  params: { n: 11, algorithm },
  setup: () => pairs(11, 11),
  run: ({ x, y }) => { let s = 0; for (let k = 0; k < 100000; k++) s += f(x, y); return s; },
  repeats: 3,
});

interface PixelCtx { src: PixelProbs; tgt: PixelProbs; labels: PixelLabels }

export const cases: BenchCase[] = [
  tauCase(1000) as BenchCase,
  tauCase(10000) as BenchCase,
  smallTauCase('O(n²) counted ranks (default ≤ 48)', weightedKendallTau) as BenchCase,
  smallTauCase('O(n log n) sorts + Fenwick', weightedKendallTauSorted) as BenchCase,
  {
    name: 'weighted_kendall_tau',
    params: { n: 1000, algorithm: 'O(n²) definition' },
    setup: () => pairs(1000, 1000),
    run: (ctx) => { const { x, y } = ctx as ReturnType<typeof pairs>; return weightedKendallTauNaive(x, y); },
  },
  {
    name: 'bootstrap_tau_over_models',
    params: { models: 12, resamples: 1000 },
    setup: () => pairs(12, 12),
    run: (ctx) => { const { x, y } = ctx as ReturnType<typeof pairs>; return bootstrapTauOverModels(x, y, { seed: 1, resamples: 1000 }); },
  },
  {
    name: 'pixel_risk_map',
    params: { n: 16, H: 256, W: 256, classes: 4, steps: 'pixel LEEP map + risk map (image) + risk-weighted CE' },
    repeats: 3,
    setup: (): PixelCtx => {
      const rng = createRng(16);
      const src = softmaxVolume(rng, 16, 256, 256, 4), tgt = softmaxVolume(rng, 16, 256, 256, 4);
      const labels: PixelLabels = { n: 16, h: 256, w: 256, data: Int32Array.from({ length: 16 * 256 * 256 }, () => rng.int(4)) };
      return { src, tgt, labels };
    },
    run: (ctx) => {
      const { src, tgt, labels } = ctx as PixelCtx;
      const t = pixelLeepMap(src, labels);
      const r = riskMap(t.map, 256 * 256, 'image');
      return riskWeightedCe(r, pixelCrossEntropy(tgt, labels), labels.data);
    },
  },
];
