// Streaming, seeded Barnes-Hut t-SNE (van der Maaten 2014; the optimiser of sklearn 1.2's TSNE) for the
// workbench's t-SNE view (issue 5 item 5): createTsne(points, n, dim, opts) → step(k) / embedding().
//
// Hand-written because no npm t-SNE is usable at 10 000 points (shared/docs/browser-stack.md §7): the pure
// JS ones are exact O(N²) and crash (druidjs) or take minutes to hours (@keckelt/tsne, tsne-js), and
// wasm-bhtsne does not run in Node (so cannot be unit-tested), has no seed and needs input scaled to
// [−1, 1]. This one is pure TypeScript on flat typed arrays, so it runs in a Web Worker and in Node.
import { TeError, type TeWarning } from '../errors.ts';
import { createRng } from '../sampling/rng.ts';
import { jointProbabilities, type SparseP } from './affinities.ts';
import { gradientScratch, tsneGradient } from './gradient.ts';
import { pcaInit, randomInit } from './init.ts';

export interface TsneOptions {
  /** Effective number of neighbours (default 30); must be < n (sklearn), clamped with a warning otherwise. */
  perplexity?: number;
  /** Factor on P during the first `explorationIterations` (default 12). */
  earlyExaggeration?: number;
  /** Step size; 'auto' (default) is sklearn's max(n / earlyExaggeration / 4, 50). */
  learningRate?: number | 'auto';
  /** Total iterations (default 1000). */
  iterations?: number;
  /** Early-exaggeration iterations, momentum 0.5; then momentum 0.8 (default 250). */
  explorationIterations?: number;
  /** Barnes-Hut angle θ in [0, 1] (default 0.5; 0 = exact gradient, O(n²)). */
  theta?: number;
  /** 'pca' (default, sklearn 1.2's default plus a 1e-3 relative seeded jitter), 'random', or an n×2 layout. */
  init?: 'pca' | 'random' | Float64Array;
  /** Seed of the initial layout (default 0). */
  seed?: number;
  /** Stop after this many iterations without a lower error, checked every 50 (default 300, as sklearn). */
  iterationsWithoutProgress?: number;
  /** Stop when the gain-scaled gradient norm falls below this, checked every 50 (default 1e-7). */
  minGradNorm?: number;
  /** Receives recoverable oddities (a perplexity clamped to what n allows). */
  warn?: (w: TeWarning) => void;
}

export interface Tsne {
  /** Runs up to `iterations` (default 1) more gradient-descent iterations; a no-op once done. */
  step(iterations?: number): void;
  /** A copy of the current layout, n×2 row-major (x0, y0, x1, y1, …). */
  embedding(): Float64Array;
  /** Iterations run so far. */
  readonly iteration: number;
  /** True after the last iteration or an early stop (no progress, vanishing gradient). */
  readonly done: boolean;
  /** sklearn's error estimate at the last check (every 50 iterations; includes exaggeration); NaN before. */
  readonly klDivergence: number;
  /** The symmetric input affinities P (read-only; for diagnostics and tests). */
  readonly affinities: SparseP;
}

const CHECK_EVERY = 50;
const MIN_GAIN = 0.01;
/** sklearn's n_iter_without_progress during exploration (its _EXPLORATION_N_ITER). */
const EXPLORATION_PATIENCE = 250;

interface Resolved {
  perplexity: number; exaggeration: number; learningRate: number; iterations: number; exploration: number;
  theta: number; patience: number; minGradNorm: number;
}

function toFloat64(points: Float64Array | Float32Array, n: number, dim: number): Float64Array {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || dim < 1) throw new TeError('invalid-input', `t-SNE: n = ${n} and dim = ${dim} must be positive integers`);
  if (n < 4) throw new TeError('too-few-samples', `t-SNE needs at least 4 points, got ${n}`, { n });
  if (points.length !== n * dim) throw new TeError('shape-mismatch', `t-SNE: ${points.length} values for ${n} points × ${dim} dims (expected ${n * dim})`, { n, dim, length: points.length });
  const x = points instanceof Float64Array ? points : Float64Array.from(points);
  for (let a = 0; a < x.length; a++) {
    if (!Number.isFinite(x[a])) {
      const i = Math.floor(a / dim);
      throw new TeError('non-finite', `t-SNE: point ${i} has a non-finite feature (${x[a]}) at dimension ${a % dim}`, { point: i, dimension: a % dim });
    }
  }
  return x;
}

