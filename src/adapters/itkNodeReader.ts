// Reads NRRD, MetaImage (.mha/.mhd) and other ITK formats in Node through itk-wasm (the CLI's path for the
// formats the pure-JS NIfTI reader does not cover). DICOM series go through @itk-wasm/dicom (dicomNode.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readImageNode } from '@itk-wasm/image-io';
import { TeError } from '../core/errors.ts';
import type { InputFile } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { fromItkImage } from './itkImage.ts';

export async function readItkNode(file: InputFile): Promise<Volume> {
  const dir = mkdtempSync(join(tmpdir(), 'transferlens-'));
  const path = join(dir, basename(file.name));
  try {
    writeFileSync(path, file.bytes);
    let image;
    try {
      image = await readImageNode(path);
    } catch (err) {
      throw new TeError('invalid-input', `${file.name}: not a readable image (${(err instanceof Error ? err.message : String(err)).split('\n')[0]})`, { file: file.name });
    }
    return fromItkImage(image, file.name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
