// The CC-FV section of `transferlens estimate` (reference-vector schema key `ccfv`, estimators-spec §2.7):
// totals and per-layer parts of the official and paper variants, and one W₂ value for debugging.
import type { TeWarning } from '../errors.ts';
import { ccfvDataFromInput } from '../estimators/ccfv/ccfvData.ts';
import { ccfvFromPrepared, CcfvPrepared, type CcfvResult } from '../estimators/ccfv/ccfv.ts';
import { w2Scipy, w2SquaredSymmetric } from '../estimators/ccfv/w2Gaussian.ts';
import type { EstimateSection } from './schema.ts';

/**
 * Keys (whenever `input.ccfv` is present): `ccfv_official`, `ccfv_official_layers`, `ccfv_official_symmetric_sqrtm`,
 * `ccfv_paper`, `ccfv_paper_layers`, `ccfv_paper_unit_sphere`, `w2_layer0_class1_case0_case1`. Layer entries are
 * `{Fv, Ccons, log_ratio, class_pair_sums_W2}`. Undefined values (a class with < 2 samples in a case) are NaN,
 * with a warning naming layer, case and class. Invalid input throws a TeError.
 */
export const estimateCcfv: EstimateSection = (input, warn) => {
  if (input.ccfv === undefined) return {};
  const data = ccfvDataFromInput(input.ccfv);
  const prep = new CcfvPrepared(data, (w: TeWarning) => warn(w.message));
  const official = ccfvFromPrepared(prep, { variant: 'official' });
  const officialSym = ccfvFromPrepared(prep, { variant: 'official_symmetric_sqrtm' });
  const paper = ccfvFromPrepared(prep, { variant: 'paper' });
  const paperUnit = ccfvFromPrepared(prep, { variant: 'paper_unit_sphere' });
  const [g0, g1] = prep.gaussians(0)[0]; // layer 0, class 1, cases 0 and 1 (already fitted above)
  const squared = w2SquaredSymmetric(g0, g1);
  return {
    ccfv_official: official.total,
    ccfv_official_layers: layerParts(official),
    ccfv_official_symmetric_sqrtm: officialSym.total,
    ccfv_paper: paper.total,
    ccfv_paper_layers: layerParts(paper),
    ccfv_paper_unit_sphere: paperUnit.total,
    w2_layer0_class1_case0_case1: { symmetric: Math.sqrt(squared), scipy_sqrtm: w2Scipy(g0, g1), squared_symmetric: squared },
  };
};

function layerParts(r: CcfvResult): Record<string, unknown>[] {
  return r.layers.map((l) => ({ Fv: l.fv, Ccons: l.ccons, log_ratio: l.logRatio, class_pair_sums_W2: l.classPairSums }));
}
