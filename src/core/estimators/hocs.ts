// HOCS (Held-Out Class Separability), TransferLens's own estimator (issue 7 item 4; docs/estimators/hocs.md):
// leave-one-case-out Gaussian class posteriors in within-class-standardised units, averaged over the decoder scales.
import { TeError, type TeWarning } from '../errors.ts';
import type { Mat } from '../linalg/matrix.ts';

export interface HocsCase { x: Mat; labels: Int32Array }
export interface HocsInput {
  /** Target classes 0..numClasses−1 (background included). */
  numClasses: number;
  layers: { name: string; cases: HocsCase[] }[];
}
export interface HocsResult { total: number; layers: number[] }

/** Relative variance floor: σ²_d ≥ FLOOR · mean_d σ²_d (keeps dead channels finite; scale-free). */
export const HOCS_FLOOR = 1e-6;

interface LayerStats { d: number; cases: HocsCase[]; n: Float64Array[]; sum: Float64Array[]; sq: Float64Array[] }

/** Per case and class: count, channel sums and channel sums of squares (n[i][k], sum[i][k·D + d], sq[…]). */
function layerStats(cases: HocsCase[], c: number, name: string): LayerStats {
  const d = cases[0].x.cols;
  const st: LayerStats = { d, cases, n: [], sum: [], sq: [] };
  cases.forEach((cs, i) => {
    if (cs.x.cols !== d) throw new TeError('shape-mismatch', `hocs: layer ${name} case ${i} has ${cs.x.cols} channels, case 0 has ${d}`);
    const n = new Float64Array(c), sum = new Float64Array(c * d), sq = new Float64Array(c * d);
    for (let r = 0; r < cs.labels.length; r++) {
      const k = cs.labels[r];
      if (!(k >= 0 && k < c)) throw new TeError('invalid-input', `hocs: layer ${name} case ${i} row ${r}: label ${k} outside 0..${c - 1}`);
      n[k]++;
      for (let j = 0; j < d; j++) {
        const v = cs.x.data[r * d + j];
        if (!Number.isFinite(v)) throw new TeError('non-finite', `hocs: layer ${name} case ${i} row ${r}: non-finite feature`, { layer: name, case: i, row: r });
        sum[k * d + j] += v;
        sq[k * d + j] += v * v;
      }
    }
    st.n.push(n); st.sum.push(sum); st.sq.push(sq);
  });
  return st;
}

/**
 * Mean over held-out (case, class) pairs of the mean posterior of the true class, for one layer, with case
 * multiplicities `m` (a bootstrap resample). NaN when no pair can be scored.
 */
function layerScore(st: LayerStats, c: number, m: Float64Array): { value: number; skipped: number } {
  const d = st.d;
  const tn = new Float64Array(c), ts = new Float64Array(c * d), tq = new Float64Array(c * d);
  st.n.forEach((n, i) => {
    if (!m[i]) return;
    for (let k = 0; k < c; k++) tn[k] += m[i] * n[k];
    for (let j = 0; j < c * d; j++) { ts[j] += m[i] * st.sum[i][j]; tq[j] += m[i] * st.sq[i][j]; }
  });
  const mu = new Float64Array(c * d), s2 = new Float64Array(d), ll = new Float64Array(c);
  let acc = 0, weight = 0, skipped = 0;
  for (let i = 0; i < st.cases.length; i++) {
    if (!m[i]) continue;
    // training statistics of the fold: everything but every copy of case i
    const ok: boolean[] = [];
    s2.fill(0);
    let classes = 0;
    for (let k = 0; k < c; k++) {
      const nk = tn[k] - m[i] * st.n[i][k];
      ok.push(nk >= 2);
      if (nk < 2) continue;
      classes++;
      for (let j = 0; j < d; j++) {
        const s = ts[k * d + j] - m[i] * st.sum[i][k * d + j], q = tq[k * d + j] - m[i] * st.sq[i][k * d + j];
        const mean = s / nk;
        mu[k * d + j] = mean;
        s2[j] += Math.max(0, (q - s * mean) / (nk - 1));
      }
    }
    let meanVar = 0;
    for (let j = 0; j < d; j++) meanVar += s2[j] / classes / d;
    if (classes < 2 || !(meanVar > 0)) { skipped++; continue; }
    for (let j = 0; j < d; j++) s2[j] = s2[j] / classes + HOCS_FLOOR * meanVar;
    const cs = st.cases[i];
    const post = new Float64Array(c), cnt = new Float64Array(c);
    for (let r = 0; r < cs.labels.length; r++) {
      const k = cs.labels[r];
      if (!ok[k]) continue;
      for (let h = 0; h < c; h++) {
        if (!ok[h]) { ll[h] = -Infinity; continue; }
        let e = 0;
        for (let j = 0; j < d; j++) { const t = cs.x.data[r * d + j] - mu[h * d + j]; e += (t * t) / s2[j]; }
        ll[h] = -0.5 * e;
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
  constructor(input: HocsInput) {
    const c = input.numClasses;
    if (!Number.isInteger(c) || c < 2) throw new TeError('single-class', `hocs: needs at least 2 target classes, got ${c}`);
    if (input.layers.length === 0) throw new TeError('invalid-input', 'hocs: no layers');
    const nc = input.layers[0].cases.length;
    if (nc < 2) throw new TeError('too-few-cases', `hocs: leave-one-case-out needs at least 2 cases, got ${nc}`);
    if (input.layers.some((l) => l.cases.length !== nc)) throw new TeError('shape-mismatch', 'hocs: layers have different case counts');
    this.c = c;
    this.layerNames = input.layers.map((l) => l.name);
    this.stats = input.layers.map((l) => layerStats(l.cases, c, l.name));
  }

  /** idx: case indices of a resample (repeats allowed); null = every case once. */
  score(idx: ArrayLike<number> | null, warn?: (w: TeWarning) => void): HocsResult {
    const n = this.stats[0].cases.length;
    const m = new Float64Array(n);
    if (idx) for (let t = 0; t < idx.length; t++) m[idx[t]]++;
    else m.fill(1);
    if (m.filter((v) => v > 0).length < 2) return { total: NaN, layers: this.stats.map(() => NaN) };
    const layers = this.stats.map((st, li) => {
      const r = layerScore(st, this.c, m);
      if (r.skipped) warn?.({ code: 'too-few-samples', message: `hocs: layer ${this.layerNames[li]}: ${r.skipped} held-out case(s) skipped (fewer than 2 trained classes or zero variance)` });
      return r.value;
    });
    const total = layers.reduce((a, b) => a + b, 0) / layers.length;
    if (Number.isNaN(total)) warn?.({ code: 'nan-result', message: 'hocs: a layer could not be scored; the score is NaN' });
    return { total, layers };
  }
}

/** HOCS of a set of cases: mean over layers of the leave-one-case-out true-class posterior. */
export function hocs(input: HocsInput, warn?: (w: TeWarning) => void): HocsResult {
  return new HocsPrepared(input).score(null, warn);
}
