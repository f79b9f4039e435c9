// Seeded synthetic fine-tuning slices for the benchmarks: n cases of h×w, one noisy disc each (label 1 inside).
import { createRng } from '../src/core/sampling/rng.ts';

export function syntheticSlices(n = 12, h = 128, w = 128, seed = 7) {
  const rng = createRng(seed), images = new Float32Array(n * h * w), labels = new Int32Array(n * h * w);
  for (let c = 0; c < n; c++) {
    const cy = 40 + rng.int(48), cx = 40 + rng.int(48), r2 = (20 + rng.int(16)) ** 2;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const p = (c * h + y) * w + x, inside = (y - cy) ** 2 + (x - cx) ** 2 < r2;
      labels[p] = inside ? 1 : 0;
      images[p] = (inside ? 0.7 : 0.2) + 0.1 * rng.normal();
    }
  }
  return { images, labels, n, h, w };
}
