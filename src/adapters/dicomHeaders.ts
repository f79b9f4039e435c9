// Reads the geometry tags of DICOM files (positions, orientation, series UID) with dicom-parser, so that
// core/volume/dicomSeries.ts can check a series before itk-wasm stacks it.
import dicomParser from 'dicom-parser';
import { TeError } from '../core/errors.ts';
import type { InputFile } from '../core/ports.ts';
import type { DicomSliceHeader } from '../core/volume/dicomSeries.ts';

export function readDicomHeader(file: InputFile): DicomSliceHeader {
  let ds: ReturnType<typeof dicomParser.parseDicom>;
  try {
    ds = dicomParser.parseDicom(file.bytes, { untilTag: 'x7fe00010' });
  } catch (err) {
    throw new TeError('invalid-input', `${file.name}: not a readable DICOM file (${err instanceof Error ? err.message : String(err)})`, { file: file.name });
  }
  const nums = (tag: string): number[] | null => {
    const s = ds.string(tag);
    if (!s) return null;
    const v = s.split('\\').map(Number);
    return v.every(Number.isFinite) ? v : null;
  };
  return { file: file.name, position: nums('x00200032'), orientation: nums('x00200037'), seriesUid: ds.string('x0020000e') ?? undefined };
}

export function isDicomName(name: string): boolean {
  return /\.(dcm|dicom|ima)$/i.test(name) || !/\.[a-z0-9]+$/i.test(name.replace(/^.*[\\/]/, ''));
}
