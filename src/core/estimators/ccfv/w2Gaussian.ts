// Wasserstein-2 distance between the Gaussians fitted to two sample sets (estimators-spec §2.3, paper eq. 1):
// W₂² = ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr((Σ₁Σ₂)^{1/2}), in the official scipy-style and the stable symmetric form.
//
// Symmetric form (default, fast): tr((Σ₁Σ₂)^{1/2}) = Σ σ_k(G₁G₂ᵀ), the nuclear norm of the product of the per-case
// factors (Σ = GᵀG, see gaussian.ts), = Σ √λ_k of the symmetric PSD matrix (G₁G₂ᵀ)(G₁G₂ᵀ)ᵀ, which has the same
// non-zero eigenvalues as Σ₁^{1/2}Σ₂Σ₁^{1/2} (the reference implementation's form). Eigenvalue-only solve on the
// smaller side; W₂ = √max(W₂², 0).
//
// Scipy-style form (the official `cal_w_distance`): scipy.linalg.sqrtm(Σ₁Σ₂) of the NON-symmetric product, whose
// trace is Σ_k √λ_k (principal branch) over the eigenvalues λ_k of Σ₁Σ₂ (the diagonal of its Schur form, on which
// sqrtm takes the square roots). We compute those eigenvalues directly (rows/columns that are zero off the diagonal
// split off first, as LAPACK's balancing inside scipy's schur does; then Hessenberg + Francis QR) and sum their
// principal complex roots; w_d = ‖Δμ‖² + tr Σ₁ + tr Σ₂ − 2·tr is complex when some λ_k < 0, and the official
// np.sqrt(abs(w_d)) takes its modulus. For PSD Σ₁, Σ₂ the exact λ_k are those of Σ₁^{1/2}Σ₂Σ₁^{1/2} (real, ≥ 0), so
// both forms agree to rounding (~1e-15 relative) when the covariances are well conditioned. When they are singular
// (n ≤ D, dead channels), the exactly-zero λ_k come out as rounding noise (±ε‖Σ₁Σ₂‖, or complex pairs), each adding
// up to ~√(ε‖Σ₁Σ₂‖) ≈ 1e-8·scale, real or imaginary, to the trace: this noise is what scipy adds too, but its
// exact value depends on LAPACK's rounding, so it matches scipy only to that level. Checked against scipy 1.17.1
// (`cal_w_distance`) on seeded sets: ≤ 5e-15 relative at full rank (dead channels included), 2e-10..1.3e-9 with
// n < D, where the symmetric form differs from scipy by up to 1.5e-8 (and matches a 40-digit computation).
import { matmul, type Mat } from '../../linalg/matrix.ts';
import { nonsymmetricEigenvalues } from '../../linalg/nonsymmetricEigenvalues.ts';
import { symmetricEigenvalues } from '../../linalg/symmetricEigen.ts';
import { triangularGram } from './triangularNuclearNorm.ts';
import { commonChannels, covFactor, fitGaussian, setCommonChannels, type FittedGaussian } from './gaussian.ts';

export type SqrtmMode = 'symmetric' | 'scipy';

/** The vectors' key `w2_layer0_class1_case0_case1`. */
export interface W2Values {
  symmetric: number;
  scipy_sqrtm: number;
  /** max(W₂², 0) of the symmetric form. */
  squared_symmetric: number;
}

/** Both forms of W₂ between the Gaussians fitted to the rows of x1 and x2 (rows = samples). NaN if n < 2. */
export function w2Gaussian(x1: Mat, x2: Mat): W2Values {
  const g1 = fitGaussian(x1), g2 = fitGaussian(x2);
  setCommonChannels([g1, g2]);
  const squared = w2SquaredSymmetric(g1, g2);
  return { symmetric: Math.sqrt(squared), scipy_sqrtm: w2Scipy(g1, g2), squared_symmetric: squared };
}

/** W₂ between fitted Gaussians in the chosen form. */
export function w2(g1: FittedGaussian, g2: FittedGaussian, mode: SqrtmMode = 'symmetric'): number {
  return mode === 'scipy' ? w2Scipy(g1, g2) : Math.sqrt(w2SquaredSymmetric(g1, g2));
}

/** ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ (the part of W₂² without the cross term). */
function w2Base(g1: FittedGaussian, g2: FittedGaussian): number {
  if (g1.d !== g2.d) throw new RangeError(`w2: dimensions ${g1.d} and ${g2.d} differ`);
  let dm = 0;
  for (let j = 0; j < g1.d; j++) {
    const t = g1.mean[j] - g2.mean[j];
    dm += t * t;
  }
  return dm + g1.traceCov + g2.traceCov;
}

/** max(W₂², 0) with the symmetric PSD root; NaN when either set has fewer than 2 samples. */
export function w2SquaredSymmetric(g1: FittedGaussian, g2: FittedGaussian): number {
  const base = w2Base(g1, g2);
  if (g1.n < 2 || g2.n < 2 || !Number.isFinite(base)) return NaN;
  return Math.max(base - 2 * traceSqrtProduct(g1, g2), 0);
}

