// CC-FV transferability (Yang et al., MICCAI 2023; estimators-spec §2.1–§2.7): per-layer F_v, C_cons and
// log(F_v / C_cons), their total, in the variants of spec §2.7 and the ablations of the paper's Table 2.
import type { TeWarning } from '../../errors.ts';
import type { CcfvInput } from '../../estimate/schema.ts';
import { ccfvDataFromInput, type CcfvData } from './ccfvData.ts';
import { CcfvPrepared, type CcfvDistance, type WarnFn } from './ccfvPrepared.ts';
import { classConsistencyOfficial, classConsistencyPaper } from './classConsistency.ts';

/**
 * - official: `main.py` numerically: F_v = cal_variety of case means, W₂ via scipy-style sqrtm, C_cons with the
 *   (1 + 2/(N²K)) quirk, T = Σ_ℓ log(F_v/C_cons).
 * - official_symmetric_sqrtm: the same with the stable symmetric PSD root.
 * - paper: eq. 1–5: F_v = (1/N) Σ_i 1/E₁(X_i) (ordered pairs), C_cons = mean over case pairs summed over classes,
 *   W₂ symmetric, T = mean_ℓ log(F_v/C_cons).
 * - paper_unit_sphere: paper with the rows projected on the unit sphere before E₁.
 * Cost: the symmetric W₂ is ≈ D³ multiply-adds per case pair and class (per-case factors reused); the scipy-style
 * one ('official') needs a nonsymmetric eigenvalue solve of Σ_iΣ_j per pair, several times slower: prefer
 * official_symmetric_sqrtm for large D (same value to ≤ ~1e-8 relative, see w2Gaussian.ts). The paper F_v is
 * O(n²·D) per case (all pairs of sampled rows).
 */
export type CcfvVariant = 'official' | 'official_symmetric_sqrtm' | 'paper' | 'paper_unit_sphere';

/**
 * Paper Table 2 ablations, applied on top of the chosen variant:
 * - without_ccons: log_ratio = log F_v;  without_fv: log_ratio = −log C_cons;
 * - single_scale: only layer `singleScaleLayer` (default: the last one, "the layer before the final convolution");
 * - kl_divergence / bhattacharyya: the symmetric KL ((KL(i‖j) + KL(j‖i))/2) or the Bhattacharyya distance between
 *   the per-case Gaussians in place of W₂ (singular covariances regularised, see gaussianDivergences.ts; warned).
 */
export type CcfvAblation = 'none' | 'without_ccons' | 'without_fv' | 'single_scale' | 'kl_divergence' | 'bhattacharyya';

export interface CcfvOptions {
  variant?: CcfvVariant;
  ablation?: CcfvAblation;
  /** Layer index for 'single_scale' (default: last layer). */
  singleScaleLayer?: number;
}

export interface CcfvLayerResult {
  name: string;
  /** Feature variety of the layer (official: cal_variety; paper: mean inverse energy). */
  fv: number;
  /** Class consistency of the layer. */
  ccons: number;
  /** The layer's term of T (log(F_v/C_cons), or its ablated form). */
  logRatio: number;
  /** S_k = Σ_{i<j} dist(F_i^k, F_j^k) for k = 1..K. */
  classPairSums: number[];
  distance: CcfvDistance;
}

export interface CcfvResult {
  variant: CcfvVariant;
  ablation: CcfvAblation;
  /** T: Σ over layers (official variants) or mean (paper variants). NaN when any layer term is NaN. */
  total: number;
  layers: CcfvLayerResult[];
  warnings: TeWarning[];
}

/** CC-FV from the schema input (validates; throws TeError on bad input). */
export function ccfv(input: CcfvInput, options: CcfvOptions = {}, onWarning?: WarnFn): CcfvResult {
  return ccfvFromData(ccfvDataFromInput(input), options, onWarning);
}

export function ccfvFromData(data: CcfvData, options: CcfvOptions = {}, onWarning?: WarnFn): CcfvResult {
  return ccfvFromPrepared(new CcfvPrepared(data, onWarning), options);
}

/** Reuse one `CcfvPrepared` to compute several variants/ablations without refitting or recomputing distances. */
export function ccfvFromPrepared(prep: CcfvPrepared, options: CcfvOptions = {}): CcfvResult {
  const variant = options.variant ?? 'official';
  const ablation = options.ablation ?? 'none';
  const official = variant === 'official' || variant === 'official_symmetric_sqrtm';
  const distance = distanceOf(variant, ablation);
  const nLayers = prep.data.layers.length;
  let layerIdx = Array.from({ length: nLayers }, (_, i) => i);
  if (ablation === 'single_scale') {
    const l = options.singleScaleLayer ?? nLayers - 1;
    if (!Number.isInteger(l) || l < 0 || l >= nLayers) throw new RangeError(`ccfv: singleScaleLayer ${l} is not in 0..${nLayers - 1}`);
    layerIdx = [l];
  }
  const layers = layerIdx.map((l) => {
    const sums = prep.pairSums(l, distance);
    const ccons = official ? classConsistencyOfficial(sums, prep.nCases) : classConsistencyPaper(sums, prep.nCases);
    const fv = official ? prep.fvOfficial(l) : prep.fvPaper(l, variant === 'paper_unit_sphere');
    const logRatio = ablation === 'without_ccons' ? Math.log(fv) : ablation === 'without_fv' ? -Math.log(ccons) : Math.log(fv / ccons);
    if (ccons === 0 && ablation !== 'without_ccons') {
      prep.warn({ code: 'nan-result', message: `ccfv layer ${prep.data.layers[l].name}: C_cons = 0 (every case has the same class Gaussians), log ratio is +∞`, detail: { layer: prep.data.layers[l].name } });
    }
    return { name: prep.data.layers[l].name, fv, ccons, logRatio, classPairSums: sums, distance };
  });
  let total = 0;
  for (const r of layers) total += r.logRatio;
  if (!official) total /= layers.length;
  return { variant, ablation, total, layers, warnings: prep.warnings.slice() };
}

function distanceOf(variant: CcfvVariant, ablation: CcfvAblation): CcfvDistance {
  if (ablation === 'kl_divergence') return 'kl';
  if (ablation === 'bhattacharyya') return 'bhattacharyya';
  return variant === 'official' ? 'w2_scipy' : 'w2_symmetric';
}

export { CcfvPrepared };
