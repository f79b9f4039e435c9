// HOCS (Held-Out Class Separability), TransferLens's own estimator (issue 7 item 4; docs/estimators/hocs.md):
// leave-one-case-out Gaussian class posteriors in within-class-standardised units, averaged over the decoder scales.
// Two covariance models: 'diagonal' (`hocs`) and 'full' (`hocs_full`, the third round: invariant to any invertible
// linear map of the features, not only to per-channel scaling).
import { TeError, type TeWarning } from '../errors.ts';
import { cholesky } from '../linalg/cholesky.ts';
import type { Mat } from '../linalg/matrix.ts';

export interface HocsCase { x: Mat; labels: Int32Array }
export interface HocsInput {
  /** Target classes 0..numClasses−1 (background included). */
  numClasses: number;
  layers: { name: string; cases: HocsCase[] }[];
}
export interface HocsResult { total: number; layers: number[] }
/** The shared within-class covariance: per-channel variances (`hocs`) or the full matrix (`hocs_full`). */
export type HocsCovariance = 'diagonal' | 'full';

/** Relative variance floor: σ²_d ≥ FLOOR · mean_d σ²_d (keeps dead channels finite; scale-free). */
export const HOCS_FLOOR = 1e-6;

/** Per case: labels, centred rows, and per class: count n, channel sums, channel sums of squares (sq, diagonal) or
 * the packed lower triangle of Σ x xᵀ (gram, full: gram[i][k·T + a(a+1)/2 + b], b ≤ a, T = D(D+1)/2). */
interface LayerStats {
  d: number; labels: Int32Array[]; x: Float64Array[]; n: Float64Array[]; sum: Float64Array[]; sq: Float64Array[]; gram: Float64Array[] | null;
  /** Full covariance: per case i, the Cholesky factor of fold i's covariance on the whole case set (lazily; null = not PD). */
  factors: (Float64Array | null | undefined)[];
  /** Full covariance: totals over every case once (with grams), for foldFactor. */
  all: Totals | null;
}

/**
 * Features centred on the layer's overall channel means (the score is translation invariant; centring keeps the
 * sums of squares and the linear discriminants below well conditioned), and per case and class: count, channel
 * sums and channel sums of squares (n[i][k], sum[i][k·D + d], sq[…]).
 */
function layerStats(cases: HocsCase[], c: number, name: string, full: boolean): LayerStats {
  const d = cases[0].x.cols;
  const centre = new Float64Array(d);
  let total = 0;
  cases.forEach((cs, i) => {
    if (cs.x.cols !== d) throw new TeError('shape-mismatch', `hocs: layer ${name} case ${i} has ${cs.x.cols} channels, case 0 has ${d}`);
    for (let r = 0; r < cs.labels.length; r++) {
      const k = cs.labels[r];
      if (!(k >= 0 && k < c)) throw new TeError('invalid-input', `hocs: layer ${name} case ${i} row ${r}: label ${k} outside 0..${c - 1}`);
      for (let j = 0; j < d; j++) {
        const v = cs.x.data[r * d + j];
        if (!Number.isFinite(v)) throw new TeError('non-finite', `hocs: layer ${name} case ${i} row ${r}: non-finite feature`, { layer: name, case: i, row: r });
        centre[j] += v;
      }
      total++;
    }
  });
  for (let j = 0; j < d; j++) centre[j] /= Math.max(1, total);
  const st: LayerStats = { d, labels: [], x: [], n: [], sum: [], sq: [], gram: full ? [] : null, factors: [], all: null };
  for (const cs of cases) {
    const x = Float64Array.from(cs.x.data, (v, t) => v - centre[t % d]);
    const n = new Float64Array(c), sum = new Float64Array(c * d), sq = new Float64Array(c * d);
    for (let r = 0; r < cs.labels.length; r++) {
      const k = cs.labels[r];
      n[k]++;
      for (let j = 0; j < d; j++) { const v = x[r * d + j]; sum[k * d + j] += v; sq[k * d + j] += v * v; }
    }
    st.labels.push(cs.labels); st.x.push(x); st.n.push(n); st.sum.push(sum); st.sq.push(sq);
    if (st.gram) {
      const t = d * (d + 1) / 2, g = new Float64Array(c * t);
      for (let r = 0; r < cs.labels.length; r++) {
        const o = cs.labels[r] * t, ro = r * d;
        for (let a = 0, pa = o; a < d; pa += ++a) { const va = x[ro + a]; for (let b = 0; b <= a; b++) g[pa + b] += va * x[ro + b]; }
      }
      st.gram.push(g);
    }
  }
  if (full) st.all = totals(st, c, new Float64Array(cases.length).fill(1), true);
  return st;
}

