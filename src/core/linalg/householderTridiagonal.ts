// Eigenvalue-only Householder tridiagonalisation of a symmetric matrix, reading the LOWER triangle row by row
// (contiguous memory) and fusing each rank-2 update with the next step's matrix-vector product (§2.3 speed).

/**
 * Reduces the symmetric n×n row-major matrix whose lower triangle is in `a` (destroyed) to tridiagonal form:
 * on return d[i] is the diagonal and e[i] (i ≥ 1) the sub-diagonal entry between rows i − 1 and i, e[0] = 0
 * (the EISPACK tred2 convention). Same eigenvalues as `a`; no orthogonal factor is accumulated.
 */
export function tridiagonaliseLower(a: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  e.fill(0, 0, n);
  if (n <= 2) {
    for (let i = 0; i < n; i++) d[i] = a[i * n + i];
    if (n === 2) e[1] = a[n];
    return;
  }
  let v = new Float64Array(n);
  let p = new Float64Array(n);
  let v2 = new Float64Array(n);
  let p2 = new Float64Array(n);
  const w = new Float64Array(n);
  let beta = reflector(a, n, n - 1, v, e);
  if (beta !== 0) plainMatvec(a, n, n - 1, v, p);
  for (let k = n - 1; k >= 2; k--) {
    // Step k: the block 0..k−1 is updated with H = I − β v vᵀ; row k is final.
    const upd = beta !== 0;
    if (upd) {
      let pv = 0;
      for (let c = 0; c < k; c++) pv += p[c] * v[c];
      const half = 0.5 * beta * beta * pv;
      for (let c = 0; c < k; c++) w[c] = beta * p[c] - half * v[c];
      updateRow(a, n, k - 1, v, w);
    }
    if (k === 2) {
      if (upd) updateRow(a, n, 0, v, w);
      break;
    }
    const beta2 = reflector(a, n, k - 1, v2, e);
    p2.fill(0, 0, k - 1);
    fusedSweep(a, n, k - 1, upd, v, w, beta2 !== 0, v2, p2);
    [v, v2] = [v2, v];
    [p, p2] = [p2, p];
    beta = beta2;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  e[1] = a[n];
}

/** Householder vector for row k (entries 0..k−1) into v; sets e[k]; returns β (0 = no reflection needed). */
function reflector(a: Float64Array, n: number, k: number, v: Float64Array, e: Float64Array): number {
  const o = k * n;
  let scale = 0;
  for (let c = 0; c < k; c++) scale = Math.max(scale, Math.abs(a[o + c]));
  if (scale === 0) {
    e[k] = 0;
    return 0;
  }
  let s2 = 0;
  for (let c = 0; c < k; c++) {
    const x = a[o + c] / scale;
    v[c] = x;
    s2 += x * x;
  }
  const sigma = Math.sqrt(s2);
  const last = v[k - 1];
  const alpha = last > 0 ? -sigma : sigma;
  v[k - 1] = last - alpha;
  e[k] = alpha * scale;
  return 1 / (sigma * (sigma + Math.abs(last)));
}

/** p[0..k−1] = A v on the block 0..k−1 (lower triangle rows). */
function plainMatvec(a: Float64Array, n: number, k: number, v: Float64Array, p: Float64Array): void {
  p.fill(0, 0, k);
  for (let r = 0; r < k; r++) {
    const o = r * n, vr = v[r];
    let dot = 0;
    for (let c = 0; c < r; c++) {
      const x = a[o + c];
      dot += x * v[c];
      p[c] += x * vr;
    }
    p[r] += dot + a[o + r] * vr;
  }
}

/** A[r, 0..r] −= v[r] w + w[r] v. */
function updateRow(a: Float64Array, n: number, r: number, v: Float64Array, w: Float64Array): void {
  const o = r * n, vr = v[r], wr = w[r];
  for (let c = 0; c <= r; c++) a[o + c] -= vr * w[c] + wr * v[c];
}

/** Rows 0..m−1: optional rank-2 update with (v, w), then optional accumulation of p2 = A v2. */
function fusedSweep(
  a: Float64Array, n: number, m: number,
  upd: boolean, v: Float64Array, w: Float64Array,
  mv: boolean, v2: Float64Array, p2: Float64Array,
): void {
  if (upd && mv) {
    // Two rows per sweep: the vector loads (w, v, v2) and the p2 update are shared by both rows.
    let r = 0;
    for (; r + 1 < m; r += 2) {
      const o0 = r * n, o1 = o0 + n;
      const vr0 = v[r], wr0 = w[r], ur0 = v2[r], vr1 = v[r + 1], wr1 = w[r + 1], ur1 = v2[r + 1];
      let dot0 = 0, dot1 = 0;
      for (let c = 0; c < r; c++) {
        const wc = w[c], vc = v[c], uc = v2[c];
        const x0 = a[o0 + c] - (vr0 * wc + wr0 * vc);
        const x1 = a[o1 + c] - (vr1 * wc + wr1 * vc);
        a[o0 + c] = x0;
        a[o1 + c] = x1;
        dot0 += x0 * uc;
        dot1 += x1 * uc;
        p2[c] += x0 * ur0 + x1 * ur1;
      }
      const diag0 = a[o0 + r] - 2 * vr0 * wr0;
      a[o0 + r] = diag0;
      const off = a[o1 + r] - (vr1 * w[r] + wr1 * v[r]);
      a[o1 + r] = off;
      dot1 += off * ur0;
      p2[r] += dot0 + diag0 * ur0 + off * ur1;
      const diag1 = a[o1 + r + 1] - 2 * vr1 * wr1;
      a[o1 + r + 1] = diag1;
      p2[r + 1] += dot1 + diag1 * ur1;
    }
    if (r < m) {
      const o = r * n, vr = v[r], wr = w[r], ur = v2[r];
      let dot = 0;
      for (let c = 0; c < r; c++) {
        const x = a[o + c] - (vr * w[c] + wr * v[c]);
        a[o + c] = x;
        dot += x * v2[c];
        p2[c] += x * ur;
      }
      const diag = a[o + r] - 2 * vr * wr;
      a[o + r] = diag;
      p2[r] += dot + diag * ur;
    }
  } else if (upd) {
    for (let r = 0; r < m; r++) updateRow(a, n, r, v, w);
  } else if (mv) {
    plainMatvec(a, n, m, v2, p2);
  }
}
