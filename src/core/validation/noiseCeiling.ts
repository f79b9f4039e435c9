// Noise ceiling of a fine-tuning ground truth (issue 7 item 1): how well one fine-tuning seed's Dice ranks the
// models against the mean of the other seeds (weighted τ, spec §11), averaged over the held-out seed.
import { TeError } from '../errors.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';

/**
 * dice[m][p]: Dice of model m at position p of a seed list; seedOf[p] names the seed at position p (a
 * bootstrap resample repeats seeds). For each position p: τ(dice[·][p], mean of dice[·][q] over the positions q
 * whose seed differs from seedOf[p]); positions with no other seed, or a constant side (τ NaN), are skipped.
 * Returns the mean over the remaining positions (NaN when none). seedOf defaults to 0..S−1 (all distinct).
 */
export function noiseCeiling(dice: ArrayLike<number>[], seedOf?: ArrayLike<number>): number {
  const m = dice.length;
  if (m < 2) throw new TeError('too-few-cases', `noise ceiling: needs at least 2 models, got ${m}`);
  const s = dice[0].length;
  if (dice.some((d) => d.length !== s)) throw new TeError('shape-mismatch', 'noise ceiling: every model needs the same number of seeds');
  const seeds = seedOf ?? Array.from({ length: s }, (_, i) => i);
  const held = new Float64Array(m), rest = new Float64Array(m);
  let sum = 0, used = 0;
  for (let p = 0; p < s; p++) {
    let k = 0;
    rest.fill(0);
    for (let q = 0; q < s; q++) {
      if (seeds[q] === seeds[p]) continue;
      for (let i = 0; i < m; i++) rest[i] += dice[i][q];
      k++;
    }
    if (k === 0) continue;
    for (let i = 0; i < m; i++) { held[i] = dice[i][p]; rest[i] /= k; }
    const t = weightedKendallTau(held, rest);
    if (Number.isFinite(t)) { sum += t; used++; }
  }
  return used ? sum / used : NaN;
}
