// NCE, Negative Conditional Entropy (Tran et al., ICCV 2019), estimators-spec §4: hard source labels
// z_i = argmax θ(x_i) (first maximum, as numpy), NCE = −H(Y|Z) = Σ_{y,z: P̂>0} P̂(y,z) log(P̂(y,z)/P̂(z)).
import type { Mat } from '../linalg/matrix.ts';
import { prepareLabels, warnDegenerateClasses } from './labels.ts';
import { checkSourceProbs, type SourceProbOptions } from './leep.ts';

/**
 * NCE score (≤ 0, higher = better) from source softmax rows (N×C_s) and target labels. Zero cells are skipped
 * (thuml/tllib add 1e-20 inside the log instead; the difference is < 1e-18). Non-contiguous ids are remapped.
 */
export function nce(sourceProbs: Mat, labels: ArrayLike<number>, opts: SourceProbOptions = {}): number {
  checkSourceProbs(sourceProbs, 'nce');
  return nceFromSourceLabels(argmaxRows(sourceProbs), sourceProbs.cols, labels, opts);
}

/** NCE from hard source labels z (0..numSource−1) and target labels. */
export function nceFromSourceLabels(z: Int32Array, numSource: number, labels: ArrayLike<number>, opts: SourceProbOptions = {}): number {
  const n = z.length;
  const lab = prepareLabels(labels, n, opts.onWarning, 'nce: labels');
  warnDegenerateClasses(lab, 'nce', opts.onWarning, 1);
  const ct = lab.numClasses;
  const joint = new Float64Array(ct * numSource);
  for (let i = 0; i < n; i++) joint[lab.y[i] * numSource + z[i]] += 1 / n;
  const pz = new Float64Array(numSource);
  for (let c = 0; c < ct; c++) for (let s = 0; s < numSource; s++) pz[s] += joint[c * numSource + s];
  let out = 0;
  for (let c = 0; c < ct; c++) {
    for (let s = 0; s < numSource; s++) {
      const pj = joint[c * numSource + s];
      if (pj > 0) out += pj * Math.log(pj / pz[s]);
    }
  }
  return out;
}

/** Index of the first maximum of every row. */
export function argmaxRows(m: Mat): Int32Array {
  const out = new Int32Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const o = i * m.cols;
    let best = 0;
    for (let k = 1; k < m.cols; k++) if (m.data[o + k] > m.data[o + best]) best = k;
    out[i] = best;
  }
  return out;
}
