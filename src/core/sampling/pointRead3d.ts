// Reads 3-D decoder features at sampled full-resolution voxels from a coarse (stride s) C×d×h×w map, as
// trilinear up-sampling with align_corners = False would give them (the 3-D twin of pointRead.ts).

/** `pos` holds (z, y, x) triples on the full-resolution window grid; writes n × C rows into `out` at `rows`. */
export function readFeaturesAt3D(
  map: Float32Array, channels: number, d: number, h: number, w: number, stride: number,
  pos: Int32Array, rows: number[], out: Float64Array,
): void {
  const plane = h * w, vol = d * plane;
  for (let k = 0; k < rows.length; k++) {
    const [z0, z1, fz] = coord(pos[3 * k], stride, d);
    const [y0, y1, fy] = coord(pos[3 * k + 1], stride, h);
    const [x0, x1, fx] = coord(pos[3 * k + 2], stride, w);
    const o = rows[k] * channels;
    const i000 = z0 * plane + y0 * w + x0, i001 = z0 * plane + y0 * w + x1, i010 = z0 * plane + y1 * w + x0, i011 = z0 * plane + y1 * w + x1;
    const i100 = z1 * plane + y0 * w + x0, i101 = z1 * plane + y0 * w + x1, i110 = z1 * plane + y1 * w + x0, i111 = z1 * plane + y1 * w + x1;
    const w000 = (1 - fz) * (1 - fy) * (1 - fx), w001 = (1 - fz) * (1 - fy) * fx, w010 = (1 - fz) * fy * (1 - fx), w011 = (1 - fz) * fy * fx;
    const w100 = fz * (1 - fy) * (1 - fx), w101 = fz * (1 - fy) * fx, w110 = fz * fy * (1 - fx), w111 = fz * fy * fx;
    for (let c = 0; c < channels; c++) {
      const b = c * vol;
      out[o + c] = w000 * map[b + i000] + w001 * map[b + i001] + w010 * map[b + i010] + w011 * map[b + i011]
        + w100 * map[b + i100] + w101 * map[b + i101] + w110 * map[b + i110] + w111 * map[b + i111];
    }
  }
}

function coord(dst: number, stride: number, size: number): [number, number, number] {
  if (stride === 1) return [dst, dst, 0];
  const src = Math.max((dst + 0.5) / stride - 0.5, 0);
  const i0 = Math.min(Math.floor(src), size - 1);
  return [i0, Math.min(i0 + 1, size - 1), src - i0];
}
