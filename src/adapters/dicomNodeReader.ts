// Reads a DICOM series in Node: geometry checked first (core/volume/dicomSeries), then stacked by @itk-wasm/dicom.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageDicomFileSeriesNode } from '@itk-wasm/dicom';
import { TeError } from '../core/errors.ts';
import type { InputFile } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { checkDicomSeries } from '../core/volume/dicomSeries.ts';
import { readDicomHeader } from './dicomHeaders.ts';
import { fromItkImage } from './itkImage.ts';

export async function readDicomSeriesNode(files: InputFile[], series = files[0]?.name ?? 'DICOM series'): Promise<Volume> {
  checkDicomSeries(files.map(readDicomHeader), series);
  const dir = mkdtempSync(join(tmpdir(), 'transferlens-dicom-'));
  try {
    const paths = files.map((f, i) => {
      const p = join(dir, `${String(i).padStart(5, '0')}.dcm`);
      writeFileSync(p, f.bytes);
      return p;
    });
    let r;
    try {
      r = await readImageDicomFileSeriesNode({ inputImages: paths, singleSortedSeries: false });
    } catch (err) {
      throw new TeError('invalid-input', `${series}: itk-wasm could not read the series (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`);
    }
    return fromItkImage(r.outputImage, series);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