/** Official `cal_w_distance`: √|w_d| with tr sqrtm(Σ₁Σ₂) as scipy computes it (see the file comment). */
export function w2Scipy(g1: FittedGaussian, g2: FittedGaussian): number {
  const base = w2Base(g1, g2);
  if (g1.n < 2 || g2.n < 2 || !Number.isFinite(base)) return NaN;
  const t = traceSqrtmScipy(g1.cov, g2.cov);
  return Math.sqrt(Math.hypot(base - 2 * t.re, -2 * t.im));
}

/** tr(sqrtm(A·B)) for real square A, B: Σ principal √λ over the (complex) eigenvalues of the product. */
export function traceSqrtmScipy(a: Mat, b: Mat): { re: number; im: number } {
  const prod = matmul(a, b);
  const { re, im } = nonsymmetricEigenvalues(prod.data, prod.rows);
  let sr = 0, si = 0;
  for (let k = 0; k < re.length; k++) {
    const [r, i] = complexSqrt(re[k], im[k]);
    sr += r;
    si += i;
  }
  return { re: sr, im: si };
}

/** Principal square root of x + iy (numpy's branch: √(−x + 0i) = +i√x). */
export function complexSqrt(x: number, y: number): [number, number] {
  if (y === 0) return x >= 0 ? [Math.sqrt(x), 0] : [0, Math.sqrt(-x)];
  const m = Math.hypot(x, y);
  const re = Math.sqrt((m + x) / 2);
  const im = Math.sqrt((m - x) / 2);
  return [re, y < 0 ? -im : im];
}

/** tr((Σ₁Σ₂)^{1/2}) = nuclear norm of G₁G₂ᵀ for PSD Σ₁ = G₁ᵀG₁, Σ₂ = G₂ᵀG₂ (requires n ≥ 2 on both sides). */
export function traceSqrtProduct(g1: FittedGaussian, g2: FittedGaussian): number {
  const keep = g1.keep !== undefined && g1.keep === g2.keep ? g1.keep : commonChannels([g1, g2]);
  const d = keep.length;
  if (d === 0) return 0;
  const f1 = covFactor(g1, keep), f2 = covFactor(g2, keep);
  if (f1.rank === 0 || f2.rank === 0) return 0;
  if (f1.kind === 'triangular' && f2.kind === 'triangular') return nuclearTriangular(f1.g, f2.u!, d);
  return f1.rank <= f2.rank ? nuclearGeneral(f1.g, f1.rank, f2.g, f2.rank, d) : nuclearGeneral(f2.g, f2.rank, f1.g, f1.rank, d);
}

/** Σ √max(λ, 0) over the eigenvalues of the symmetric m×m matrix p (lower triangle given; mirrored here). */
function sumSqrtEigenvalues(p: Float64Array, m: number): number {
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) p[j * m + i] = p[i * m + j];
  const lambda = symmetricEigenvalues(p, m);
  let s = 0;
  for (let k = 0; k < m; k++) if (lambda[k] > 0) s += Math.sqrt(lambda[k]);
  return s;
}

/** P = TᵀT with T = L₁ᵀU₂ (see triangularNuclearNorm.ts), then Σ √λ(P) = Σ σ(T). */
function nuclearTriangular(lt: Float64Array, u: Float64Array, d: number): number {
  const p = triangularGram(lt, u, d, scratch(0, d * d), scratch(1, d * d));
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) p[i * d + j] = p[j * d + i];
  return sumSqrtEigenvalues(p, d);
}

/** M = A Bᵀ (ra × rb, ra ≤ rb), P = M Mᵀ (ra × ra): the nuclear norm of M from the smaller side. */
function nuclearGeneral(a: Float64Array, ra: number, b: Float64Array, rb: number, d: number): number {
  const m = new Float64Array(ra * rb);
  for (let i = 0; i < ra; i++) {
    const oa = i * d;
    for (let j = 0; j < rb; j++) {
      const ob = j * d;
      m[i * rb + j] = dot(a, oa, b, ob, d);
    }
  }
  const p = new Float64Array(ra * ra);
  for (let i = 0; i < ra; i++) {
    const oi = i * rb;
    for (let j = 0; j <= i; j++) {
      const oj = j * rb;
      p[i * ra + j] = dot(m, oi, m, oj, rb);
    }
  }
  return sumSqrtEigenvalues(p, ra);
}

/**
 * Reused work buffers (one pair at a time; JS runs one call at a time per worker): a fresh 0.5 MB pair of
 * buffers per case pair at D = 256 kept the garbage collector busy. Every entry read is written first.
 */
const scratchBuffers: Float64Array[] = [new Float64Array(0), new Float64Array(0)];
function scratch(k: number, size: number): Float64Array {
  if (scratchBuffers[k].length < size) scratchBuffers[k] = new Float64Array(size);
  return scratchBuffers[k].subarray(0, size);
}

/** Σ_c a[oa + c]·b[ob + c], c < len, with four independent accumulators (V8 does not vectorise; this hides FP latency). */
function dot(a: Float64Array, oa: number, b: Float64Array, ob: number, len: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, c = 0;
  for (; c + 3 < len; c += 4) {
    s0 += a[oa + c] * b[ob + c];
    s1 += a[oa + c + 1] * b[ob + c + 1];
    s2 += a[oa + c + 2] * b[ob + c + 2];
    s3 += a[oa + c + 3] * b[ob + c + 3];
  }
  for (; c < len; c++) s0 += a[oa + c] * b[ob + c];
  return s0 + s1 + (s2 + s3);
}
