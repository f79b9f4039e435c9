// Reads NRRD, MetaImage (.mha), single DICOM files and DICOM series inside our analysis worker through itk-wasm
// (issue 4 §1; browser-stack §4.1): pipelines from the app's own origin, no nested worker (webWorker: false).
import { readImage, setPipelinesBaseUrl as setImageIoPipelinesBaseUrl } from '@itk-wasm/image-io';
import { readImageDicomFileSeriesWorkerFunction, setPipelinesBaseUrl as setDicomPipelinesBaseUrl } from '@itk-wasm/dicom';
import type { Image } from 'itk-wasm';
import { TeError } from '../core/errors.ts';
import type { InputFile } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { fromItkImage } from './itkImage.ts';

/** Where vite.config.ts copies the pipelines, relative to the app's base URL. */
export const ITK_IMAGE_IO_DIR = 'itk/image-io/';
import { checkDicomSeries } from '../core/volume/dicomSeries.ts';
import { readDicomHeader } from './dicomHeaders.ts';

export const ITK_DICOM_DIR = 'itk/dicom/';

/** Points both itk-wasm packages at our origin; `appBase` is absolute (e.g. "http://localhost:4173/"). */
export function setItkPipelinesBase(appBase: string): void {
  // No trailing slash: itk-wasm joins `${base}/${pipeline}`.
  setImageIoPipelinesBaseUrl(new URL(ITK_IMAGE_IO_DIR, appBase).href.replace(/\/$/, ''));
  setDicomPipelinesBaseUrl(new URL(ITK_DICOM_DIR, appBase).href.replace(/\/$/, ''));
}

/** The image-io reader for a file, by extension; DICOM also by its "DICM" preamble. Null: not ours. */
export function itkFormatOf(file: InputFile): 'nrrd' | 'meta' | 'dicom' | null {
  const n = file.name.toLowerCase();
  if (/\.(nrrd|nhdr)$/.test(n)) return 'nrrd';
  if (n.endsWith('.mha')) return 'meta';
  if (n.endsWith('.dcm') || isDicomBytes(file.bytes)) return 'dicom';
  return null;
}

export function isDicomBytes(b: Uint8Array): boolean {
  return b.length > 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;
}

/** One NRRD / .mha / DICOM file. The bytes are copied into itk's memory (the caller keeps them). */
export async function readItkBrowser(file: InputFile): Promise<Volume> {
  const format = itkFormatOf(file);
  if (file.name.toLowerCase().endsWith('.mhd')) {
    throw new TeError('unsupported', `${file.name}: a .mhd header needs its separate raw file; save the image as a single .mha file`, { file: file.name });
  }
  if (!format) throw new TeError('unsupported', `${file.name}: not a format TransferLens reads (NIfTI .nii/.nii.gz, NRRD, MetaImage .mha, DICOM)`, { file: file.name });
  // itk-wasm picks its reader by extension: give extension-less DICOM files one.
  const path = format === 'dicom' && !file.name.toLowerCase().endsWith('.dcm') ? `${baseName(file.name)}.dcm` : baseName(file.name);
  let image: Image;
  try {
    ({ image } = await readImage({ path, data: file.bytes.slice() }, { webWorker: false }));
  } catch (err) {
    throw new TeError('invalid-input', `${file.name}: not a readable ${format.toUpperCase()} image (${firstLine(err)})`, { file: file.name });
  }
  return ownBuffer(fromItkImage(image, file.name));
}

/** itk-wasm may hand back a view into its wasm heap (not transferable, reused later): copy it out then. */
function ownBuffer(v: Volume): Volume {
  const d = v.data;
  const whole = d.buffer instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
  return whole ? v : { ...v, data: d.slice() as Volume['data'] };
}

/** A DICOM series (several files), sorted spatially by GDCM. */
export async function readDicomSeriesBrowser(files: InputFile[]): Promise<Volume> {
  const name = `${baseName(files[0].name)} (+${files.length - 1} files)`;
  // GDCM stacks unevenly spaced series silently: check positions and steps first (core/volume/dicomSeries.ts).
  checkDicomSeries(files.map(readDicomHeader), name);
  const inputs = files.map((f, i) => ({ path: `${i}_${baseName(f.name)}`, data: f.bytes.slice() }));
  let image: Image;
  try {
    ({ outputImage: image } = await readImageDicomFileSeriesWorkerFunction(inputs, false, { webWorker: false }));
  } catch (err) {
    throw new TeError('invalid-input', `${name}: not a readable DICOM series (${firstLine(err)})`, { file: files[0].name });
  }
  return ownBuffer(fromItkImage(image, name));
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() || 'image';
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n').find((l) => l.trim()) ?? 'unknown error';
}
