// One full MetaLR iteration (spec §12) on the tanh MLP: train gradient, look-ahead, validation gradient
// there, per-group meta-gradient and LR update (either rule), then the SGD step θ − α_new g (Adam not modelled).
import { TeError } from '../errors.ts';
import { metalrLrUpdate, lookAheadSign, type MetalrRule } from './metalr.ts';
import { mlpAxpy, mlpLossAndGrad, mlpTensors, type MlpParams } from './tanhMlp.ts';

export interface Batch { x: Float64Array; y: ArrayLike<number> }

export interface MetalrStepResult {
  gradTrainNorms: number[];
  /** ⟨∇_j L_val(θ̂), ∇_j L_train(θ)⟩ per group. */
  dots: number[];
  metaGrad: number[];
  newLrs: number[];
  newTheta: MlpParams;
  valLossAtLookahead: number;
}

/** LR groups as tensor names: 2 LRs → per layer ([W1,b1], [W2,b2?]); one LR per tensor otherwise. */
export function mlpGroups(p: MlpParams, numLrs: number): string[][] {
  const names = mlpTensors(p).map(([n]) => n);
  if (numLrs === 2) return [names.filter((n) => n.endsWith('1')), names.filter((n) => n.endsWith('2'))];
  if (numLrs === names.length) return names.map((n) => [n]);
  throw new TeError('shape-mismatch', `MetaLR: ${numLrs} learning rates; the MLP takes 2 (per layer) or ${names.length} (per tensor)`);
}

function flatGroups(g: MlpParams, groups: string[][]): Float64Array[] {
  const byName = new Map(mlpTensors(g));
  return groups.map((names) => {
    const parts = names.map((n) => byName.get(n) as Float64Array);
    const out = new Float64Array(parts.reduce((s, v) => s + v.length, 0));
    let o = 0;
    for (const v of parts) { out.set(v, o); o += v.length; }
    return out;
  });
}

function checkBatch(b: Batch, p: MlpParams, what: string): void {
  if (b.x.length !== b.y.length * p.d) throw new TeError('shape-mismatch', `MetaLR: ${what} has ${b.x.length} inputs for ${b.y.length} labels of dimension ${p.d}`);
  if (b.y.length === 0) throw new TeError('too-few-samples', `MetaLR: ${what} is empty`);
  for (let i = 0; i < b.y.length; i++) {
    if (!Number.isInteger(b.y[i]) || b.y[i] < 0 || b.y[i] >= p.c) throw new TeError('invalid-input', `MetaLR: ${what} label ${b.y[i]} is not a class 0..${p.c - 1}`, { index: i });
  }
  if (b.x.some((v) => !Number.isFinite(v))) throw new TeError('non-finite', `MetaLR: ${what} has non-finite inputs`);
}

export function metalrStep(rule: MetalrRule, theta: MlpParams, train: Batch, val: Batch, lrs: number[], eta: number): MetalrStepResult {
  checkBatch(train, theta, 'training batch');
  checkBatch(val, theta, 'validation batch');
  const groups = mlpGroups(theta, lrs.length);
  const lrOf = (newLrs: number[]) => (name: string) => newLrs[groups.findIndex((g) => g.includes(name))];
  const g = mlpLossAndGrad(theta, train.x, train.y).grad;
  const s = lookAheadSign(rule);
  const lookahead = mlpAxpy(theta, g, (name) => s * lrOf(lrs)(name));
  const v = mlpLossAndGrad(lookahead, val.x, val.y);
  const gFlat = flatGroups(g, groups);
  const upd = metalrLrUpdate(rule, lrs, gFlat, flatGroups(v.grad, groups), eta);
  const newTheta = mlpAxpy(theta, g, (name) => -lrOf(upd.newLrs)(name));
  return {
    gradTrainNorms: gFlat.map((f) => Math.sqrt(f.reduce((acc, e) => acc + e * e, 0))),
    dots: upd.dots,
    metaGrad: upd.metaGrad,
    newLrs: upd.newLrs,
    newTheta,
    valLossAtLookahead: v.loss,
  };
}
