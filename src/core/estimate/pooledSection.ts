// The pooled-estimator section of `transferlens estimate` (reference-vector schema): LEEP and NCE from
// `source_probs` + `labels`; LogME, TransRate, GBC and H-score from `features` + `labels` (estimators-spec §3–§8).
import { TeError, type TeWarning } from '../errors.ts';
import { centredClassGrams, totalGram } from '../linalg/classScatter.ts';
import { fromRows, type Mat } from '../linalg/matrix.ts';
import { classMeanVariance, gbcFromStats, pcaProject, warnFloored } from '../estimators/gbc.ts';
import { hscoreFromClassGrams } from '../estimators/hscore.ts';
import { preparePooled } from '../estimators/labels.ts';
import { leep } from '../estimators/leep.ts';
import { logmeFromClassGrams } from '../estimators/logme.ts';
import { nce } from '../estimators/nce.ts';
import { officialEigGrams, transrateAppendixFromGrams, transrateOfficialFromGrams } from '../estimators/transrate.ts';
import type { EstimateSection } from './schema.ts';

/** TransRate ε of the vectors' keys (`…_eps1e-4`). */
const TRANSRATE_EPS = 1e-4;
/** GBC PCA dimension of the key `gbc_diagonal_pca8`. */
const GBC_PCA_DIMS = 8;

/**
 * Keys: `leep`, `nce` when `source_probs` and `labels` are present; `logme_{fixed_point,icml,tllib}`,
 * `transrate_{appendix,official_eig}_eps1e-4`, `gbc_{diagonal,spherical}`, `hscore` when `features` and `labels`
 * are present; `gbc_diagonal_pca8` only when moreover D > 8 (PCA to 8 dims is a reduction only then; this is why
 * the single_class vector, D = 8, has no such key) and N ≥ 8 (sklearn's PCA needs k ≤ min(N, D)).
 * Invalid input (ragged rows, NaN/Inf, length mismatch, non-integer labels) throws a TeError.
 */
export const estimatePooled: EstimateSection = (input, warn) => {
  const out: Record<string, unknown> = {};
  const onWarning = (w: TeWarning) => warn(w.message);
  const labels = input.labels === undefined ? undefined : asLabels(input.labels);
  if (labels && input.source_probs !== undefined) {
    const probs = asMatrix(input.source_probs, 'source_probs');
    out.leep = leep(probs, labels, { onWarning });
    out.nce = nce(probs, labels);
  }
  if (labels && input.features !== undefined) Object.assign(out, pooledFeatureScores(asMatrix(input.features, 'features'), labels, onWarning));
  return out;
};

/**
 * The feature-based pooled scores (everything but LEEP/NCE) of one N×D matrix under their output keys; also used by
 * the pipeline. One pass for the per-class Grams (LogME, TransRate appendix, H-score, PCA), one for TransRate
 * official_eig, O(N·D) passes for GBC.
 */
export function pooledFeatureScores(f: Mat, labels: ArrayLike<number>, onWarning: (w: TeWarning) => void = () => {}): Record<string, number> {
  const lab = preparePooled(f, labels, 'pooled estimators', onWarning);
  const grams = centredClassGrams(f, lab.y, lab.numClasses);
  const logme = logmeFromClassGrams(grams, ['fixed_point', 'icml', 'tllib'], onWarning);
  const moments = classMeanVariance(f, lab.y, lab.numClasses);
  warnFloored(moments, 'gbc', onWarning);
  const out: Record<string, number> = {
    logme_fixed_point: logme.fixed_point!,
    logme_icml: logme.icml!,
    logme_tllib: logme.tllib!,
    'transrate_appendix_eps1e-4': transrateAppendixFromGrams(grams, TRANSRATE_EPS),
    'transrate_official_eig_eps1e-4': transrateOfficialFromGrams(officialEigGrams(f, lab.y, lab.numClasses, onWarning), TRANSRATE_EPS),
    gbc_diagonal: gbcFromStats(moments, 'diagonal'),
    gbc_spherical: gbcFromStats(moments, 'spherical'),
  };
  if (f.cols > GBC_PCA_DIMS && f.rows >= GBC_PCA_DIMS) {
    const projected = pcaProject(f, GBC_PCA_DIMS, { mean: grams.mean, gram: totalGram(grams) });
    out[`gbc_diagonal_pca${GBC_PCA_DIMS}`] = gbcFromStats(classMeanVariance(projected, lab.y, lab.numClasses), 'diagonal');
  } else if (f.cols > GBC_PCA_DIMS) {
    onWarning({ code: 'too-few-samples', message: `gbc_diagonal_pca${GBC_PCA_DIMS}: PCA to ${GBC_PCA_DIMS} dims needs N ≥ ${GBC_PCA_DIMS} rows (N = ${f.rows}); omitted` });
  }
  out.hscore = hscoreFromClassGrams(grams, onWarning);
  return out;
}

function asMatrix(v: unknown, what: string): Mat {
  if (!Array.isArray(v) || !v.every((r) => Array.isArray(r))) throw new TeError('invalid-input', `${what}: expected an array of rows`);
  v.forEach((r: unknown[], i) => r.forEach((x, j) => {
    if (typeof x !== 'number') throw new TeError('invalid-input', `${what}[${i}][${j}] is ${JSON.stringify(x)}, not a number`, { row: i, col: j });
  }));
  try {
    return fromRows(v as number[][], what);
  } catch (err) {
    throw new TeError('invalid-input', err instanceof Error ? err.message : String(err));
  }
}

function asLabels(v: unknown): number[] {
  if (!Array.isArray(v)) throw new TeError('invalid-input', 'labels: expected an array of integers');
  v.forEach((x, i) => {
    if (typeof x !== 'number') throw new TeError('invalid-input', `labels: entry ${i} is ${JSON.stringify(x)}, not a number`, { index: i });
  });
  return v as number[];
}
