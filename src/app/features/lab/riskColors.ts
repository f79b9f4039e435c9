// Pixels of the lab's risk-map view (presentation only, the numbers come from the worker): a slice in grey with R
// (1..10, the same fixed scale for "before" and "after") as a heat overlay, and the colour bar's pixels.

export const R_MIN = 1, R_MAX = 10;
const ALPHA = 0.55;

/** Heat colour of R on the fixed [1, 10] scale: black → red → yellow → white ("hot"), as [r, g, b] 0..255. */
export function heat(r: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, (r - R_MIN) / (R_MAX - R_MIN))) * 3;
  const ch = (x: number) => Math.round(255 * Math.min(1, Math.max(0, x)));
  return [ch(t), ch(t - 1), ch(t - 2)];
}

/** RGBA pixels of one slice: the image in grey (its own min..max) blended with heat(R) at ALPHA. */
export function overlayPixels(image: Float32Array, risk: Float32Array): Uint8ClampedArray {
  let lo = Infinity, hi = -Infinity;
  for (const v of image) { if (v < lo) lo = v; if (v > hi) hi = v; }
  const span = hi > lo ? hi - lo : 1, out = new Uint8ClampedArray(4 * image.length);
  for (let p = 0; p < image.length; p++) {
    const g = (255 * (image[p] - lo)) / span, [r, gr, b] = heat(risk[p]);
    out[4 * p] = (1 - ALPHA) * g + ALPHA * r;
    out[4 * p + 1] = (1 - ALPHA) * g + ALPHA * gr;
    out[4 * p + 2] = (1 - ALPHA) * g + ALPHA * b;
    out[4 * p + 3] = 255;
  }
  return out;
}

/** RGBA pixels of a vertical colour bar `height` tall (R_MAX on top), `width` wide. */
export function colorBarPixels(width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(4 * width * height);
  for (let y = 0; y < height; y++) {
    const [r, g, b] = heat(R_MAX - ((R_MAX - R_MIN) * y) / Math.max(1, height - 1));
    for (let x = 0; x < width; x++) out.set([r, g, b, 255], 4 * (y * width + x));
  }
  return out;
}
