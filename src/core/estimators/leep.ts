// LEEP, Log Expected Empirical Prediction (Nguyen et al., ICML 2020), estimators-spec §3: soft joint
// P̂(y, z) from the source model's softmax θ, P̂(y|z) = P̂(y, z)/P̂(z), LEEP = mean_i log Σ_z P̂(y_i|z) θ_z(x_i).
import { TeError } from '../errors.ts';
import type { Mat } from '../linalg/matrix.ts';
import { assertFinite, prepareLabels, warnDegenerateClasses, type WarnFn } from './labels.ts';

export interface SourceProbOptions {
  onWarning?: WarnFn;
}

/**
 * LEEP score (≤ 0, higher = better). `sourceProbs` N×C_s rows of the source model's softmax (entries ≥ 0,
 * each row with a positive sum); `labels` N target classes (non-contiguous ids are remapped, spec §1; LEEP
 * itself does not depend on the naming). A source class with P̂(z) = 0 gets P̂(y|z) = 0 (divide-no-NaN, as the
 * reference implementation and GBC's leep.py; thuml/tllib give NaN there). Throws TeError on invalid input.
 */
export function leep(sourceProbs: Mat, labels: ArrayLike<number>, opts: SourceProbOptions = {}): number {
  const { rows: n, cols: cs, data: p } = sourceProbs;
  checkSourceProbs(sourceProbs, 'leep');
  const lab = prepareLabels(labels, n, opts.onWarning, 'leep: labels');
  warnDegenerateClasses(lab, 'leep', opts.onWarning, 1);
  const ct = lab.numClasses, y = lab.y;
  // joint[y][z] = Σ_{i: y_i = y} θ_z(x_i) / N (thuml: normalized_prob = p / N, then row sums).
  const joint = new Float64Array(ct * cs);
  for (let i = 0; i < n; i++) {
    const jy = y[i] * cs, o = i * cs;
    for (let z = 0; z < cs; z++) joint[jy + z] += p[o + z] / n;
  }
  const pz = new Float64Array(cs);
  for (let c = 0; c < ct; c++) for (let z = 0; z < cs; z++) pz[z] += joint[c * cs + z];
  const cond = new Float64Array(ct * cs); // P̂(y|z), 0 where P̂(z) = 0
  for (let c = 0; c < ct; c++) for (let z = 0; z < cs; z++) cond[c * cs + z] = pz[z] > 0 ? joint[c * cs + z] / pz[z] : 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const cy = y[i] * cs, o = i * cs;
    let eep = 0;
    for (let z = 0; z < cs; z++) eep += cond[cy + z] * p[o + z];
    sum += Math.log(eep);
  }
  return sum / n;
}

/** Finite, non-negative source probabilities, at least one row and column, every row with a positive sum. */
export function checkSourceProbs(sourceProbs: Mat, estimator: string): void {
  const { rows: n, cols: cs, data: p } = sourceProbs;
  if (n < 1 || cs < 1) throw new TeError('invalid-input', `${estimator}: source_probs is empty (${n}×${cs})`, { rows: n, cols: cs });
  assertFinite(sourceProbs, `${estimator}: source_probs`);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let z = 0; z < cs; z++) {
      const v = p[i * cs + z];
      if (v < 0) throw new TeError('invalid-input', `${estimator}: source_probs[${i}][${z}] = ${v} is negative`, { row: i, col: z });
      s += v;
    }
    if (!(s > 0)) throw new TeError('invalid-input', `${estimator}: source_probs row ${i} sums to 0 (not a probability vector)`, { row: i });
  }
}
