// Top-1 regret of a ranking (issue 7 item 1): Dice of the truly best model minus Dice of the model the
// estimator recommends (its highest score). Ties for the top score count as a random pick among them.

/**
 * max(dice) − mean(dice of the models sharing the highest score). Non-finite scores are never recommended;
 * NaN when no score is finite.
 */
export function topOneRegret(scores: ArrayLike<number>, dice: ArrayLike<number>): number {
  let best = -Infinity, top = -Infinity;
  for (let i = 0; i < dice.length; i++) {
    best = Math.max(best, dice[i]);
    if (Number.isFinite(scores[i])) top = Math.max(top, scores[i]);
  }
  if (top === -Infinity) return NaN;
  let sum = 0, k = 0;
  for (let i = 0; i < dice.length; i++) if (scores[i] === top) { sum += dice[i]; k++; }
  return best - sum / k;
}
