// CC-FV against the shared reference vectors (estimators-spec §2.7), through the estimate section and through
// the lower-level functions (ccfv variants, w2Gaussian), each at the vector's own tolerance.
import { describe, expect, it } from 'vitest';
import { compareNested, loadVector } from '../../../../test/support/referenceVectors.ts';
import { estimateCcfv } from '../../estimate/ccfvSection.ts';
import type { CcfvInput, VectorInput } from '../../estimate/schema.ts';
import { ccfv } from './ccfv.ts';
import { ccfvDataFromInput, classRows } from './ccfvData.ts';
import { w2Gaussian } from './w2Gaussian.ts';

const CCFV_KEYS = [
  'ccfv_official', 'ccfv_official_layers', 'ccfv_official_symmetric_sqrtm',
  'ccfv_paper', 'ccfv_paper_layers', 'ccfv_paper_unit_sphere', 'w2_layer0_class1_case0_case1',
];

describe.each(['basic', 'imbalanced', 'single_class'])('reference vector %s', (name) => {
  const v = loadVector(name);
  const expected = Object.fromEntries(CCFV_KEYS.map((k) => [k, v.expected[k]]));
  const input = v.input.ccfv as CcfvInput;

  it('estimateCcfv returns exactly the CC-FV keys of the vector, within tolerance', () => {
    const got = estimateCcfv(v.input as VectorInput, () => {});
    expect(Object.keys(got).sort()).toEqual([...CCFV_KEYS].sort());
    expect(compareNested(got, expected, v.tolerance)).toEqual([]);
  });

  it('ccfv() variants reproduce totals and per-layer parts', () => {
    const layerParts = (r: ReturnType<typeof ccfv>) =>
      r.layers.map((l) => ({ Fv: l.fv, Ccons: l.ccons, log_ratio: l.logRatio, class_pair_sums_W2: l.classPairSums }));
    const off = ccfv(input, { variant: 'official' });
    const pap = ccfv(input, { variant: 'paper' });
    const got = {
      ccfv_official: off.total,
      ccfv_official_layers: layerParts(off),
      ccfv_official_symmetric_sqrtm: ccfv(input, { variant: 'official_symmetric_sqrtm' }).total,
      ccfv_paper: pap.total,
      ccfv_paper_layers: layerParts(pap),
      ccfv_paper_unit_sphere: ccfv(input, { variant: 'paper_unit_sphere' }).total,
    };
    const { w2_layer0_class1_case0_case1: _w, ...rest } = expected;
    expect(compareNested(got, rest, v.tolerance)).toEqual([]);
  });

  it('w2Gaussian on layer 0, class 1, cases 0 and 1', () => {
    const data = ccfvDataFromInput(input);
    const got = w2Gaussian(classRows(data.layers[0].cases[0], 1), classRows(data.layers[0].cases[1], 1));
    expect(compareNested(got, expected.w2_layer0_class1_case0_case1, v.tolerance)).toEqual([]);
  });
});

it('estimateCcfv returns {} without a ccfv key', () => {
  expect(estimateCcfv({ features: [[1]], labels: [0] }, () => {})).toEqual({});
});

it('estimateCcfv reports invalid input as a TeError and undefined classes as NaN with a warning', () => {
  const v = loadVector('basic');
  const input = structuredClone(v.input) as VectorInput;
  const layers = (input.ccfv as CcfvInput).layers;
  expect(() => estimateCcfv({ ccfv: { ...(input.ccfv as CcfvInput), layers: [{ name: 'x', cases: [layers[0].cases[0]] }] } }, () => {}))
    .toThrow(expect.objectContaining({ code: 'too-few-cases' }));
  const c = layers[1].cases[2];
  c.labels = c.labels.map(() => 0); // class 1 absent from case 2 of layer 1
  const warnings: string[] = [];
  const got = estimateCcfv(input, (m) => warnings.push(m)) as Record<string, number>;
  expect(Number.isNaN(got.ccfv_official) && Number.isNaN(got.ccfv_paper)).toBe(true);
  expect(Number.isFinite((got.ccfv_official_layers as unknown as { Fv: number }[])[0].Fv)).toBe(true);
  expect(warnings.join('\n')).toMatch(/layer dec_last, case 2, class 1: 0 sampled voxel/);
});
