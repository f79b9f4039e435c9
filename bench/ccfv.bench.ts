// Benchmarks of CC-FV (estimators-spec §2): 20 cases × 3 layers (D = 64, 128, 256) × 2 foreground classes + background
// × 400 sampled voxels per class per case, seeded synthetic features; also the D = 256 layer alone.
import type { BenchCase } from './types.ts';
import { createRng } from '../src/core/sampling/rng.ts';
import type { CcfvData, CcfvLayer } from '../src/core/estimators/ccfv/ccfvData.ts';
import { ccfvFromData, type CcfvVariant } from '../src/core/estimators/ccfv/ccfv.ts';

const CASES = 20;
const CLASSES = 2; // foreground; label 0 = background is sampled too
const PER_CLASS = 400;
const DIMS = [64, 128, 256];

/**
 * Features of class k in case i: μ_k + δ_i + diag(s_k) z + B_k w (w ∈ R⁸: a low-rank correlated part), with ReLU-like
 * dead channels (every 16th channel is 0) so that the covariances are singular as with real decoder features.
 */
function layer(d: number, seed: number): CcfvLayer {
  const rng = createRng(seed);
  const base = Array.from({ length: CLASSES + 1 }, () => Float64Array.from({ length: d }, () => rng.normal()));
  const scale = Array.from({ length: CLASSES + 1 }, () => Float64Array.from({ length: d }, () => 0.5 + rng.next()));
  const mix = Array.from({ length: CLASSES + 1 }, () => Float64Array.from({ length: 8 * d }, () => 0.3 * rng.normal()));
  const cases = Array.from({ length: CASES }, () => {
    const shift = Float64Array.from({ length: d }, () => 0.2 * rng.normal());
    const n = (CLASSES + 1) * PER_CLASS;
    const x = new Float64Array(n * d), labels = new Int32Array(n);
    const w = new Float64Array(8);
    for (let r = 0; r < n; r++) {
      const k = Math.floor(r / PER_CLASS);
      labels[r] = k;
      for (let t = 0; t < 8; t++) w[t] = rng.normal();
      for (let j = 0; j < d; j++) {
        if (j % 16 === 15) continue;
        let v = base[k][j] + shift[j] + scale[k][j] * rng.normal();
        for (let t = 0; t < 8; t++) v += mix[k][t * d + j] * w[t];
        x[r * d + j] = v;
      }
    }
    return { x: { rows: n, cols: d, data: x }, labels };
  });
  return { name: `D${d}`, d, cases };
}

let cached: Map<string, CcfvData> | undefined;
function data(dims: number[]): CcfvData {
  cached ??= new Map();
  const key = dims.join(',');
  let hit = cached.get(key);
  if (!hit) {
    hit = { numClasses: CLASSES, layers: dims.map((d) => layer(d, 7000 + d)) };
    cached.set(key, hit);
  }
  return hit;
}

function benchCase(variant: CcfvVariant, dims: number[], repeats: number): BenchCase<CcfvData> {
  return {
    name: `ccfv_${variant}`,
    params: { cases: CASES, D: dims.join('+'), classes: `${CLASSES}+bg`, perClass: PER_CLASS },
    setup: () => data(dims),
    run: (x) => ccfvFromData(x, { variant }).total,
    repeats,
  };
}

export const cases: BenchCase<CcfvData>[] = [
  benchCase('official_symmetric_sqrtm', DIMS, 3),
  benchCase('paper', DIMS, 3),
  benchCase('official_symmetric_sqrtm', [256], 3),
  benchCase('paper', [256], 3),
  // The scipy-style path (official): a nonsymmetric eigenvalue solve of Σ_iΣ_j per case pair, ~10× slower.
  benchCase('official', [64, 128], 1),
];
