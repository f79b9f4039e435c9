// The Node host's Ports: volumes through the pure-JS NIfTI reader or itk-wasm, models through onnxruntime-node.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TeError } from '../core/errors.ts';
import type { InputFile, Ports } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { isNiftiName, readNifti } from './niftiReader.ts';
import { readItkNode } from './itkNodeReader.ts';
import { createNodeSession } from './ortNodeSession.ts';
import { isDicomName } from './dicomHeaders.ts';
import { readDicomSeriesNode } from './dicomNodeReader.ts';

export async function readVolumeNode(files: InputFile[]): Promise<Volume> {
  if (files.length === 0) throw new TeError('invalid-input', 'no image file given');
  const f = files[0];
  if (files.length > 1 || isDicomName(f.name)) return readDicomSeriesNode(files, files.length > 1 ? `${f.name} (+${files.length - 1} files)` : f.name);
  return isNiftiName(f.name) ? readNifti(f) : readItkNode(f);
}

export function nodePorts(): Ports {
  return {
    readVolume: readVolumeNode,
    createSession: createNodeSession,
    sha256: async (bytes) => createHash('sha256').update(bytes).digest('hex'),
    now: () => performance.now(),
  };
}