function positive(name: string, v: number, integer = false): number {
  if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw new TeError('invalid-input', `t-SNE: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  return v;
}

function resolve(n: number, o: TsneOptions): Resolved {
  let perplexity = positive('perplexity', o.perplexity ?? 30);
  if (perplexity >= n) {
    const clamped = Math.max(1, (n - 1) / 3);
    o.warn?.({ code: 'invalid-input', message: `t-SNE: perplexity ${perplexity} must be below the number of points (${n}); using ${clamped.toFixed(2)}`, detail: { perplexity, n, used: clamped } });
    perplexity = clamped;
  }
  const exaggeration = positive('earlyExaggeration', o.earlyExaggeration ?? 12);
  const lr = o.learningRate ?? 'auto';
  const learningRate = lr === 'auto' ? Math.max(n / exaggeration / 4, 50) : positive('learningRate', lr);
  const iterations = positive('iterations', o.iterations ?? 1000, true);
  const exploration = o.explorationIterations ?? 250;
  if (!Number.isInteger(exploration) || exploration < 0) throw new TeError('invalid-input', `t-SNE: explorationIterations must be an integer ≥ 0, got ${exploration}`);
  const theta = o.theta ?? 0.5;
  if (!(theta >= 0 && theta <= 1)) throw new TeError('invalid-input', `t-SNE: theta must be in [0, 1], got ${theta}`);
  const patience = positive('iterationsWithoutProgress', o.iterationsWithoutProgress ?? 300, true);
  const minGradNorm = o.minGradNorm ?? 1e-7;
  if (!(minGradNorm >= 0)) throw new TeError('invalid-input', `t-SNE: minGradNorm must be ≥ 0, got ${minGradNorm}`);
  return { perplexity, exaggeration, learningRate, iterations, exploration, theta, patience, minGradNorm };
}

function initialLayout(x: Float64Array, n: number, dim: number, o: TsneOptions): Float64Array {
  const rng = createRng(o.seed ?? 0);
  const init = o.init ?? 'pca';
  if (init === 'pca') return pcaInit(x, n, dim, rng);
  if (init === 'random') return randomInit(n, rng);
  if (init.length !== 2 * n) throw new TeError('shape-mismatch', `t-SNE: init has ${init.length} values, expected ${2 * n} (n × 2)`);
  if (!init.every(Number.isFinite)) throw new TeError('non-finite', 't-SNE: init has non-finite values');
  return Float64Array.from(init);
}

/** Prepares P (exact kNN, O(n²·dim)) and the initial layout; the descent runs in `step`. */
export function createTsne(points: Float64Array | Float32Array, n: number, dim: number, opts: TsneOptions = {}): Tsne {
  const x = toFloat64(points, n, dim);
  const r = resolve(n, opts);
  const p = jointProbabilities(x, n, dim, r.perplexity);
  const y = initialLayout(x, n, dim, opts);
  const grad = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  const scratch = gradientScratch(p);
  const s = { iteration: 0, done: false, kl: NaN, bestError: Infinity, bestIter: 0, exploring: true };

  /** One iteration i of sklearn's _gradient_descent; a new stage resets update, gains and the best error. */
  const iterate = (): void => {
    const i = s.iteration;
    if (s.exploring && i >= r.exploration) {
      s.exploring = false;
      update.fill(0); gains.fill(1); s.bestError = Infinity; s.bestIter = i;
    }
    const exploring = s.exploring;
    const check = (i + 1) % CHECK_EVERY === 0 || i === r.iterations - 1;
    const err = tsneGradient(p, y, r.theta, exploring ? r.exaggeration : 1, grad, scratch, check);
    const momentum = exploring ? 0.5 : 0.8;
    let norm2 = 0;
    for (let a = 0; a < 2 * n; a++) {
      const g = grad[a];
      let gain = update[a] * g < 0 ? gains[a] + 0.2 : gains[a] * 0.8;
      if (gain < MIN_GAIN) gain = MIN_GAIN;
      gains[a] = gain;
      const sg = g * gain;
      norm2 += sg * sg;
      update[a] = momentum * update[a] - r.learningRate * sg;
      y[a] += update[a];
    }
    if (!Number.isFinite(norm2)) {
      s.done = true;
      throw new TeError('not-converged', `t-SNE diverged at iteration ${i} (non-finite gradient); use a smaller learning rate`, { iteration: i, learningRate: r.learningRate });
    }
    s.iteration = i + 1;
    if (s.iteration >= r.iterations) s.done = true;
    if (!check) return;
    s.kl = err;
    const patience = exploring ? EXPLORATION_PATIENCE : r.patience;
    if (err < s.bestError) { s.bestError = err; s.bestIter = i; }
    else if (i - s.bestIter > patience) stopStage();
    if (Math.sqrt(norm2) <= r.minGradNorm) stopStage();
  };
  /** sklearn breaks out of the current stage: exploration goes on with the main stage, the main stage ends. */
  const stopStage = (): void => {
    if (s.exploring) r.exploration = s.iteration;
    else s.done = true;
  };

  return {
    step(iterations = 1) {
      for (let t = 0; t < iterations && !s.done; t++) iterate();
    },
    embedding: () => Float64Array.from(y),
    get iteration() { return s.iteration; },
    get done() { return s.done; },
    get klDivergence() { return s.kl; },
    affinities: p,
  };
}
