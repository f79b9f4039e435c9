// Neighbourhood preservation of a labelled 2-D layout (the quality measure of browser-stack.md §7 and
// issue 5 item 5): the mean share of each point's k nearest layout neighbours that carry its label.

/** Pushes (d, j) into a max-heap of capacity k held in hd/hi (size s); returns the new size. */
function offer(hd: Float64Array, hi: Int32Array, s: number, k: number, d: number, j: number): number {
  if (s < k) {
    let c = s;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (hd[p] >= d) break;
      hd[c] = hd[p]; hi[c] = hi[p]; c = p;
    }
    hd[c] = d; hi[c] = j;
    return s + 1;
  }
  if (d >= hd[0]) return s;
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= k) break;
    const m = l + 1 < k && hd[l + 1] > hd[l] ? l + 1 : l;
    if (hd[m] <= d) break;
    hd[c] = hd[m]; hi[c] = hi[m]; c = m;
  }
  hd[c] = d; hi[c] = j;
  return s;
}

/**
 * Mean over points of |{j ∈ kNN_2D(i) : label_j = label_i}| / k, exact (O(n²)), self excluded.
 * 1 is perfect; for C equal-sized, well-mixed classes chance is about 1/C. Requires n > k.
 */
export function neighbourhoodScore(y: Float64Array, labels: ArrayLike<number>, k = 10): number {
  const n = labels.length;
  if (y.length !== 2 * n) throw new RangeError(`neighbourhoodScore: ${y.length} coordinates for ${n} labels`);
  if (!(k >= 1 && k < n)) throw new RangeError(`neighbourhoodScore: k = ${k} must be in [1, n − 1]`);
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const px = y[2 * i], py = y[2 * i + 1];
    let s = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = px - y[2 * j], dy = py - y[2 * j + 1];
      s = offer(hd, hi, s, k, dx * dx + dy * dy, j);
    }
    let same = 0;
    for (let a = 0; a < k; a++) if (labels[hi[a]] === labels[i]) same++;
    total += same / k;
  }
  return total / n;
}
