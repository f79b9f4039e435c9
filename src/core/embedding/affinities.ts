// Sparse t-SNE input affinities P (van der Maaten 2014 §4.1, as sklearn 1.2's _joint_probabilities_nn):
// conditional p_{j|i} over the k = min(n − 1, ⌊3·perplexity + 1⌋) exact nearest neighbours, σ_i by binary
// search on β = 1/(2σ_i²) until the entropy matches log(perplexity), then P = (C + Cᵀ) / Σ(C + Cᵀ) in CSR.
import { exactKnn, type Knn } from './knn.ts';

/** Symmetric sparse matrix in compressed-row form; each row's columns ascending. */
export interface SparseP {
  n: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

const PERPLEXITY_TOLERANCE = 1e-5;
const STEPS = 100;
const EPSILON_DBL = 1e-8;
const MACHINE_EPSILON = 2.220446049250313e-16;

/** Neighbours sklearn uses for a perplexity: min(n − 1, ⌊3·perplexity + 1⌋). */
export function neighboursFor(n: number, perplexity: number): number {
  return Math.min(n - 1, Math.floor(3 * perplexity + 1));
}

/**
 * Conditional probabilities p_{j|i} (n×k, rows sum to 1) from squared neighbour distances, with the
 * same β search as sklearn's _binary_search_perplexity (start β = 1, double/halve until bracketed,
 * then bisect; natural-log entropy; at most 100 steps; tolerance 1e-5).
 */
export function conditionalProbabilities(sqDistances: Float64Array, n: number, k: number, perplexity: number): Float64Array {
  const p = new Float64Array(n * k);
  const target = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let beta = 1, betaMin = -Infinity, betaMax = Infinity;
    for (let step = 0; step < STEPS; step++) {
      let sum = 0;
      for (let a = 0; a < k; a++) {
        const v = Math.exp(-sqDistances[o + a] * beta);
        p[o + a] = v;
        sum += v;
      }
      if (sum === 0) sum = EPSILON_DBL;
      let sumDP = 0;
      for (let a = 0; a < k; a++) {
        p[o + a] /= sum;
        sumDP += sqDistances[o + a] * p[o + a];
      }
      const diff = Math.log(sum) + beta * sumDP - target;
      if (Math.abs(diff) <= PERPLEXITY_TOLERANCE) break;
      if (diff > 0) {
        betaMin = beta;
        beta = betaMax === Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin === -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
  }
  return p;
}

/** P = (C + Cᵀ) / Σ(C + Cᵀ) as CSR, where C is the n×k conditional matrix on the kNN graph. */
export function symmetrise(cond: Float64Array, knn: Knn, n: number): SparseP {
  const { k, indices: nb } = knn;
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    count[i] += k;
    for (let a = 0; a < k; a++) count[nb[i * k + a]]++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + count[i];
  const fill = start.slice(0, n);
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const j = nb[i * k + a], v = cond[i * k + a];
      cols[fill[i]] = j; vals[fill[i]++] = v;
      cols[fill[j]] = i; vals[fill[j]++] = v;
      total += 2 * v;
    }
  }
  return mergeRows(n, start, cols, vals, 1 / Math.max(total, MACHINE_EPSILON));
}

/** Sorts each row by column, adds duplicate (i, j) entries and scales by `scale`. */
function mergeRows(n: number, start: Int32Array, cols: Int32Array, vals: Float64Array, scale: number): SparseP {
  const indptr = new Int32Array(n + 1);
  const outCols = new Int32Array(cols.length);
  const outVals = new Float64Array(cols.length);
  let w = 0;
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    indptr[i] = w;
    order.length = 0;
    for (let e = start[i]; e < start[i + 1]; e++) order.push(e);
    order.sort((a, b) => cols[a] - cols[b]);
    for (let t = 0; t < order.length; t++) {
      const e = order[t];
      if (w > indptr[i] && outCols[w - 1] === cols[e]) outVals[w - 1] += vals[e] * scale;
      else { outCols[w] = cols[e]; outVals[w++] = vals[e] * scale; }
    }
  }
  indptr[n] = w;
  return { n, indptr, indices: outCols.slice(0, w), values: outVals.slice(0, w) };
}

/** The whole pipeline: exact kNN, β search, symmetrisation. `x` is n×dim row-major float64. */
export function jointProbabilities(x: Float64Array, n: number, dim: number, perplexity: number): SparseP {
  const k = neighboursFor(n, perplexity);
  const knn = exactKnn(x, n, dim, k);
  const cond = conditionalProbabilities(knn.sqDistances, n, k, perplexity);
  return symmetrise(cond, knn, n);
}
