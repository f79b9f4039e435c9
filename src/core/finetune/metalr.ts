// MetaLR learning-rate update rules (spec §12, Chen et al. MICCAI 2023) as pure functions of per-group
// gradients: the paper's additive rule and the official code's multiplicative, sign-flipped rule.
import { TeError } from '../errors.ts';

/** 'paper': Algorithm 1 / eq. 3; 'official': Schuture/MetaLR MetaLR_POCUS (train.py, meta.py). */
export type MetalrRule = 'paper' | 'official';

/** Lower LR bound of both rules ("at least 10⁻⁶", paper §2). */
export const METALR_LR_MIN = 1e-6;
/** Upper LR bound of the official code only (not in the paper). */
export const METALR_LR_MAX_OFFICIAL = 1e-2;

/** Sign s of the look-ahead θ̂ = θ + s·α·g: paper −1 (descent), official +1 (`parameter.sub(-lr * grad)`). */
export function lookAheadSign(rule: MetalrRule): -1 | 1 {
  return rule === 'paper' ? -1 : 1;
}

/** ⟨a_j, b_j⟩ per LR group j (each group one flat vector: its parameter tensors concatenated). */
export function groupDots(a: ArrayLike<number>[], b: ArrayLike<number>[]): number[] {
  if (a.length !== b.length) throw new TeError('shape-mismatch', `MetaLR: ${a.length} train-gradient groups but ${b.length} validation-gradient groups`);
  return a.map((ga, j) => {
    const gb = b[j];
    if (ga.length !== gb.length) throw new TeError('shape-mismatch', `MetaLR: group ${j} has ${ga.length} train and ${gb.length} validation gradient entries`, { group: j });
    let s = 0;
    for (let i = 0; i < ga.length; i++) s += ga[i] * gb[i];
    if (!Number.isFinite(s)) throw new TeError('non-finite', `MetaLR: non-finite gradient in group ${j}`, { group: j });
    return s;
  });
}

/**
 * ∂L_val(θ̂)/∂α_j given d_j = ⟨∇_j L_val(θ̂), g_j⟩. θ̂ is linear in α, so this is exact:
 * paper (θ̂ = θ − αg): −d_j; official (θ̂ = θ + αg): +d_j.
 */
export function metaGradient(rule: MetalrRule, dots: number[]): number[] {
  const s = lookAheadSign(rule);
  return dots.map((d) => s * d);
}

/**
 * New LRs from the meta-gradient. paper: α ← max(α − η·m, 1e-6) = max(α + η d, 1e-6);
 * official: α ← clip(α·(1 − η·m), 1e-6, 1e-2) = clip(α(1 − η d), …).
 * `lrMax` (optional, a product option, not in the paper): an upper clip for either rule; the paper rule has none, and on
 * the demo bank its LRs grew from 1e-3 to O(1) within 15 steps (docs/lab/scheme-comparison.md).
 */
export function updateLrs(rule: MetalrRule, lrs: number[], metaGrad: number[], eta: number, lrMax?: number): number[] {
  if (lrs.length !== metaGrad.length) throw new TeError('shape-mismatch', `MetaLR: ${lrs.length} learning rates for ${metaGrad.length} groups`);
  if (!Number.isFinite(eta) || lrs.some((a) => !Number.isFinite(a))) throw new TeError('non-finite', 'MetaLR: learning rates and eta must be finite');
  if (lrMax !== undefined && !(lrMax > METALR_LR_MIN)) throw new TeError('invalid-input', `MetaLR: the LR clip ${lrMax} must be above ${METALR_LR_MIN}`);
  const max = lrMax ?? (rule === 'paper' ? Infinity : METALR_LR_MAX_OFFICIAL);
  return lrs.map((a, j) =>
    Math.min(rule === 'paper'
      ? Math.max(a - eta * metaGrad[j], METALR_LR_MIN)
      : Math.max(a * (1 - metaGrad[j] * eta), METALR_LR_MIN), max));
}

export interface MetalrLrUpdate { dots: number[]; metaGrad: number[]; newLrs: number[] }

/** The whole LR step from per-group train gradients g and validation gradients at the look-ahead point. */
export function metalrLrUpdate(rule: MetalrRule, lrs: number[], gTrain: ArrayLike<number>[], gValLookahead: ArrayLike<number>[], eta: number, lrMax?: number): MetalrLrUpdate {
  const dots = groupDots(gValLookahead, gTrain);
  const metaGrad = metaGradient(rule, dots);
  return { dots, metaGrad, newLrs: updateLrs(rule, lrs, metaGrad, eta, lrMax) };
}
