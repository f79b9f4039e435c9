// Fast pure-JS NIfTI-1/2 reader (nifti-reader-js + the platform's DecompressionStream), for browser workers
// and Node alike; about 10× faster than itk-wasm for .nii(.gz) (browser-stack §4.2). It validates what
// itk-wasm silently accepts: truncated gzip, dim[0] > 7, zero/negative sizes or spacings, oversized volumes, NaN.
import * as nifti from 'nifti-reader-js';
import { TeError } from '../core/errors.ts';
import type { Vec3, Volume } from '../core/types.ts';
import type { InputFile } from '../core/ports.ts';

/** Volumes above this many bytes (decoded) are refused before anything is allocated. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

const BYTES: Record<number, number> = { 2: 1, 4: 2, 8: 4, 16: 4, 64: 8, 256: 1, 512: 2, 768: 4 };

export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

export async function readNifti(file: InputFile, opts: { maxBytes?: number } = {}): Promise<Volume> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const gz = file.bytes.length >= 2 && file.bytes[0] === 0x1f && file.bytes[1] === 0x8b;
  const raw = gz ? await gunzip(file, maxBytes) : file.bytes;
  // No copy when the bytes already own their buffer (gunzip output, large files): volumes can be hundreds of MB.
  const buf = (raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw.buffer : raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) as ArrayBuffer;
  if (!nifti.isNIFTI(buf)) throw new TeError('invalid-input', `${file.name}: not a NIfTI file (no NIfTI-1/2 magic in the header)`, { file: file.name });
  const h = nifti.readHeader(buf);
  const { size, bytesPerVoxel } = checkHeader(file.name, h, maxBytes);
  const nbytes = size[0] * size[1] * size[2] * bytesPerVoxel;
  const offset = Number(h.vox_offset);
  if (offset + nbytes > buf.byteLength) {
    throw new TeError('invalid-input', `${file.name}: file is truncated: the header promises ${nbytes} bytes of voxels from offset ${offset}, the file holds ${Math.max(buf.byteLength - offset, 0)}`, { file: file.name });
  }
  const data = decodeVoxels(buf, offset, nbytes, h, file.name);
  return { name: file.name, size, ...geometry(h, size), data };
}

async function gunzip(file: InputFile, maxBytes: number): Promise<Uint8Array> {
  const stream = new Blob([file.bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total > maxBytes + 1024 * 1024) {
        await reader.cancel();
        throw new TeError('unsupported', `${file.name}: decompresses to more than ${(maxBytes / 1024 ** 3).toFixed(1)} GiB; refused`, { file: file.name });
      }
    }
  } catch (err) {
    if (err instanceof TeError) throw err;
    throw new TeError('invalid-input', `${file.name}: the gzip stream is corrupt or truncated (${(err as Error).message})`, { file: file.name });
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

type Header = ReturnType<typeof nifti.readHeader>;

function checkHeader(name: string, h: Header, maxBytes: number): { size: Vec3; bytesPerVoxel: number } {
  const dims = h.dims.map(Number);
  const nd = dims[0];
  if (!(nd >= 1 && nd <= 7)) throw new TeError('invalid-input', `${name}: invalid NIfTI header: dim[0] = ${nd} (must be 1..7)`, { file: name });
  for (let i = 1; i <= nd; i++) {
    if (!(dims[i] >= 1)) throw new TeError('invalid-input', `${name}: invalid NIfTI header: dim[${i}] = ${dims[i]} (sizes must be ≥ 1)`, { file: name });
  }
  if (nd > 3 && dims.slice(4, nd + 1).some((d: number) => d > 1)) {
    throw new TeError('unsupported', `${name}: a ${nd}-D image (${dims.slice(1, nd + 1).join('×')}); TransferLens reads scalar 3-D volumes`, { file: name });
  }
  for (let i = 1; i <= Math.min(nd, 3); i++) {
    const p = Number(h.pixDims[i]);
    if (!(p > 0) || !Number.isFinite(p)) throw new TeError('invalid-input', `${name}: invalid NIfTI header: voxel spacing pixdim[${i}] = ${p} (must be > 0)`, { file: name });
  }
  const bytesPerVoxel = BYTES[h.datatypeCode];
  if (!bytesPerVoxel) throw new TeError('unsupported', `${name}: NIfTI datatype ${h.datatypeCode} is not supported (complex/RGB)`, { file: name });
  const size: Vec3 = [dims[1], nd >= 2 ? dims[2] : 1, nd >= 3 ? dims[3] : 1];
  const bytes = size[0] * size[1] * size[2] * bytesPerVoxel;
  if (bytes > maxBytes) {
    throw new TeError('unsupported', `${name}: ${size.join('×')} voxels (${(bytes / 1024 ** 3).toFixed(1)} GiB) exceed the ${(maxBytes / 1024 ** 3).toFixed(1)} GiB limit; refused before reading`, { file: name });
  }
  return { size, bytesPerVoxel };
}

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const VIEW: Record<number, { new (b: ArrayBuffer, o: number, n: number): Volume['data'] }> = {
  2: Uint8Array, 256: Int8Array, 4: Int16Array, 512: Uint16Array, 8: Int32Array, 768: Uint32Array, 16: Float32Array, 64: Float64Array,
};

function decodeVoxels(buf: ArrayBuffer, offset: number, nbytes: number, h: Header, name: string): Volume['data'] {
  const little = h.littleEndian;
  const code = h.datatypeCode;
  const n = nbytes / BYTES[code];
  // Zero-copy view when the file's byte order is the host's and the voxels are aligned (vox_offset 352 is).
  if ((little === HOST_LITTLE_ENDIAN || BYTES[code] === 1) && offset % BYTES[code] === 0) {
    return finish(new VIEW[code](buf, offset, n), h, name, n);
  }
  const bytes = buf.slice(offset, offset + nbytes);
  const view = new DataView(bytes);
  const read = (ctor: { new (n: number): Volume['data'] }, get: (i: number) => number) => {
    const out = new ctor(n);
    for (let i = 0; i < n; i++) out[i] = get(i);
    return out;
  };
  let data: Volume['data'];
  switch (code) {
    case 2: data = new Uint8Array(bytes); break;
    case 256: data = new Int8Array(bytes); break;
    case 4: data = read(Int16Array, (i) => view.getInt16(2 * i, little)); break;
    case 512: data = read(Uint16Array, (i) => view.getUint16(2 * i, little)); break;
    case 8: data = read(Int32Array, (i) => view.getInt32(4 * i, little)); break;
    case 768: data = read(Uint32Array, (i) => view.getUint32(4 * i, little)); break;
    case 16: data = read(Float32Array, (i) => view.getFloat32(4 * i, little)); break;
    default: data = read(Float64Array, (i) => view.getFloat64(8 * i, little)); break;
  }
  return finish(data, h, name, n);
}

function finish(data: Volume['data'], h: Header, name: string, n: number): Volume['data'] {
  const slope = Number(h.scl_slope), inter = Number(h.scl_inter);
  if (Number.isFinite(slope) && slope !== 0 && (slope !== 1 || inter !== 0)) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = data[i] * slope + inter;
    data = out;
  }
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(data[i])) throw new TeError('non-finite', `${name}: voxel ${i} is ${data[i]}; the image holds NaN or infinite values`, { file: name });
    }
  }
  return data;
}

/** ITK geometry (LPS) from the NIfTI affine (RAS): flip the first two world axes. */
function geometry(h: Header, size: Vec3): Pick<Volume, 'spacing' | 'origin' | 'direction'> {
  const a = h.affine as number[][];
  const pix = [1, 2, 3].map((i) => Number(h.pixDims[i]) || 1);
  const hasAffine = (Number(h.sform_code) > 0 || Number(h.qform_code) > 0) && a && a.length >= 3;
  const flip = [-1, -1, 1];
  const spacing: Vec3 = [0, 0, 0];
  const direction = new Array<number>(9).fill(0);
  const origin: Vec3 = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const col = hasAffine ? [a[0][c], a[1][c], a[2][c]] : [c === 0 ? pix[0] : 0, c === 1 ? pix[1] : 0, c === 2 ? pix[2] : 0];
    const norm = Math.hypot(col[0], col[1], col[2]) || pix[c];
    spacing[c] = c < 3 && size[c] >= 1 ? norm : 1;
    for (let r = 0; r < 3; r++) direction[r * 3 + c] = (flip[r] * col[r]) / norm || 0; // no −0
  }
  for (let r = 0; r < 3; r++) origin[r] = hasAffine ? flip[r] * a[r][3] || 0 : 0;
  return { spacing, origin, direction };
}
