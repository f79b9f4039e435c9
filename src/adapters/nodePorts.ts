// The Node host's Ports: volumes through the pure-JS NIfTI reader or itk-wasm, models through onnxruntime-node.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { TeError } from '../core/errors.ts';
import type { InputFile, Ports } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { isNiftiName, readNifti } from './niftiReader.ts';
import { readItkNode } from './itkNodeReader.ts';
import { createNodeSession } from './ortNodeSession.ts';

export async function readVolumeNode(files: InputFile[]): Promise<Volume> {
  if (files.length === 0) throw new TeError('invalid-input', 'no image file given');
  if (files.length > 1) throw new TeError('unsupported', `${files[0].name} (+${files.length - 1} files): DICOM series are read in the browser only in this version`);
  const f = files[0];
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
