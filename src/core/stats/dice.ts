// Dice overlap of label maps (the fine-tuning outcome y that §11 correlates with transferability scores).
// Dice = 2|P ∩ T| / (|P| + |T|) per class; a class absent from both maps gives NaN (documented, warned).
import { TeError } from '../errors.ts';

/** Dice of class `cls` between two label maps of equal length. Both empty → NaN (+ warning). */
export function dice(pred: ArrayLike<number>, target: ArrayLike<number>, cls = 1, warn?: (m: string) => void): number {
  if (pred.length !== target.length) throw new TeError('shape-mismatch', `dice: prediction has ${pred.length} voxels, target ${target.length}`);
  let inter = 0, p = 0, t = 0;
  for (let i = 0; i < pred.length; i++) {
    const a = pred[i] === cls, b = target[i] === cls;
    if (a) p++;
    if (b) t++;
    if (a && b) inter++;
  }
  if (p + t === 0) {
    warn?.(`dice: class ${cls} is absent from both prediction and target, Dice is NaN`);
    return NaN;
  }
  return (2 * inter) / (p + t);
}

/** Mean Dice over foreground classes 1..numClasses−1, skipping classes absent from both maps (NaN if all are). */
export function meanForegroundDice(pred: ArrayLike<number>, target: ArrayLike<number>, numClasses: number, warn?: (m: string) => void): number {
  if (numClasses < 2) throw new TeError('single-class', `dice: needs at least one foreground class, got ${numClasses} classes`);
  let s = 0, k = 0;
  for (let c = 1; c < numClasses; c++) {
    const d = dice(pred, target, c, warn);
    if (!Number.isNaN(d)) { s += d; k++; }
  }
  return k > 0 ? s / k : NaN;
}
