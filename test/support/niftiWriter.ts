// Writes small NIfTI-1 files for tests (header fields set by hand, so bad headers can be made on purpose).
import { gzipSync } from 'node:zlib';

export interface NiftiSpec {
  dims: number[]; // [nx, ny, nz] (dim[0] = length unless `dim0` overrides)
  data: ArrayLike<number>;
  datatype?: 2 | 4 | 16 | 64; // uint8, int16, float32, float64
  pixdim?: number[]; // spacing per axis
  affine?: number[][]; // 3×4 srow (RAS); default diag(pixdim)
  dim0?: number;
  gzip?: boolean;
}

export function writeNifti(spec: NiftiSpec): Uint8Array {
  const datatype = spec.datatype ?? 16;
  const bpv = { 2: 1, 4: 2, 16: 4, 64: 8 }[datatype];
  const header = new ArrayBuffer(352);
  const v = new DataView(header);
  v.setInt32(0, 348, true);
  const dims = spec.dims;
  v.setInt16(40, spec.dim0 ?? dims.length, true);
  for (let i = 0; i < 7; i++) v.setInt16(42 + 2 * i, dims[i] ?? 1, true);
  v.setInt16(70, datatype, true);
  v.setInt16(72, bpv * 8, true);
  const pix = spec.pixdim ?? [1, 1, 1];
  v.setFloat32(76, 1, true);
  for (let i = 0; i < 7; i++) v.setFloat32(80 + 4 * i, pix[i] ?? 1, true);
  v.setFloat32(108, 352, true); // vox_offset
  v.setFloat32(112, 1, true); // scl_slope
  v.setInt16(254, 2, true); // sform_code = aligned
  const aff = spec.affine ?? [[pix[0], 0, 0, 0], [0, pix[1], 0, 0], [0, 0, pix[2] ?? 1, 0]];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) v.setFloat32(280 + 16 * r + 4 * c, aff[r][c], true);
  new Uint8Array(header).set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"
  const n = spec.data.length;
  const body = new ArrayBuffer(n * bpv);
  const b = new DataView(body);
  for (let i = 0; i < n; i++) {
    const x = spec.data[i];
    if (datatype === 2) b.setUint8(i, x);
    else if (datatype === 4) b.setInt16(2 * i, x, true);
    else if (datatype === 16) b.setFloat32(4 * i, x, true);
    else b.setFloat64(8 * i, x, true);
  }
  const out = new Uint8Array(352 + n * bpv);
  out.set(new Uint8Array(header), 0);
  out.set(new Uint8Array(body), 352);
  return spec.gzip ? new Uint8Array(gzipSync(out)) : out;
}