/** Per-class totals over a resample's cases: counts, channel sums, sums of squares, and (foldFactor) packed grams. */
type Totals = { n: Float64Array; s: Float64Array; q: Float64Array; g: Float64Array | null };

/**
 * The fold's classifier without case i (all its copies): ll_h(x) = a_h·x + b_h with a_h = μ_h/σ², b_h = −½ μ_h·a_h
 * (−½ Σ x²/σ² is common to every class and cancels in the posterior). null when < 2 classes or zero variance.
 * Full covariance: fullFoldModel with the same class means.
 */
function foldModel(st: LayerStats, c: number, m: Float64Array, tot: Totals, i: number): { a: Float64Array; b: Float64Array; ok: boolean[] } | null {
  const d = st.d;
  const mu = new Float64Array(c * d), s2 = new Float64Array(d), ok: boolean[] = [];
  let classes = 0;
  for (let k = 0; k < c; k++) {
    const nk = tot.n[k] - m[i] * st.n[i][k];
    ok.push(nk >= 2);
    if (nk < 2) continue;
    classes++;
    for (let j = 0; j < d; j++) {
      const s = tot.s[k * d + j] - m[i] * st.sum[i][k * d + j], q = tot.q[k * d + j] - m[i] * st.sq[i][k * d + j];
      const mean = s / nk;
      mu[k * d + j] = mean;
      s2[j] += Math.max(0, (q - s * mean) / (nk - 1));
    }
  }
  let meanVar = 0;
  for (let j = 0; j < d; j++) meanVar += s2[j] / classes / d;
  if (classes < 2 || !(meanVar > 0)) return null;
  if (st.gram) return fullFoldModel(st, c, i, mu, ok);
  const a = new Float64Array(c * d), b = new Float64Array(c);
  for (let j = 0; j < d; j++) s2[j] = 1 / (s2[j] / classes + HOCS_FLOOR * meanVar);
  for (let k = 0; k < c; k++) {
    if (!ok[k]) { b[k] = -Infinity; continue; }
    for (let j = 0; j < d; j++) { a[k * d + j] = mu[k * d + j] * s2[j]; b[k] -= 0.5 * mu[k * d + j] * a[k * d + j]; }
  }
  return { a, b, ok };
}

/** Totals over cases with multiplicities m: counts, channel sums, sums of squares and (full) packed grams. */
function totals(st: LayerStats, c: number, m: Float64Array, grams = false): Totals {
  const d = st.d;
  const tot: Totals = { n: new Float64Array(c), s: new Float64Array(c * d), q: new Float64Array(c * d), g: grams && st.gram ? new Float64Array(c * d * (d + 1) / 2) : null };
  st.n.forEach((n, i) => {
    if (!m[i]) return;
    for (let k = 0; k < c; k++) tot.n[k] += m[i] * n[k];
    for (let j = 0; j < c * d; j++) { tot.s[j] += m[i] * st.sum[i][j]; tot.q[j] += m[i] * st.sq[i][j]; }
    if (tot.g) { const gi = st.gram![i]; for (let j = 0; j < gi.length; j++) tot.g[j] += m[i] * gi[j]; }
  });
  return tot;
}

/**
 * Cholesky factor of fold i's shared covariance on the whole case set (every other case once): Σ = mean over the
 * fold's classes (≥ 2 samples) of their covariances (ddof 1; its diagonal is the diagonal model's σ²), floored by
 * HOCS_FLOOR · mean_d Σ_dd on the diagonal (the same relative floor, so Σ is positive definite with dead channels).
 * null when fewer than 2 classes, zero variance or not positive definite. Computed once per (layer, case).
 */
