// itk-wasm (Node) and the pure-JS NIfTI reader must agree on geometry: the same oblique file read both ways.
import { describe, expect, it } from 'vitest';
import { readItkNode } from './itkNodeReader.ts';
import { readNifti } from './niftiReader.ts';
import { writeNifti } from '../../test/support/niftiWriter.ts';

describe('itk-wasm and nifti-reader-js agree', () => {
  it('on size, spacing, origin, direction and voxels of an oblique volume', async () => {
    const c = Math.cos(0.3), s = Math.sin(0.3);
    const bytes = writeNifti({ dims: [3, 4, 5], data: Array.from({ length: 60 }, (_, i) => i), pixdim: [1.5, 2, 3], affine: [[1.5 * c, -2 * s, 0, 10], [1.5 * s, 2 * c, 0, -20], [0, 0, 3, 5]] });
    const a = await readNifti({ name: 'x.nii', bytes });
    const b = await readItkNode({ name: 'x.nii', bytes });
    expect(b.size).toEqual(a.size);
    for (let i = 0; i < 3; i++) {
      expect(b.spacing[i]).toBeCloseTo(a.spacing[i], 6);
      expect(b.origin[i]).toBeCloseTo(a.origin[i], 5);
    }
    for (let i = 0; i < 9; i++) expect(b.direction[i]).toBeCloseTo(a.direction[i], 6);
    // LPS: the first world axis of voxel axis i is −cos(0.3).
    expect(a.direction[0]).toBeCloseTo(-c, 6);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('names the file when itk-wasm cannot read it', async () => {
    await expect(readItkNode({ name: 'scan.nrrd', bytes: new TextEncoder().encode('NRRD0004\ngarbage') })).rejects.toThrow(/scan\.nrrd/);
  });
});
