// Estimate section for MetaLR (spec §12): one iteration of both rules on the 2-layer tanh MLP when
// theta and the two batches are present, and the bare LR update rules when `update_rule_only` is.
import { TeError } from '../errors.ts';
import { metalrLrUpdate, type MetalrRule } from '../finetune/metalr.ts';
import { metalrStep } from '../finetune/metalrStep.ts';
import type { MlpParams } from '../finetune/tanhMlp.ts';
import type { EstimateSection, VectorInput } from './schema.ts';

/** η of the official code's default `--hyper-lr`, used when the input gives none. */
export const DEFAULT_ETA = 0.1;
/** η of the `paper_small_eta` output: the paper rule in the regime where the 1e-6 floor is not hit. */
export const SMALL_ETA = 1e-3;

function vec(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number' && e !== null)) throw new TeError('invalid-input', `${what} must be an array of numbers`);
  const out = v.map((e) => (e === null ? NaN : (e as number)));
  if (out.some((e) => !Number.isFinite(e))) throw new TeError('non-finite', `${what} has non-finite values`);
  return out;
}

function matrix(v: unknown, what: string): { rows: number; cols: number; data: Float64Array } {
  if (!Array.isArray(v)) throw new TeError('invalid-input', `${what} must be an array of rows`);
  const rows = v.map((r, i) => vec(r, `${what}[${i}]`));
  const cols = rows.length > 0 ? rows[0].length : 0;
  rows.forEach((r, i) => { if (r.length !== cols) throw new TeError('shape-mismatch', `${what}[${i}] has ${r.length} values, row 0 has ${cols}`); });
  return { rows: rows.length, cols, data: Float64Array.from(rows.flat()) };
}

function toMlp(theta: Record<string, unknown>): MlpParams {
  const W1 = matrix(theta.W1, 'theta.W1'), W2 = matrix(theta.W2, 'theta.W2');
  const b1 = vec(theta.b1, 'theta.b1');
  const b2 = theta.b2 === undefined ? undefined : vec(theta.b2, 'theta.b2');
  if (b1.length !== W1.cols || W2.rows !== W1.cols || (b2 && b2.length !== W2.cols)) {
    throw new TeError('shape-mismatch', `theta: W1 ${W1.rows}×${W1.cols}, b1 ${b1.length}, W2 ${W2.rows}×${W2.cols}${b2 ? `, b2 ${b2.length}` : ''} do not chain`);
  }
  return { d: W1.rows, h: W1.cols, c: W2.cols, W1: W1.data, b1: Float64Array.from(b1), W2: W2.data, b2: b2 ? Float64Array.from(b2) : undefined };
}

function rowsOf(data: Float64Array, cols: number): number[][] {
  return Array.from({ length: data.length / cols }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
}

function stepOutput(rule: MetalrRule, input: VectorInput, eta: number): Record<string, unknown> {
  const theta = toMlp(input.theta as Record<string, unknown>);
  const xt = matrix(input.x_train, 'x_train'), xv = matrix(input.x_val, 'x_val');
  const r = metalrStep(rule, theta, { x: xt.data, y: vec(input.y_train, 'y_train') }, { x: xv.data, y: vec(input.y_val, 'y_val') }, vec(input.lrs, 'lrs'), eta);
  const t = r.newTheta;
  const newTheta: Record<string, unknown> = { W1: rowsOf(t.W1, t.h), b1: Array.from(t.b1), W2: rowsOf(t.W2, t.c) };
  if (t.b2) newTheta.b2 = Array.from(t.b2);
  return {
    grad_train_norms: r.gradTrainNorms,
    grad_val_at_lookahead_dot_grad_train: r.dots,
    meta_grad: r.metaGrad,
    new_lrs: r.newLrs,
    new_theta: newTheta,
    val_loss_at_lookahead: r.valLossAtLookahead,
  };
}

function ruleOnly(u: Record<string, unknown>, eta: number): Record<string, unknown> {
  const gt = (Array.isArray(u.g_train) ? u.g_train : []).map((g, j) => vec(g, `update_rule_only.g_train[${j}]`));
  const gv = (Array.isArray(u.g_val_lookahead) ? u.g_val_lookahead : []).map((g, j) => vec(g, `update_rule_only.g_val_lookahead[${j}]`));
  const lrs = vec(u.lrs, 'update_rule_only.lrs');
  const one = (rule: MetalrRule, e: number) => {
    const r = metalrLrUpdate(rule, lrs, gt, gv, e);
    return { eta: e, meta_grad: r.metaGrad, new_lrs: r.newLrs };
  };
  return { paper: one('paper', eta), official: one('official', eta), paper_small_eta: one('paper', SMALL_ETA) };
}

export const estimateMetalr: EstimateSection = (input, warn) => {
  const out: Record<string, unknown> = {};
  const etaOf = (v: unknown): number => {
    if (v === undefined || v === null) { warn(`MetaLR: no eta given, using the official default ${DEFAULT_ETA}`); return DEFAULT_ETA; }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TeError('invalid-input', 'eta must be a finite number');
    return v;
  };
  const stepKeys = ['theta', 'x_train', 'y_train', 'x_val', 'y_val', 'lrs'] as const;
  if (stepKeys.every((k) => input[k] !== undefined)) {
    const eta = etaOf(input.eta);
    out.paper = stepOutput('paper', input, eta);
    out.official = stepOutput('official', input, eta);
  }
  const u = input.update_rule_only;
  if (u !== undefined && u !== null) {
    if (typeof u !== 'object') throw new TeError('invalid-input', 'update_rule_only must be an object {g_train, g_val_lookahead, lrs}');
    out.update_rule_only = ruleOnly(u, etaOf(u.eta ?? input.eta));
  }
  return out;
};
