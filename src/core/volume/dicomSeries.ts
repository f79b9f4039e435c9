// Geometry checks of a DICOM series before it is stacked into a volume (issue 4 §8; itk-wasm reads unevenly
// spaced series silently): every slice needs a position, one orientation, and equal steps along the normal.
import { TeError } from '../errors.ts';

export interface DicomSliceHeader {
  file: string;
  /** ImagePositionPatient (0020,0032), mm; null when absent. */
  position: number[] | null;
  /** ImageOrientationPatient (0020,0037): row and column direction cosines; null when absent. */
  orientation: number[] | null;
  seriesUid?: string;
}

/** Relative tolerance on slice steps (1 %), absolute on orientation cosines. */
export const DICOM_TOLERANCE = { stepRel: 0.01, orientation: 1e-3 };

/** Validates the series; returns the slice order (indices into `slices`) and the slice spacing in mm. */
export function checkDicomSeries(slices: DicomSliceHeader[], series: string): { order: number[]; spacing: number } {
  const bad = (what: string, file?: string): never => {
    throw new TeError('invalid-input', `${series}: ${file ? `${file}: ` : ''}${what}`, { series, file });
  };
  if (slices.length === 0) bad('no DICOM files');
  const uids = new Set(slices.map((s) => s.seriesUid).filter(Boolean));
  if (uids.size > 1) bad(`the files belong to ${uids.size} different series (SeriesInstanceUID); load one series at a time`);
  if (slices.length === 1) return { order: [0], spacing: NaN };
  for (const s of slices) {
    if (!s.position || s.position.length !== 3 || s.position.some((v) => !Number.isFinite(v))) bad('missing or invalid ImagePositionPatient (0020,0032); slice positions are needed to stack the series', s.file);
    if (!s.orientation || s.orientation.length !== 6) bad('missing ImageOrientationPatient (0020,0037)', s.file);
  }
  const o = slices[0].orientation!;
  for (const s of slices) {
    if (s.orientation!.some((v, i) => Math.abs(v - o[i]) > DICOM_TOLERANCE.orientation)) bad(`slice orientation differs from ${slices[0].file}'s (a tilted or mixed series)`, s.file);
  }
  const normal = [o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]];
  const along = slices.map((s) => s.position!.reduce((a, v, i) => a + v * normal[i], 0));
  const order = along.map((_, i) => i).sort((a, b) => along[a] - along[b]);
  const steps = order.slice(1).map((i, k) => along[i] - along[order[k]]);
  const dup = steps.findIndex((d) => Math.abs(d) < 1e-6);
  if (dup >= 0) bad(`two slices at the same position (${slices[order[dup]].file} and ${slices[order[dup + 1]].file})`);
  const median = [...steps].sort((a, b) => a - b)[steps.length >> 1];
  steps.forEach((d, k) => {
    if (Math.abs(d - median) > DICOM_TOLERANCE.stepRel * median) {
      bad(`uneven slice spacing: ${d.toFixed(3)} mm between ${slices[order[k]].file} and ${slices[order[k + 1]].file}, ${median.toFixed(3)} mm elsewhere (missing or extra slices?)`);
    }
  });
  return { order, spacing: median };
}
