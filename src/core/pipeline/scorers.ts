// The estimator registry of the pipeline: each scorer reads the sampled features of one model and returns
// values under the reference-vector keys (and per-layer CC-FV values).
import type { TeWarning } from '../errors.ts';
import type { Mat } from '../linalg/matrix.ts';
import { leep } from '../estimators/leep.ts';
import { nce } from '../estimators/nce.ts';
import { pooledFeatureScores } from '../estimate/pooledSection.ts';
import { ccfvFromPrepared, CcfvPrepared, type CcfvAblation, type CcfvVariant } from '../estimators/ccfv/ccfv.ts';
import type { CcfvData } from '../estimators/ccfv/ccfvData.ts';
import { CcfvCaseTerms } from './ccfvResampling.ts';
import { HocsPrepared } from '../estimators/hocs.ts';

export interface ScoringInput {
  /** Foreground + background class count of the target (labels 0..numClasses−1). */
  numClasses: number;
  layers: { name: string; stride: number; channels: number; cases: { features: Mat; labels: Int32Array }[] }[];
  pooled: { features: Mat; labels: Int32Array; sourceProbs: Mat };
}

export interface ScorerResult { values: Record<string, number>; layers?: Record<string, number[]> }

/**
 * A scorer prepares once on all cases, then scores any case subset (a bootstrap resample, repeats allowed)
 * by index. Warnings are reported for the full case set only.
 */
export interface Scorer {
  keys: string[];
  prepare(input: (idx: ArrayLike<number>) => ScoringInput, nCases: number, warn: (w: TeWarning) => void): (idx: Int32Array | null) => ScorerResult;
}

export const POOLED_KEYS = ['logme_fixed_point', 'logme_icml', 'logme_tllib', 'transrate_appendix_eps1e-4',
  'transrate_official_eig_eps1e-4', 'gbc_diagonal', 'gbc_spherical', 'gbc_diagonal_pca8', 'hscore'];

const pooled: Scorer = {
  keys: ['leep', 'nce', ...POOLED_KEYS],
  prepare(input, n, warn) {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    return (idx) => {
      const w = idx ? () => {} : warn;
      const { features, labels, sourceProbs } = input(idx ?? all).pooled;
      return {
        values: {
          leep: leep(sourceProbs, labels, { onWarning: w }),
          nce: nce(sourceProbs, labels),
          ...pooledFeatureScores(features, Array.from(labels), w),
        },
      };
    };
  },
};

const CCFV_VARIANTS: CcfvVariant[] = ['official', 'official_symmetric_sqrtm', 'paper', 'paper_unit_sphere'];
/** The CC-FV paper's Table 2 ablations, applied on top of the `paper` variant, under `ccfv_<ablation>` keys. */
const CCFV_ABLATIONS: Exclude<CcfvAblation, 'none'>[] = ['without_ccons', 'without_fv', 'single_scale', 'kl_divergence', 'bhattacharyya'];

const ccfv: Scorer = {
  keys: [...CCFV_VARIANTS.map((v) => `ccfv_${v}`), ...CCFV_ABLATIONS.map((a) => `ccfv_${a}`)],
  prepare(inputOf, n, warn) {
    const input = inputOf(Int32Array.from({ length: n }, (_, i) => i));
    // Layers in manifest order; the pooled baselines' layer (finest) is the "single scale" one.
    const finest = input.layers.reduce((best, l, i, all) => (l.stride < all[best].stride ? i : best), 0);
    const data: CcfvData = {
      numClasses: input.numClasses - 1,
      layers: input.layers.map((l) => ({ name: l.name, d: l.channels, cases: l.cases.map((c) => ({ x: c.features, labels: c.labels })) })),
    };
    const base = new CcfvPrepared(data, warn);
    const terms = new CcfvCaseTerms(base);
    return (idx) => {
      const prep = idx ? terms.resample(idx) : base;
      const values: Record<string, number> = {};
      const layers: Record<string, number[]> = {};
      for (const v of CCFV_VARIANTS) {
        const r = ccfvFromPrepared(prep, { variant: v });
        values[`ccfv_${v}`] = r.total;
        layers[`ccfv_${v}`] = r.layers.map((l) => l.logRatio);
      }
      for (const a of CCFV_ABLATIONS) {
        values[`ccfv_${a}`] = ccfvFromPrepared(prep, { variant: 'paper', ablation: a, singleScaleLayer: finest }).total;
      }
      return { values, layers };
    };
  },
};

/**
 * TransferLens's own estimator (docs/estimators/hocs.md): every decoder layer, the finest one alone, and the
 * full-covariance form (third round).
 */
const hocsScorer: Scorer = {
  keys: ['hocs', 'hocs_finest', 'hocs_full'],
  prepare(inputOf, n, warn) {
    const input = inputOf(Int32Array.from({ length: n }, (_, i) => i));
    const finest = input.layers.reduce((best, l, i, all) => (l.stride < all[best].stride ? i : best), 0);
    const hocsInput = {
      numClasses: input.numClasses,
      layers: input.layers.map((l) => ({ name: l.name, cases: l.cases.map((c) => ({ x: c.features, labels: c.labels })) })),
    };
    let diag: HocsPrepared, full: HocsPrepared;
    try {
      diag = new HocsPrepared(hocsInput);
      full = new HocsPrepared(hocsInput, { covariance: 'full' });
    } catch (e) {
      warn({ code: 'nan-result', message: `hocs: ${e instanceof Error ? e.message : String(e)}; the score is NaN` });
      return () => ({ values: { hocs: NaN, hocs_finest: NaN, hocs_full: NaN } });
    }
    return (idx) => {
      const r = diag.score(idx, idx ? undefined : warn);
      return { values: { hocs: r.total, hocs_finest: r.layers[finest], hocs_full: full.score(idx, idx ? undefined : warn).total } };
    };
  },
};

export const SCORERS: Scorer[] = [pooled, ccfv, hocsScorer];