function foldFactor(st: LayerStats, c: number, i: number, all: Totals): Float64Array | null {
  const cached = st.factors[i];
  if (cached !== undefined) return cached;
  const d = st.d, t = d * (d + 1) / 2, g = all.g!, gi = st.gram![i];
  const cov = new Float64Array(d * d), mu = new Float64Array(d);
  const ks: number[] = [];
  for (let k = 0; k < c; k++) if (all.n[k] - st.n[i][k] >= 2) ks.push(k);
  let meanVar = 0;
  for (const k of ks) {
    const nk = all.n[k] - st.n[i][k], w = 1 / (ks.length * (nk - 1));
    for (let p = 0; p < d; p++) mu[p] = (all.s[k * d + p] - st.sum[i][k * d + p]) / nk;
    for (let p = 0, o = k * t; p < d; o += ++p) {
      const sp = nk * mu[p], row = p * d;
      for (let q = 0; q <= p; q++) cov[row + q] += w * (g[o + q] - gi[o + q] - sp * mu[q]);
    }
  }
  for (let p = 0; p < d; p++) meanVar += cov[p * d + p] / d;
  let l: Float64Array | null = null;
  if (ks.length >= 2 && meanVar > 0) {
    for (let p = 0; p < d; p++) cov[p * d + p] += HOCS_FLOOR * meanVar;
    l = cholesky(cov, d);
  }
  st.factors[i] = l;
  return l;
}

/**
 * The full-covariance fold classifier (`hocs_full`): a_h = Σ⁻¹ μ_h, b_h = −½ μ_h·a_h, with the fold's class means μ_h
 * of this resample and the fold's covariance factor on the whole case set (foldFactor). For the full case set this is
 * the exact leave-one-case-out classifier; in a bootstrap resample the covariance is held at its whole-set value and
 * only the means (and the held-out voxels) are resampled — one factorisation per (layer, case) instead of one per
 * (resample, layer, case), which made hocs_full 2.6–4× the cost of hocs (5.1–5.3 s of a 18 s demo study).
 */
function fullFoldModel(st: LayerStats, c: number, i: number, mu: Float64Array, ok: boolean[]): { a: Float64Array; b: Float64Array; ok: boolean[] } | null {
  const d = st.d;
  const l = foldFactor(st, c, i, st.all!);
  if (!l) return null;
  const a = new Float64Array(c * d), b = new Float64Array(c), y = new Float64Array(d);
  for (let k = 0; k < c; k++) {
    if (!ok[k]) { b[k] = -Infinity; continue; }
    // L y = μ_k, then Lᵀ a = y
    for (let p = 0; p < d; p++) { let v = mu[k * d + p]; for (let q = 0; q < p; q++) v -= l[p * d + q] * y[q]; y[p] = v / l[p * d + p]; }
    for (let p = d - 1; p >= 0; p--) { let v = y[p]; for (let q = p + 1; q < d; q++) v -= l[q * d + p] * a[k * d + q]; a[k * d + p] = v / l[p * d + p]; }
    for (let p = 0; p < d; p++) b[k] -= 0.5 * mu[k * d + p] * a[k * d + p];
  }
  return { a, b, ok };
}

/** Two classes: one discriminant t = (a₁−a₀)·x + b₁−b₀ per voxel; p₁ = 1/(1+e^(−t)), p₀ = 1/(1+e^t). */
function binaryPosteriors(f: { a: Float64Array; b: Float64Array }, d: number, x: Float64Array, labels: Int32Array, post: Float64Array, cnt: Float64Array): void {
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) w[j] = f.a[d + j] - f.a[j];
  const beta = f.b[1] - f.b[0];
  const d4 = d - (d % 4);
  for (let r = 0; r < labels.length; r++) {
    // Four partial sums: the hot loop of every bootstrap score (HOCS was 11–15 % of a demo study); ~1.3× over one
    // sum (11 demo models: 1.4–1.7 s vs 1.6–2.5 s).
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0, j = 0;
    const o = r * d;
    for (; j < d4; j += 4) { t0 += w[j] * x[o + j]; t1 += w[j + 1] * x[o + j + 1]; t2 += w[j + 2] * x[o + j + 2]; t3 += w[j + 3] * x[o + j + 3]; }
    for (; j < d; j++) t0 += w[j] * x[o + j];
    const t = beta + ((t0 + t1) + (t2 + t3));
    const k = labels[r];
    post[k] += 1 / (1 + Math.exp(k === 1 ? -t : t));
    cnt[k]++;
  }
}

/**
 * Mean over held-out (case, class) pairs of the mean posterior of the true class, for one layer, with case
 * multiplicities `m` (a bootstrap resample). NaN when no pair can be scored.
 */
