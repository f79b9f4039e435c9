// Gaussians fitted to one sample set (mean, np.cov with ddof = 1) and the per-case covariance factors that make
// W₂ cheap: Σ = Gᵀ G, computed once per case and reused for every case pair (estimators-spec §2.3).
import { cholesky } from '../../linalg/cholesky.ts';
import { columnMeans, covariance } from '../../linalg/covariance.ts';
import type { Mat } from '../../linalg/matrix.ts';
import { symmetricEigen } from '../../linalg/symmetricEigen.ts';

/**
 * How Σ (D×D) is factored (rows of G are D-vectors, Σ = Gᵀ G):
 * - 'triangular' (n − 1 ≥ D and Cholesky succeeds): `g` = Lᵀ (upper triangular, Σ = L Lᵀ) and `gLow` = Uᵀ
 *   (lower triangular, Σ = U Uᵀ with U upper triangular). For two such factors G_i G'_jᵀ = L_iᵀ U_j is upper
 *   triangular, which cuts the pair product from D³ to D³/6 multiply-adds.
 * - 'samples' (n − 1 < D): G = centred rows / √(n − 1), n × D: exact, no rank noise.
 * - 'eigen' (n − 1 ≥ D but Σ numerically singular, e.g. dead channels): G = Λ^{1/2} Vᵀ on the eigenvalues
 *   λ > D·ε·λ_max (the rest is rounding noise of zero eigenvalues), r × D.
 */
export interface CovFactor {
  kind: 'triangular' | 'samples' | 'eigen';
  rank: number; // rows of g
  g: Float64Array; // rank × D, row-major
  gLow?: Float64Array; // D × D, only for 'triangular'
}

export interface FittedGaussian {
  n: number;
  d: number;
  mean: Float64Array;
  /** D×D covariance (ddof = 1); every entry NaN when n < 2. */
  cov: Mat;
  traceCov: number;
  /** Filled by `covFactor` on first use. */
  factor?: CovFactor;
  /** Centred samples, kept only until the factor is built. */
  centredRows?: Float64Array;
}

/** Cholesky pivots below this fraction of max diag(Σ) mean "numerically singular" → eigen factor instead. */
const CHOLESKY_REL_TOL = 1e-12;

export function fitGaussian(x: Mat): FittedGaussian {
  const mean = columnMeans(x);
  const cov = covariance(x, { mean });
  const d = x.cols;
  let traceCov = 0;
  for (let i = 0; i < d; i++) traceCov += cov.data[i * d + i];
  const g: FittedGaussian = { n: x.rows, d, mean, cov, traceCov };
  if (x.rows >= 2 && x.rows - 1 < d) {
    const c = new Float64Array(x.rows * d);
    for (let r = 0; r < x.rows; r++) for (let j = 0; j < d; j++) c[r * d + j] = x.data[r * d + j] - mean[j];
    g.centredRows = c;
  }
  return g;
}

/** The factor of Σ (computed once, cached on the Gaussian). Requires n ≥ 2. */
export function covFactor(g: FittedGaussian): CovFactor {
  if (g.factor) return g.factor;
  const d = g.d;
  if (g.centredRows) {
    const s = 1 / Math.sqrt(g.n - 1);
    const f = new Float64Array(g.centredRows.length);
    for (let i = 0; i < f.length; i++) f[i] = g.centredRows[i] * s;
    g.centredRows = undefined;
    return (g.factor = { kind: 'samples', rank: g.n, g: f });
  }
  const l = cholesky(g.cov.data, d, CHOLESKY_REL_TOL);
  const rev = l && cholesky(reversed(g.cov.data, d), d, CHOLESKY_REL_TOL);
  if (l && rev) return (g.factor = { kind: 'triangular', rank: d, g: transposeSquare(l, d), gLow: upperFromReversed(rev, d) });
  return (g.factor = eigenFactor(g.cov.data, d));
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
 * From the Cholesky factor L' of J Σ J: U = J L' J is upper triangular with Σ = U Uᵀ; returns Uᵀ (lower).
 * (Uᵀ)[i][j] = U[j][i] = L'[d−1−j][d−1−i].
 */
function upperFromReversed(lr: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) out[i * d + j] = lr[(d - 1 - j) * d + (d - 1 - i)];
  return out;
}
