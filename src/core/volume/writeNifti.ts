// Writes a float32 volume as NIfTI-1 bytes with the geometry of a reference volume (for exporting risk maps):
// the ITK LPS geometry is turned back into a RAS sform (flip the first two world axes).
import type { Volume } from '../types.ts';

export function writeNiftiFloat32(data: Float32Array, ref: Volume, description = 'TransferLens'): Uint8Array {
  const out = new Uint8Array(352 + data.length * 4);
  const v = new DataView(out.buffer);
  v.setInt32(0, 348, true);
  v.setInt16(40, 3, true);
  ref.size.forEach((n, i) => v.setInt16(42 + 2 * i, n, true));
  for (let i = 3; i < 7; i++) v.setInt16(42 + 2 * i, 1, true);
  v.setInt16(70, 16, true); // float32
  v.setInt16(72, 32, true);
  v.setFloat32(76, 1, true);
  ref.spacing.forEach((s, i) => v.setFloat32(80 + 4 * i, s, true));
  v.setFloat32(108, 352, true);
  v.setFloat32(112, 1, true); // scl_slope
  const desc = Array.from(description.slice(0, 79), (ch) => ch.charCodeAt(0) & 0x7f);
  out.set(desc, 148);
  v.setInt16(252, 0, true); // qform_code
  v.setInt16(254, 1, true); // sform_code = scanner
  const flip = [-1, -1, 1];
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) v.setFloat32(280 + 16 * r + 4 * c, flip[r] * ref.direction[r * 3 + c] * ref.spacing[c], true);
    v.setFloat32(280 + 16 * r + 12, flip[r] * ref.origin[r], true);
  }
  out.set([0x6e, 0x2b, 0x31, 0x00], 344);
  for (let i = 0; i < data.length; i++) v.setFloat32(352 + 4 * i, data[i], true);
  return out;
}