function layerScore(st: LayerStats, c: number, m: Float64Array): { value: number; skipped: number } {
  const d = st.d;
  const tot = totals(st, c, m);
  const ll = new Float64Array(c), post = new Float64Array(c), cnt = new Float64Array(c);
  let acc = 0, weight = 0, skipped = 0;
  for (let i = 0; i < st.x.length; i++) {
    if (!m[i]) continue;
    const f = foldModel(st, c, m, tot, i);
    if (!f) { skipped++; continue; }
    const x = st.x[i], labels = st.labels[i];
    post.fill(0); cnt.fill(0);
    if (c === 2 && f.ok[0] && f.ok[1]) binaryPosteriors(f, d, x, labels, post, cnt);
    else for (let r = 0; r < labels.length; r++) {
      const k = labels[r];
      if (!f.ok[k]) continue;
      for (let h = 0; h < c; h++) {
        let e = f.b[h];
        if (e === -Infinity) { ll[h] = e; continue; }
        for (let j = 0, o = r * d, p = h * d; j < d; j++) e += f.a[p + j] * x[o + j];
        ll[h] = e;
      }
      let z = 0;
      for (let h = 0; h < c; h++) z += Math.exp(ll[h] - ll[k]);
      post[k] += 1 / z;
      cnt[k]++;
    }
    for (let k = 0; k < c; k++) if (cnt[k] > 0) { acc += m[i] * post[k] / cnt[k]; weight += m[i]; }
  }
  return { value: weight > 0 ? acc / weight : NaN, skipped };
}

/** Prepared once (sufficient statistics per case and class); scores the full case set or any resample. */
export class HocsPrepared {
  private readonly stats: LayerStats[];
  private readonly c: number;
  readonly layerNames: string[];
  readonly covariance: HocsCovariance;
  private get key(): string { return this.covariance === 'full' ? 'hocs_full' : 'hocs'; }
  constructor(input: HocsInput, opts: { covariance?: HocsCovariance } = {}) {
    this.covariance = opts.covariance ?? 'diagonal';
    const c = input.numClasses;
    if (!Number.isInteger(c) || c < 2) throw new TeError('single-class', `hocs: needs at least 2 target classes, got ${c}`);
    if (input.layers.length === 0) throw new TeError('invalid-input', 'hocs: no layers');
    const nc = input.layers[0].cases.length;
    if (nc < 2) throw new TeError('too-few-cases', `hocs: leave-one-case-out needs at least 2 cases, got ${nc}`);
    if (input.layers.some((l) => l.cases.length !== nc)) throw new TeError('shape-mismatch', 'hocs: layers have different case counts');
    this.c = c;
    this.layerNames = input.layers.map((l) => l.name);
    this.stats = input.layers.map((l) => layerStats(l.cases, c, l.name, this.covariance === 'full'));
  }

  /** idx: case indices of a resample (repeats allowed); null = every case once. */
  score(idx: ArrayLike<number> | null, warn?: (w: TeWarning) => void): HocsResult {
    const n = this.stats[0].x.length;
    const m = new Float64Array(n);
    if (idx) for (let t = 0; t < idx.length; t++) m[idx[t]]++;
    else m.fill(1);
    if (m.filter((v) => v > 0).length < 2) return { total: NaN, layers: this.stats.map(() => NaN) };
    const layers = this.stats.map((st, li) => {
      const r = layerScore(st, this.c, m);
      if (r.skipped) warn?.({ code: 'too-few-samples', message: `${this.key}: layer ${this.layerNames[li]}: ${r.skipped} held-out case(s) skipped (fewer than 2 trained classes, zero variance or, full covariance, not positive definite)` });
      return r.value;
    });
    const total = layers.reduce((a, b) => a + b, 0) / layers.length;
    if (Number.isNaN(total)) warn?.({ code: 'nan-result', message: `${this.key}: a layer could not be scored; the score is NaN` });
    return { total, layers };
  }
}

/** HOCS of a set of cases: mean over layers of the leave-one-case-out true-class posterior. */
export function hocs(input: HocsInput, warn?: (w: TeWarning) => void, opts: { covariance?: HocsCovariance } = {}): HocsResult {
  return new HocsPrepared(input, opts).score(null, warn);
}
