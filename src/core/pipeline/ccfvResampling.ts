// CC-FV under case resampling without refitting: every CC-FV term is a sum over cases (paper F_v) or over case
// pairs (C_cons, official F_v), so the bootstrap over cases only re-sums N×N matrices computed once per model.
// A resample that repeats a case pairs it with itself: distance 0 (identical Gaussians), variety term 1/√ε.
import { columnMeans } from '../linalg/covariance.ts';
import { CcfvPrepared, type CcfvDistance } from '../estimators/ccfv/ccfvPrepared.ts';
import { featureVarietyPaper, OFFICIAL_VARIETY_EPS } from '../estimators/ccfv/featureVariety.ts';
import { w2 } from '../estimators/ccfv/w2Gaussian.ts';
import { bhattacharyya, regularisedFactor, symmetricKl } from '../estimators/ccfv/gaussianDivergences.ts';
import type { FittedGaussian } from '../estimators/ccfv/gaussian.ts';

/** Pairwise and per-case CC-FV terms of the full case set, computed lazily and shared by all resamples. */
export class CcfvCaseTerms {
  private readonly pair = new Map<string, Float64Array>();
  private readonly variety = new Map<number, Float64Array>();
  private readonly invEnergy = new Map<string, Float64Array>();

  constructor(readonly base: CcfvPrepared) {}

  get n(): number {
    return this.base.nCases;
  }

  /** N×N distances between the cases' class-k Gaussians of a layer (k = 1..K). */
  pairMatrix(layer: number, distance: CcfvDistance, k: number): Float64Array {
    const key = `${layer}|${distance}|${k}`;
    let m = this.pair.get(key);
    if (m) return m;
    const gs = this.base.gaussians(layer)[k - 1];
    const n = gs.length;
    m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[i * n + j] = m[j * n + i] = dist(gs[i], gs[j], distance, this.base.ridge);
    this.pair.set(key, m);
    return m;
  }

  /** N×N official variety terms (‖m_i − m_j‖² + ε)^{−1/2} of the per-case mean features. */
  varietyMatrix(layer: number): Float64Array {
    let m = this.variety.get(layer);
    if (m) return m;
    const means = this.base.data.layers[layer].cases.map((c) => columnMeans(c.x));
    const n = means.length;
    m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let d2 = 0;
        for (let c = 0; c < means[i].length; c++) d2 += (means[i][c] - means[j][c]) ** 2;
        m[i * n + j] = 1 / Math.sqrt(d2 + OFFICIAL_VARIETY_EPS);
      }
    }
    this.variety.set(layer, m);
    return m;
  }

  /** 1/E_s of each case (paper F_v is their mean). */
  inverseEnergies(layer: number, unitSphere: boolean, s: number): Float64Array {
    const key = `${layer}|${unitSphere}|${s}`;
    let v = this.invEnergy.get(key);
    if (!v) {
      v = Float64Array.from(featureVarietyPaper(this.base.data.layers[layer].cases.map((c) => c.x), { s, unitSphere }).energies, (e) => 1 / e);
      this.invEnergy.set(key, v);
    }
    return v;
  }

  /** A CcfvPrepared whose cases are base cases `idx` (repeats allowed), for ccfvFromPrepared. */
  resample(idx: ArrayLike<number>): CcfvPrepared {
    return new ResampledCcfv(this, Int32Array.from(idx));
  }
}

function dist(a: FittedGaussian, b: FittedGaussian, d: CcfvDistance, ridge: number): number {
  if (d === 'w2_scipy') return w2(a, b, 'scipy');
  if (d === 'w2_symmetric') return w2(a, b, 'symmetric');
  if (a.n < 2 || b.n < 2) return NaN;
  const fa = regularisedFactor(a, ridge), fb = regularisedFactor(b, ridge);
  return d === 'kl' ? symmetricKl(a, fa, b, fb) : bhattacharyya(a, fa, b, fb, ridge).distance;
}

class ResampledCcfv extends CcfvPrepared {
  constructor(private readonly terms: CcfvCaseTerms, private readonly idx: Int32Array) {
    super(terms.base.data, undefined, terms.base.ridge);
  }

  override get nCases(): number {
    return this.idx.length;
  }

  private sumPairs(m: Float64Array): number {
    const n = this.terms.n, idx = this.idx;
    let s = 0;
    for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) s += idx[a] === idx[b] ? 0 : m[idx[a] * n + idx[b]];
    return s;
  }

  override pairSums(layer: number, distance: CcfvDistance): number[] {
    return Array.from({ length: this.data.numClasses }, (_, k) => this.sumPairs(this.terms.pairMatrix(layer, distance, k + 1)));
  }

  override fvOfficial(layer: number): number {
    const m = this.terms.varietyMatrix(layer), n = this.terms.n, idx = this.idx;
    let s = 0;
    for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) s += m[idx[a] * n + idx[b]];
    return s / ((idx.length * (idx.length - 1)) / 2);
  }

  override fvPaper(layer: number, unitSphere: boolean, s = 1): number {
    const inv = this.terms.inverseEnergies(layer, unitSphere, s);
    let t = 0;
    for (const i of this.idx) t += inv[i];
    return t / this.idx.length;
  }
}
