// Seeded batches for fine-tuning (issue 8 §2: same seed → same result) and the held-out rule of the CLI
// (issue 8 §5): test cases = cases neither used for training nor adjacent to a training case.
import { TeError } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';

/**
 * Draws `batch` indices from `pool` per call, without replacement inside a batch (a batch larger than the pool
 * takes the whole pool, shuffled, then further draws with replacement). Same seed → same sequence.
 */
export function batchSampler(pool: number[], batch: number, seed: number): () => number[] {
  if (pool.length === 0) throw new TeError('too-few-cases', 'fine-tuning: no training cases');
  if (!(batch >= 1)) throw new TeError('invalid-input', `fine-tuning: batch size ${batch} must be ≥ 1`);
  const rng = createRng(seed);
  return () => {
    const a = pool.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    const out = a.slice(0, Math.min(batch, a.length));
    while (out.length < batch) out.push(pool[rng.int(pool.length)]);
    return out;
  };
}

/** Cases 0..n−1 that are not training cases and not adjacent (±1) to one. */
export function heldOutCases(n: number, train: number[]): number[] {
  const blocked = new Set<number>();
  for (const t of train) {
    if (!Number.isInteger(t) || t < 0 || t >= n) throw new TeError('invalid-input', `fine-tuning: training case ${t} is not in 0..${n - 1}`);
    blocked.add(t - 1); blocked.add(t); blocked.add(t + 1);
  }
  return Array.from({ length: n }, (_, i) => i).filter((i) => !blocked.has(i));
}
