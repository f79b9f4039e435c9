// Gaussians fitted to one sample set (mean, np.cov with ddof = 1) and the per-case covariance factors that make
// W₂ cheap: Σ = Gᵀ G, computed once per case and reused for every case pair (estimators-spec §2.3).
import { cholesky } from '../../linalg/cholesky.ts';
import { classGrams } from '../../linalg/classScatter.ts';
import { mat, type Mat } from '../../linalg/matrix.ts';
import { symmetricEigen } from '../../linalg/symmetricEigen.ts';

/**
 * How Σ (D×D) is factored (rows of G are D-vectors, Σ = Gᵀ G):
 * - 'triangular' (n − 1 ≥ D and Cholesky succeeds): `g` = Lᵀ (upper triangular, Σ = L Lᵀ) and `u` = U
 *   (upper triangular, Σ = U Uᵀ). For two such factors L_iᵀ U_j is upper triangular and has the singular values
 *   of G_i G_jᵀ, which cuts the pair product from D³ to D³/6 multiply-adds.
 * - 'samples' (n − 1 < D): G = the centred rows reduced to n − 1 rows (see samplesFactor) / √(n − 1): exact.
 * - 'eigen' (n − 1 ≥ D but Σ numerically singular, e.g. dead channels): G = Λ^{1/2} Vᵀ on the eigenvalues
 *   λ > D·ε·λ_max (the rest is rounding noise of zero eigenvalues), r × D.
 */
export interface CovFactor {
  /** Rows of g live in the kept channels only (length = keep.length). */
  kind: 'triangular' | 'samples' | 'eigen';
  rank: number; // rows of g
  g: Float64Array; // rank × D, row-major
  u?: Float64Array; // D × D upper triangular U with Σ = U Uᵀ, only for 'triangular'
}

export interface FittedGaussian {
  n: number;
  d: number;
  mean: Float64Array;
  /** D×D covariance (ddof = 1); every entry NaN when n < 2. */
  cov: Mat;
  traceCov: number;
  /** 1 where the channel is constant over the samples (dead ReLU channel): its variance is exactly 0. */
  constant: Uint8Array;
  /** Channels used by the factor; set for a whole group by `setCommonChannels` (default: all). */
  keep?: Int32Array;
  /** Cached factor and the channel set it was built on. */
  factor?: CovFactor;
  factorKeep?: Int32Array;
  /** Centred samples (only when n − 1 < D), for the 'samples' factor. */
  centredRows?: Float64Array;
}

/** Cholesky pivots below this fraction of max diag(Σ) mean "numerically singular" → eigen factor instead. */
const CHOLESKY_REL_TOL = 1e-12;

/** The Gaussian of all rows of x (rows = samples). */
export function fitGaussian(x: Mat): FittedGaussian {
  return fitClassGaussians(x, new Int32Array(x.rows).fill(1), 1)[0];
}

/**
 * The Gaussians of classes 1..K of one case (rows with other labels, e.g. background 0, are skipped), from ONE pass
 * over the rows (classGrams' blocked rank-8 updates on class-centred rows). Σ_k = scatter / (n_k − 1): np.cov with
 * ddof = 1; mean and Σ are NaN for an absent class, Σ is NaN for a class with one row (as in numpy).
 */
export function fitClassGaussians(x: Mat, labels: Int32Array, numClasses: number): FittedGaussian[] {
  const d = x.cols, X = x.data;
  const counts = new Float64Array(numClasses);
  const means = new Float64Array(numClasses * d);
  const idx: number[] = [], lab: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    const k = labels[r] - 1;
    if (k < 0 || k >= numClasses) continue;
    idx.push(r);
    lab.push(k);
    counts[k]++;
    for (let j = 0; j < d; j++) means[k * d + j] += X[r * d + j];
  }
  for (let k = 0; k < numClasses; k++) for (let j = 0; j < d; j++) means[k * d + j] /= counts[k];
  const { grams } = classGrams(idx.length, d, Int32Array.from(lab), numClasses, (i, dst, off) => {
    const r = idx[i] * d, m = lab[i] * d;
    for (let j = 0; j < d; j++) dst[off + j] = X[r + j] - means[m + j];
  });
  return grams.map((gram, k) => {
    const n = counts[k], mean = means.slice(k * d, (k + 1) * d);
    let traceCov = 0;
    for (let i = 0; i < d * d; i++) gram[i] = n > 1 ? gram[i] / (n - 1) : NaN;
    for (let i = 0; i < d; i++) traceCov += gram[i * d + i];
    const rows = idx.filter((_, i) => lab[i] === k);
    const constant = new Uint8Array(d).fill(1);
    for (const r of rows) for (let j = 0; j < d; j++) if (X[r * d + j] !== X[rows[0] * d + j]) constant[j] = 0;
    const g: FittedGaussian = { n, d, mean, cov: mat(d, d, gram), traceCov, constant };
    if (n >= 2 && n - 1 < d) {
      const c = new Float64Array(n * d);
      rows.forEach((r, i) => { for (let j = 0; j < d; j++) c[i * d + j] = X[r * d + j] - mean[j]; });
      g.centredRows = c;
    }
    return g;
  });
}

