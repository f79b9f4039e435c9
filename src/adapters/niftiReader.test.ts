// The NIfTI reader on hand-made files: geometry to ITK LPS, data types, and every bad header of issue 4 §8.
import { describe, expect, it } from 'vitest';
import { readNifti } from './niftiReader.ts';
import { writeNifti } from '../../test/support/niftiWriter.ts';

const file = (name: string, bytes: Uint8Array) => ({ name, bytes });

describe('readNifti', () => {
  it('reads data and geometry (RAS affine → LPS origin/direction)', async () => {
    const data = Array.from({ length: 24 }, (_, i) => i);
    const bytes = writeNifti({ dims: [2, 3, 4], data, datatype: 4, pixdim: [1.5, 2, 3], affine: [[-1.5, 0, 0, 90], [0, 2, 0, -126], [0, 0, 3, -72]], gzip: true });
    const v = await readNifti(file('t1.nii.gz', bytes));
    expect(v.size).toEqual([2, 3, 4]);
    expect(v.spacing.map((s) => +s.toFixed(6))).toEqual([1.5, 2, 3]);
    expect(v.origin).toEqual([-90, 126, -72]);
    expect(v.direction).toEqual([1, 0, 0, 0, -2 / 2, 0, 0, 0, 1]);
    expect(Array.from(v.data)).toEqual(data);
    expect(v.data).toBeInstanceOf(Int16Array);
  });

  it('refuses a truncated .nii.gz, naming the file', async () => {
    const bytes = writeNifti({ dims: [8, 8, 8], data: new Array(512).fill(1), gzip: true });
    await expect(readNifti(file('cut.nii.gz', bytes.slice(0, bytes.length - 40)))).rejects.toThrow(/cut\.nii\.gz.*(truncated|corrupt)/);
  });

  it('refuses a file whose voxels stop early', async () => {
    const bytes = writeNifti({ dims: [8, 8, 8], data: new Array(512).fill(1) });
    await expect(readNifti(file('short.nii', bytes.slice(0, 400)))).rejects.toThrow(/short\.nii: file is truncated/);
  });

  it('refuses bad headers: dim[0] > 7, zero size, zero or negative spacing', async () => {
    await expect(readNifti(file('d0.nii', writeNifti({ dims: [2, 2, 2], data: new Array(8).fill(0), dim0: 9 })))).rejects.toThrow(/d0\.nii.*dim\[0\] = 9/);
    await expect(readNifti(file('z.nii', writeNifti({ dims: [2, 0, 2], data: [] })))).rejects.toThrow(/z\.nii.*dim\[2\] = 0/);
    await expect(readNifti(file('s.nii', writeNifti({ dims: [2, 2, 2], data: new Array(8).fill(0), pixdim: [1, 0, 1] })))).rejects.toThrow(/s\.nii.*pixdim\[2\] = 0/);
    await expect(readNifti(file('n.nii', writeNifti({ dims: [2, 2, 2], data: new Array(8).fill(0), pixdim: [1, 1, -2] })))).rejects.toThrow(/n\.nii.*pixdim\[3\] = -2/);
  });

  it('refuses a volume too large for memory before allocating it', async () => {
    // Header says 30000³ float32 (~100 TB); the file itself is tiny.
    const bytes = writeNifti({ dims: [30000, 30000, 30000], data: [] });
    await expect(readNifti(file('huge.nii', bytes))).rejects.toThrow(/huge\.nii.*exceed.*refused before reading/);
  });

  it('refuses NaN voxels and non-NIfTI bytes', async () => {
    await expect(readNifti(file('nan.nii', writeNifti({ dims: [2, 1, 1], data: [1, NaN] })))).rejects.toThrow(/nan\.nii.*NaN/);
    await expect(readNifti(file('notes.nii', new TextEncoder().encode('hello, this is not an image'.repeat(20))))).rejects.toThrow(/notes\.nii: not a NIfTI file/);
  });
});
