// Sliding-window geometry in MONAI's vocabulary (roiSize, overlap): window starts along each axis, and which
// non-overlapping tiles contain sampled voxels (sample first, then infer: issue 4 §4).

/** Window starts covering [0, size) with windows of `roi` and the given overlap (MONAI's dense_patch_slices rule). */
export function windowStarts(size: number, roi: number, overlap: number): number[] {
  if (size <= roi) return [0];
  const step = Math.max(1, Math.floor(roi * (1 - overlap)));
  const starts: number[] = [];
  for (let s = 0; s + roi < size; s += step) starts.push(s);
  starts.push(size - roi);
  return [...new Set(starts)];
}

/** Number of windows a full sliding-window pass over a `size` grid (D, H, W) runs. */
export function countWindows(size: number[], roi: number[], overlap: number): number {
  return size.reduce((n, s, a) => n * windowStarts(s, roi[a], overlap).length, 1);
}

/**
 * Groups sampled voxels (z, y, x triples) by the non-overlapping tile (roi-sized, overlap 0) that holds them.
 * Returns tile origins and, per tile, the indices of its voxels in `pos`.
 */
export function tilesOfSamples(pos: Int32Array, size: number[], roi: number[]): { origin: number[]; members: number[] }[] {
  const starts = size.map((s, a) => windowStarts(s, roi[a], 0));
  const tiles = new Map<string, { origin: number[]; members: number[] }>();
  for (let k = 0; k < pos.length / 3; k++) {
    const origin = [0, 1, 2].map((a) => {
      const v = pos[3 * k + a];
      let best = starts[a][0];
      for (const s of starts[a]) if (s <= v && v < s + roi[a]) { best = s; break; }
      return best;
    });
    const key = origin.join(',');
    let t = tiles.get(key);
    if (!t) tiles.set(key, (t = { origin, members: [] }));
    t.members.push(k);
  }
  return [...tiles.values()];
}