/**
 * Channels not constant in at least one of `gs` (exact: a channel constant in every Gaussian has zero variance
 * in all of them, so dropping it changes no tr((Σ_iΣ_j)^{1/2})); sets it as `keep` on each, shared by reference.
 */
export function setCommonChannels(gs: FittedGaussian[]): Int32Array {
  const keep = commonChannels(gs);
  for (const g of gs) g.keep = keep;
  return keep;
}

export function commonChannels(gs: FittedGaussian[]): Int32Array {
  const d = gs[0].d, idx: number[] = [];
  for (let j = 0; j < d; j++) if (gs.some((g) => g.constant[j] === 0)) idx.push(j);
  return Int32Array.from(idx);
}

/** The factor of Σ restricted to `keep` (cached per channel set). Requires n ≥ 2. */
export function covFactor(g: FittedGaussian, keep: Int32Array = g.keep ?? commonChannels([g])): CovFactor {
  if (g.factor && g.factorKeep === keep) return g.factor;
  g.factor = buildFactor(g, keep);
  g.factorKeep = keep;
  return g.factor;
}

function buildFactor(g: FittedGaussian, keep: Int32Array): CovFactor {
  const d = keep.length, full = g.d;
  if (d === 0) return { kind: 'eigen', rank: 0, g: new Float64Array(0) };
  if (g.centredRows && g.n - 1 < d) return samplesFactor(g.centredRows, g.n, full, keep);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] = g.cov.data[keep[i] * full + keep[j]];
  const l = cholesky(cov, d, CHOLESKY_REL_TOL);
  const rev = l && cholesky(reversed(cov, d), d, CHOLESKY_REL_TOL);
  if (l && rev) return { kind: 'triangular', rank: d, g: transposeSquare(l, d), u: upperFromReversed(rev, d) };
  return eigenFactor(cov, d);
}

/**
 * The n centred rows span at most n − 1 dimensions (they sum to 0). A Householder reflection H mapping 𝟙/√n to
 * e_{n−1} makes the last row of H X_c exactly that sum (≈ 0), which is dropped: G = (H X_c)[0..n−2] / √(n − 1),
 * (n − 1) × D with GᵀG = Σ. Keeping the zero row would add a zero eigenvalue whose rounding noise (±ε·λ_max)
 * contributes √(ε·λ_max) ≈ 1e-8·scale to the nuclear norm.
 */
function samplesFactor(c: Float64Array, n: number, full: number, keep: Int32Array): CovFactor {
  const d = keep.length, rn = 1 / Math.sqrt(n), last = (n - 1) * full;
  const utx = new Float64Array(d); // uᵀX_c with u = 𝟙/√n − e_{n−1}
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) utx[j] += c[r * full + keep[j]] * rn;
  for (let j = 0; j < d; j++) utx[j] -= c[last + keep[j]];
  const coef = (2 * rn) / (2 - 2 * rn); // 2 u_r / uᵀu for r < n − 1
  const s = 1 / Math.sqrt(n - 1);
  const f = new Float64Array((n - 1) * d);
  for (let r = 0; r < n - 1; r++) for (let j = 0; j < d; j++) f[r * d + j] = (c[r * full + keep[j]] - coef * utx[j]) * s;
  return { kind: 'samples', rank: n - 1, g: f };
}

function eigenFactor(cov: Float64Array, d: number): CovFactor {
  const { values, vectors } = symmetricEigen(cov, d);
  const lmax = Math.max(values[d - 1], 0);
  const cut = d * 2 ** -52 * lmax;
  let first = d;
  while (first > 0 && values[first - 1] > cut) first--;
  const rank = d - first;
  const g = new Float64Array(rank * d);
  for (let k = 0; k < rank; k++) {
    const s = Math.sqrt(values[first + k]);
    const src = (first + k) * d;
    for (let j = 0; j < d; j++) g[k * d + j] = s * vectors![src + j];
  }
  return { kind: 'eigen', rank, g };
}

/** J A J (rows and columns in reverse order). */
function reversed(a: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = a[(d - 1 - i) * d + (d - 1 - j)];
  return out;
}

function transposeSquare(a: Float64Array, d: number): Float64Array {
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = a[i * d + j];
  return t;
}

/**
 * From the Cholesky factor L' of J Σ J: U = J L' J is upper triangular with Σ = U Uᵀ.
 * U[i][j] = L'[d−1−i][d−1−j] (zero for j < i).
 */
function upperFromReversed(lr: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) out[i * d + j] = lr[(d - 1 - i) * d + (d - 1 - j)];
  return out;
}
