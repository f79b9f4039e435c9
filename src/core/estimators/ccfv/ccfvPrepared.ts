// Per-layer building blocks of CC-FV, computed once and shared by every variant and ablation (estimators-spec §2):
// per-case per-class Gaussians (with their factors), per-class pair sums for each distance, and both F_v forms.
import type { TeWarning } from '../../errors.ts';
import type { CcfvData } from './ccfvData.ts';
import { featureVarietyOfficial, featureVarietyPaper } from './featureVariety.ts';
import { fitClassGaussians, setCommonChannels, type FittedGaussian } from './gaussian.ts';
import { bhattacharyya, DEFAULT_RIDGE, regularisedFactor, symmetricKl, type RegularisedFactor } from './gaussianDivergences.ts';
import { w2 } from './w2Gaussian.ts';

export type WarnFn = (w: TeWarning) => void;

/** Distance between the per-case Gaussians of one class: W₂ in either sqrtm form, or an ablation divergence. */
export type CcfvDistance = 'w2_scipy' | 'w2_symmetric' | 'kl' | 'bhattacharyya';

export class CcfvPrepared {
  readonly data: CcfvData;
  readonly warnings: TeWarning[] = [];
  readonly ridge: number;
  private readonly onWarning?: WarnFn;
  private readonly gauss = new Map<number, FittedGaussian[][]>();
  private readonly sums = new Map<string, number[]>();
  private readonly fvOff = new Map<number, number>();
  private readonly fvPap = new Map<string, number>();
  private readonly regFactors = new Map<FittedGaussian, RegularisedFactor>();

  constructor(data: CcfvData, onWarning?: WarnFn, ridge = DEFAULT_RIDGE) {
    this.data = data;
    this.onWarning = onWarning;
    this.ridge = ridge;
  }

  get nCases(): number {
    return this.data.layers[0].cases.length;
  }

  warn(w: TeWarning): void {
    if (this.warnings.some((o) => o.message === w.message)) return;
    this.warnings.push(w);
    this.onWarning?.(w);
  }

  /** Gaussians [k − 1][case] of layer ℓ; warns once per (layer, case, class) with fewer than 2 samples. */
  gaussians(layer: number): FittedGaussian[][] {
    const hit = this.gauss.get(layer);
    if (hit) return hit;
    const L = this.data.layers[layer];
    const out: FittedGaussian[][] = [];
    let singular = 0;
    const byCase = L.cases.map((c) => fitClassGaussians(c.x, c.labels, this.data.numClasses));
    for (let k = 1; k <= this.data.numClasses; k++) {
      out.push(byCase.map((gs, ci) => {
        const g = gs[k - 1];
        if (g.n < 2) {
          this.warn({
            code: 'too-few-samples',
            message: `ccfv layer ${L.name}, case ${ci}, class ${k}: ${g.n} sampled voxel(s), a Gaussian needs ≥ 2; every distance involving it, the class pair sum, C_cons and T of this layer are undefined (NaN)`,
            detail: { layer: L.name, case: ci, class: k, samples: g.n },
          });
        } else if (g.n - 1 < L.d) singular++;
        return g;
      }));
      setCommonChannels(out[k - 1]);
    }
    if (singular > 0) {
      this.warn({
        code: 'rank-deficient',
        message: `ccfv layer ${L.name}: ${singular} of ${this.nCases * this.data.numClasses} class covariances are singular (fewer samples than D + 1 = ${L.d + 1}); W₂ is computed from exact low-rank factors`,
        detail: { layer: L.name, singular },
      });
    }
    this.gauss.set(layer, out);
    return out;
  }

  /** S_k = Σ_{i<j} dist(F_i^k, F_j^k), k = 1..K (NaN when a Gaussian is undefined). */
  pairSums(layer: number, distance: CcfvDistance): number[] {
    const key = `${layer}|${distance}`;
    const hit = this.sums.get(key);
    if (hit) return hit;
    const out = this.gaussians(layer).map((gs, k) => {
      let s = 0;
      for (let i = 0; i < gs.length; i++) for (let j = i + 1; j < gs.length; j++) s += this.distance(gs[i], gs[j], distance, layer, k + 1);
      return s;
    });
    this.sums.set(key, out);
    return out;
  }

  private distance(a: FittedGaussian, b: FittedGaussian, distance: CcfvDistance, layer: number, k: number): number {
    if (distance === 'w2_scipy') return w2(a, b, 'scipy');
    if (distance === 'w2_symmetric') return w2(a, b, 'symmetric');
    if (a.n < 2 || b.n < 2) return NaN;
    const fa = this.regFactor(a, layer, k), fb = this.regFactor(b, layer, k);
    if (distance === 'kl') return symmetricKl(a, fa, b, fb);
    const r = bhattacharyya(a, fa, b, fb, this.ridge);
    if (r.regularised) this.warnRegularised(layer, k);
    return r.distance;
  }

  private regFactor(g: FittedGaussian, layer: number, k: number): RegularisedFactor {
    let f = this.regFactors.get(g);
    if (!f) {
      f = regularisedFactor(g, this.ridge);
      this.regFactors.set(g, f);
      if (f.regularised) this.warnRegularised(layer, k);
    }
    return f;
  }

  private warnRegularised(layer: number, k: number): void {
    const name = this.data.layers[layer].name;
    this.warn({
      code: 'rank-deficient',
      message: `ccfv layer ${name}, class ${k}: singular covariance(s) regularised with Σ + ${this.ridge}·(tr Σ / D)·I for the KL / Bhattacharyya ablation; the value depends on this ridge`,
      detail: { layer: name, class: k, ridge: this.ridge },
    });
  }

  fvOfficial(layer: number): number {
    let v = this.fvOff.get(layer);
    if (v === undefined) {
      v = featureVarietyOfficial(this.data.layers[layer].cases.map((c) => c.x));
      this.fvOff.set(layer, v);
    }
    return v;
  }

  /** Paper F_v (s = 1, ordered pairs), optionally on the unit sphere; warns on infinite or undefined energies. */
  fvPaper(layer: number, unitSphere: boolean, s = 1): number {
    const key = `${layer}|${unitSphere}|${s}`;
    const hit = this.fvPap.get(key);
    if (hit !== undefined) return hit;
    const L = this.data.layers[layer];
    const r = featureVarietyPaper(L.cases.map((c) => c.x), { s, unitSphere });
    r.energies.forEach((e, ci) => {
      if (e === Infinity) {
        this.warn({ code: 'nan-result', message: `ccfv layer ${L.name}, case ${ci}: duplicate feature rows make the hyperspherical energy infinite (1/E = 0)`, detail: { layer: L.name, case: ci } });
      } else if (Number.isNaN(e)) {
        this.warn({ code: 'nan-result', message: `ccfv layer ${L.name}, case ${ci}: hyperspherical energy undefined (fewer than 2 rows${unitSphere ? ', or a zero row on the unit sphere' : ''}); paper F_v is NaN`, detail: { layer: L.name, case: ci } });
      }
    });
    this.fvPap.set(key, r.fv);
    return r.fv;
  }
}
