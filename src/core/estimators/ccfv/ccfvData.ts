// CC-FV input: per layer, per case, the sampled voxel features and their classes (reference-vector schema `ccfv`,
// estimators-spec §2.2/§2.7), validated and converted to flat float64 matrices. Bad input throws a typed TeError.
import { TeError } from '../../errors.ts';
import type { Mat } from '../../linalg/matrix.ts';
import type { CcfvInput } from '../../estimate/schema.ts';

export interface CcfvCase {
  /** n × D sampled features (all classes, background included). */
  x: Mat;
  /** n voxel classes: 0 = background, 1..K foreground. */
  labels: Int32Array;
}

export interface CcfvLayer {
  name: string;
  d: number;
  cases: CcfvCase[];
}

export interface CcfvData {
  /** K foreground classes 1..K (label 0 = background). */
  numClasses: number;
  layers: CcfvLayer[];
}

/**
 * Checks and converts. Errors (TeError): K not an integer ≥ 1 or no layers ('invalid-input'); < 2 cases in a layer
 * ('too-few-cases'); layers with different case counts or cases of different D ('shape-mismatch'); ragged rows,
 * labels not integers in 0..K ('invalid-input': labels above K are REJECTED, not ignored as the official loop over
 * 1..K would, because they would still shift the feature-variety means); a case without rows ('too-few-samples');
 * NaN/±Inf features ('non-finite', naming layer, case and row).
 */
export function ccfvDataFromInput(input: CcfvInput): CcfvData {
  const k = input?.num_classes;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new TeError('invalid-input', `ccfv.num_classes must be an integer ≥ 1, got ${String(k)}`, { num_classes: k });
  }
  if (!Array.isArray(input.layers) || input.layers.length === 0) throw new TeError('invalid-input', 'ccfv.layers: no layers', {});
  const nCases = input.layers[0]?.cases?.length ?? 0;
  const layers = input.layers.map((layer, li) => {
    const name = typeof layer?.name === 'string' ? layer.name : `layer ${li}`;
    const cases = layer?.cases;
    if (!Array.isArray(cases)) throw new TeError('invalid-input', `ccfv layer ${name}: no cases array`, { layer: name });
    if (cases.length < 2) {
      throw new TeError('too-few-cases', `ccfv layer ${name}: ${cases.length} case(s); CC-FV compares cases pairwise and needs ≥ 2`, { layer: name, cases: cases.length });
    }
    if (cases.length !== nCases) {
      throw new TeError('shape-mismatch', `ccfv layer ${name}: ${cases.length} cases, layer 0 has ${nCases}`, { layer: name });
    }
    const conv = cases.map((c, ci) => convertCase(c, name, ci, k));
    const d = conv[0].x.cols;
    conv.forEach((c, ci) => {
      if (c.x.cols !== d) throw new TeError('shape-mismatch', `ccfv layer ${name}, case ${ci}: D = ${c.x.cols}, case 0 has D = ${d}`, { layer: name, case: ci });
    });
    return { name, d, cases: conv };
  });
  return { numClasses: k, layers };
}

function convertCase(c: CcfvInput['layers'][number]['cases'][number], layer: string, ci: number, k: number): CcfvCase {
  const where = `ccfv layer ${layer}, case ${ci}`;
  const rows = c?.features, labels = c?.labels;
  if (!Array.isArray(rows) || !Array.isArray(labels)) throw new TeError('invalid-input', `${where}: features and labels must be arrays`, { layer, case: ci });
  if (rows.length !== labels.length) {
    throw new TeError('shape-mismatch', `${where}: ${rows.length} feature rows but ${labels.length} labels`, { layer, case: ci });
  }
  if (rows.length === 0) throw new TeError('too-few-samples', `${where}: no sampled voxels`, { layer, case: ci });
  const d = Array.isArray(rows[0]) ? rows[0].length : 0;
  if (d === 0) throw new TeError('invalid-input', `${where}: feature rows must be non-empty arrays`, { layer, case: ci });
  const data = new Float64Array(rows.length * d);
  const y = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!Array.isArray(row) || row.length !== d) throw new TeError('invalid-input', `${where}: row ${r} has ${Array.isArray(row) ? row.length : 'no'} values, row 0 has ${d}`, { layer, case: ci, row: r });
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new TeError(typeof v === 'number' ? 'non-finite' : 'invalid-input', `${where}: feature [${r}][${j}] is ${String(v)}`, { layer, case: ci, row: r, column: j });
      }
      data[r * d + j] = v;
    }
    const lab = labels[r];
    if (typeof lab !== 'number' || !Number.isInteger(lab) || lab < 0 || lab > k) {
      throw new TeError('invalid-input', `${where}: label ${r} is ${String(lab)}; labels must be integers in 0..num_classes (${k})`, { layer, case: ci, row: r });
    }
    y[r] = lab;
  }
  return { x: { rows: rows.length, cols: d, data }, labels: y };
}

/** The rows of one case with label k (a new matrix; 0 rows when the class is absent). */
export function classRows(c: CcfvCase, k: number): Mat {
  const d = c.x.cols;
  let n = 0;
  for (let i = 0; i < c.labels.length; i++) if (c.labels[i] === k) n++;
  const out = new Float64Array(n * d);
  let r = 0;
  for (let i = 0; i < c.labels.length; i++) {
    if (c.labels[i] !== k) continue;
    out.set(c.x.data.subarray(i * d, (i + 1) * d), r * d);
    r++;
  }
  return { rows: n, cols: d, data: out };
}
