// Label and input checks shared by the pooled estimators (estimators-spec §1, §13.7): labels must be
// contiguous 0..C−1. Non-contiguous labels are REMAPPED (sorted ids → 0..C−1) with a 'remapped-labels' warning.
//
// Why remap instead of looping over range(max+1) as the official codes do (spec §1, §5): a missing id
// becomes an empty class: LogME then scores an all-zero indicator (large positive evidence that inflates the
// mean), TransRate and H-score produce NaN (mean of an empty class). Remapping keeps every estimator defined and
// leaves the scores of contiguous inputs unchanged (all pooled scores are invariant to renaming classes).
import { TeError, type TeWarning } from '../errors.ts';
import type { Mat } from '../linalg/matrix.ts';

export type WarnFn = (w: TeWarning) => void;

export interface PreparedLabels {
  /** Class index 0..C−1 of every row. */
  y: Int32Array;
  numClasses: number;
  /** Rows per class. */
  counts: number[];
  /** Original label id of each class (ascending); classIds[c] was remapped to c. */
  classIds: number[];
  /** True when the input ids were not 0..C−1 and have been remapped. */
  remapped: boolean;
}

/**
 * Validates labels (finite integers ≥ 0, one per row) and remaps non-contiguous ids to 0..C−1 in ascending
 * order of the original id, reporting a 'remapped-labels' warning. Throws TeError on bad labels.
 */
export function prepareLabels(labels: ArrayLike<number>, n: number, warn?: WarnFn, what = 'labels'): PreparedLabels {
  if (labels.length !== n) {
    throw new TeError('shape-mismatch', `${what}: ${labels.length} labels for ${n} rows`, { labels: labels.length, rows: n });
  }
  if (n === 0) throw new TeError('too-few-samples', `${what}: no rows`, { rows: 0 });
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = labels[i];
    if (!Number.isFinite(v)) throw new TeError('non-finite', `${what}: label ${i} is ${v}`, { index: i });
    if (!Number.isInteger(v) || v < 0) {
      throw new TeError('invalid-input', `${what}: label ${i} is ${v}; labels must be integers ≥ 0`, { index: i, value: v });
    }
    seen.set(v, (seen.get(v) ?? 0) + 1);
  }
  const classIds = [...seen.keys()].sort((a, b) => a - b);
  const index = new Map(classIds.map((id, c) => [id, c]));
  const remapped = classIds[classIds.length - 1] !== classIds.length - 1;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = index.get(labels[i])!;
  const counts = classIds.map((id) => seen.get(id)!);
  if (remapped && warn) {
    warn({
      code: 'remapped-labels',
      message: `${what}: ids ${formatIds(classIds)} are not contiguous 0..${classIds.length - 1}; remapped to 0..${classIds.length - 1} in ascending order`,
      detail: { classIds },
    });
  }
  return { y, numClasses: classIds.length, counts, classIds, remapped };
}

function formatIds(ids: number[]): string {
  return ids.length <= 12 ? `[${ids.join(', ')}]` : `[${ids.slice(0, 12).join(', ')}, …]`;
}

/** Warns about a single target class and about classes with fewer than `minPerClass` rows (computation goes on). */
export function warnDegenerateClasses(lab: PreparedLabels, estimator: string, warn?: WarnFn, minPerClass = 2): void {
  if (!warn) return;
  if (lab.numClasses === 1) {
    warn({ code: 'single-class', message: `${estimator}: only one target class (id ${lab.classIds[0]}); LEEP, NCE, TransRate, GBC and H-score are 0 by definition there (up to rounding), LogME stays finite` });
  }
  const small = lab.counts.flatMap((n, c) => (n < minPerClass ? [lab.classIds[c]] : []));
  if (small.length > 0) {
    warn({
      code: 'too-few-samples',
      message: `${estimator}: class id(s) ${formatIds(small)} have fewer than ${minPerClass} samples; their statistics are unreliable`,
      detail: { classIds: small },
    });
  }
}

/** Throws TeError('non-finite') naming the first NaN/±Inf entry. */
export function assertFinite(m: Mat, what: string): void {
  const d = m.data;
  for (let k = 0; k < d.length; k++) {
    if (!Number.isFinite(d[k])) {
      const row = Math.floor(k / Math.max(m.cols, 1));
      throw new TeError('non-finite', `${what}: entry [${row}][${k - row * m.cols}] is ${d[k]}`, { row, col: k - row * m.cols });
    }
  }
}

/** Features and labels of a pooled estimator: finite features, ≥ 2 rows, ≥ 1 column, labels prepared. */
export function preparePooled(features: Mat, labels: ArrayLike<number>, estimator: string, warn?: WarnFn): PreparedLabels {
  if (features.cols < 1) throw new TeError('invalid-input', `${estimator}: features have no columns`, { cols: features.cols });
  if (features.rows < 2) throw new TeError('too-few-samples', `${estimator}: needs at least 2 rows, got ${features.rows}`, { rows: features.rows });
  assertFinite(features, `${estimator}: features`);
  const lab = prepareLabels(labels, features.rows, warn, `${estimator}: labels`);
  warnDegenerateClasses(lab, estimator, warn);
  return lab;
}
