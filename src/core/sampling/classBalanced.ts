// Class-balanced voxel sampling of one case, drawn BEFORE inference (issue 4 §4; estimators-spec §2.2):
// for every layer independently and every label present (background included), a seeded draw without replacement.
import type { Rng } from './rng.ts';
import type { SamplingMode } from '../types.ts';

export interface LayerSample {
  /** Flat voxel indices into the case's label array, grouped by ascending label. */
  indices: Int32Array;
  /** The label of each sampled voxel. */
  labels: Int32Array;
}

/**
 * `caps[l]` is layer l's per-class cap. Mode `official`: each class present gets min(count, cap) voxels
 * (the official code's fixed cap). Mode `proportional` (the paper's wording): the largest class gets the cap
 * and every other class cap·count/maxCount voxels (at least 2 so a covariance exists, at most its count).
 */
export function sampleCase(labels: ArrayLike<number>, numClasses: number, caps: number[], mode: SamplingMode, rng: Rng): LayerSample[] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const maxCount = Math.max(...byClass.map((c) => c.length));
  return caps.map((cap) => {
    const idx: number[] = [];
    const lab: number[] = [];
    for (let c = 0; c < numClasses; c++) {
      const pool = byClass[c];
      if (pool.length === 0) continue;
      const want = mode === 'official' ? cap : Math.max(2, Math.round((cap * pool.length) / maxCount));
      const m = Math.min(pool.length, want);
      for (const i of drawWithoutReplacement(pool, m, rng)) {
        idx.push(i);
        lab.push(c);
      }
    }
    return { indices: Int32Array.from(idx), labels: Int32Array.from(lab) };
  });
}

/** m distinct elements of `pool`, uniformly (partial Fisher–Yates on a copy), returned in ascending order. */
export function drawWithoutReplacement(pool: readonly number[], m: number, rng: Rng): number[] {
  if (m >= pool.length) return [...pool];
  const a = pool.slice();
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, m).sort((x, y) => x - y);
}
