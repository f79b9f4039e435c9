// Converts an itk-wasm Image to the core's Volume, with the checks itk-wasm does not make (NaN voxels, vectors).
import type { Image } from 'itk-wasm';
import { TeError } from '../core/errors.ts';
import type { Vec3, Volume } from '../core/types.ts';

export function fromItkImage(image: Image, name: string): Volume {
  const dim = image.imageType.dimension;
  if (image.imageType.components !== 1) throw new TeError('unsupported', `${name}: ${image.imageType.components}-component pixels; TransferLens reads scalar images`, { file: name });
  if (dim < 2 || dim > 3) throw new TeError('unsupported', `${name}: a ${dim}-D image; TransferLens reads 2-D or 3-D scalar images`, { file: name });
  const size: Vec3 = [image.size[0], image.size[1], dim === 3 ? image.size[2] : 1];
  const spacing: Vec3 = [image.spacing[0], image.spacing[1], dim === 3 ? image.spacing[2] : 1];
  const origin: Vec3 = [image.origin[0], image.origin[1], dim === 3 ? image.origin[2] : 0];
  // itk-wasm's direction is row-major (element (r, c) at r·dim + c): checked against the NIfTI affine in a test.
  const direction = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) direction[r * 3 + c] = Number(image.direction[r * dim + c]) || 0;
  const data = image.data as Volume['data'] | null;
  if (!data) throw new TeError('invalid-input', `${name}: the image holds no pixel data`, { file: name });
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new TeError('non-finite', `${name}: voxel ${i} is ${data[i]}; the image holds NaN or infinite values`, { file: name });
  }
  return { name, size, spacing, origin, direction, data };
}
