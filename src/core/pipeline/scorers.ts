// The estimator registry of the pipeline: each scorer reads the sampled features of one model and returns
// values under the reference-vector keys (and per-layer CC-FV values).
import type { TeWarning } from '../errors.ts';
import type { Mat } from '../linalg/matrix.ts';
import { leep } from '../estimators/leep.ts';
import { nce } from '../estimators/nce.ts';
import { pooledFeatureScores } from '../estimate/pooledSection.ts';

export interface ScoringInput {
  /** Foreground + background class count of the target (labels 0..numClasses−1). */
  numClasses: number;
  layers: { name: string; stride: number; channels: number; cases: { features: Mat; labels: Int32Array }[] }[];
  pooled: { features: Mat; labels: Int32Array; sourceProbs: Mat };
}

export interface Scorer {
  keys: string[];
  score(input: ScoringInput, warn: (w: TeWarning) => void): { values: Record<string, number>; layers?: Record<string, number[]> };
}

export const POOLED_KEYS = ['logme_fixed_point', 'logme_icml', 'logme_tllib', 'transrate_appendix_eps1e-4',
  'transrate_official_eig_eps1e-4', 'gbc_diagonal', 'gbc_spherical', 'gbc_diagonal_pca8', 'hscore'];

const pooled: Scorer = {
  keys: ['leep', 'nce', ...POOLED_KEYS],
  score(input, warn) {
    const { features, labels, sourceProbs } = input.pooled;
    const values: Record<string, number> = {
      leep: leep(sourceProbs, labels, { onWarning: warn }),
      nce: nce(sourceProbs, labels),
      ...pooledFeatureScores(features, Array.from(labels), warn),
    };
    return { values };
  },
};

export const SCORERS: Scorer[] = [pooled];
