// Reads decoder features at sampled full-resolution pixels straight from a coarse (stride s) feature map,
// as bilinear up-sampling with align_corners = False would give them, without building the up-sampled map.

/**
 * `map` is one image's C×h×w features (row-major). Pixel (r, c) of the full-resolution H×W grid maps to the
 * source position ((r + 0.5)/s − 0.5, (c + 0.5)/s − 0.5), clamped at the border (PyTorch's rule).
 * Writes the C values of each sampled pixel into `out` at row `k` (out is n×C).
 */
export function readFeaturesAt(
  map: Float32Array, channels: number, h: number, w: number, stride: number,
  pixels: Int32Array, fullCols: number, out: Float64Array,
): void {
  const plane = h * w;
  for (let k = 0; k < pixels.length; k++) {
    const r = Math.floor(pixels[k] / fullCols);
    const c = pixels[k] - r * fullCols;
    const [y0, y1, fy] = sourceCoord(r, stride, h);
    const [x0, x1, fx] = sourceCoord(c, stride, w);
    const w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
    const o = k * channels;
    for (let ch = 0; ch < channels; ch++) {
      const b = ch * plane;
      out[o + ch] = w00 * map[b + y0 * w + x0] + w01 * map[b + y0 * w + x1] + w10 * map[b + y1 * w + x0] + w11 * map[b + y1 * w + x1];
    }
  }
}

function sourceCoord(dst: number, stride: number, size: number): [number, number, number] {
  if (stride === 1) return [dst, dst, 0];
  const src = Math.max((dst + 0.5) / stride - 0.5, 0);
  const i0 = Math.min(Math.floor(src), size - 1);
  const i1 = Math.min(i0 + 1, size - 1);
  return [i0, i1, src - i0];
}
