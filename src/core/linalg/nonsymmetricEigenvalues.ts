// Eigenvalues of a general real square matrix: Householder reduction to upper Hessenberg form, then the
// Francis double-shift QR iteration (EISPACK orthes + hqr, eigenvalues only). Used by the scipy-style W₂ (§2.3).
import { TeError } from '../errors.ts';

export interface ComplexEigenvalues {
  /** Real parts, in the order the QR iteration deflates them (not sorted). */
  re: Float64Array;
  /** Imaginary parts; complex eigenvalues come in conjugate pairs. */
  im: Float64Array;
}

const EPS = 2 ** -52;

/** Eigenvalues of the n×n row-major matrix `a` (not modified). */
export function nonsymmetricEigenvalues(a: Float64Array, n: number): ComplexEigenvalues {
  if (a.length < n * n) throw new RangeError(`nonsymmetricEigenvalues: expected ${n}×${n} values, got ${a.length}`);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const { isolated, rest } = isolateByPermutation(a, n);
  isolated.forEach((v, k) => (re[k] = v));
  const m = rest.length;
  const h = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) h[i * m + j] = a[rest[i] * n + rest[j]];
  toHessenberg(h, m);
  const wr = new Float64Array(m), wi = new Float64Array(m);
  hessenbergQr(h, m, wr, wi);
  re.set(wr, isolated.length);
  im.set(wi, isolated.length);
  return { re, im };
}

/**
 * LAPACK dgebal('P'), which scipy's Schur decomposition (dgees) applies first: a row (or column) whose entries
 * outside the diagonal are all exactly 0 within the remaining block holds an eigenvalue exactly (its diagonal entry)
 * and is split off. Dead feature channels give such rows; without this their exact zero eigenvalues would come out
 * as rounding noise.
 */
function isolateByPermutation(a: Float64Array, n: number): { isolated: number[]; rest: Int32Array } {
  const active = new Uint8Array(n).fill(1);
  const isolated: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      let rowZero = true, colZero = true;
      for (let j = 0; j < n && (rowZero || colZero); j++) {
        if (j === i || !active[j]) continue;
        if (a[i * n + j] !== 0) rowZero = false;
        if (a[j * n + i] !== 0) colZero = false;
      }
      if (rowZero || colZero) {
        isolated.push(a[i * n + i]);
        active[i] = 0;
        changed = true;
      }
    }
  }
  const rest: number[] = [];
  for (let i = 0; i < n; i++) if (active[i]) rest.push(i);
  return { isolated, rest: Int32Array.from(rest) };
}

/** In place: H ← Qᵀ H Q upper Hessenberg (entries below the subdiagonal set to 0). */
function toHessenberg(h: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const f = new Float64Array(n);
  for (let m = 1; m < n - 1; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(h[i * n + m - 1]);
    if (scale === 0) continue;
    let hh = 0;
    for (let i = m; i < n; i++) {
      ort[i] = h[i * n + m - 1] / scale;
      hh += ort[i] * ort[i];
    }
    let g = Math.sqrt(hh);
    if (ort[m] > 0) g = -g;
    hh -= ort[m] * g;
    ort[m] -= g;
    // Left: rows m..n-1, all columns j ≥ m − 1 (row-wise accumulation keeps memory access contiguous).
    f.fill(0, m - 1, n);
    for (let i = m; i < n; i++) {
      const oi = ort[i], ri = i * n;
      for (let j = m - 1; j < n; j++) f[j] += oi * h[ri + j];
    }
    for (let j = m - 1; j < n; j++) f[j] /= hh;
    for (let i = m; i < n; i++) {
      const oi = ort[i], ri = i * n;
      for (let j = m - 1; j < n; j++) h[ri + j] -= f[j] * oi;
    }
    // Right: all rows, columns m..n-1.
    for (let i = 0; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let j = m; j < n; j++) s += ort[j] * h[ri + j];
      s /= hh;
      for (let j = m; j < n; j++) h[ri + j] -= s * ort[j];
    }
    h[m * n + m - 1] = scale * g;
    for (let i = m + 1; i < n; i++) h[i * n + m - 1] = 0;
  }
}

/** Francis double-shift QR on the upper Hessenberg `h` (destroyed); eigenvalues into re/im. */
function hessenbergQr(a: Float64Array, n: number, wr: Float64Array, wi: Float64Array): void {
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(a[i * n + j]);
  let nn = n - 1;
  let t = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      for (l = nn; l >= 1; l--) {
        let s = Math.abs(a[(l - 1) * n + l - 1]) + Math.abs(a[l * n + l]);
        if (s === 0) s = anorm;
        if (Math.abs(a[l * n + l - 1]) <= EPS * s) {
          a[l * n + l - 1] = 0;
          break;
        }
      }
      let x = a[nn * n + nn];
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn] = 0;
        nn--;
      } else {
        let y = a[(nn - 1) * n + nn - 1];
        let w = a[nn * n + nn - 1] * a[(nn - 1) * n + nn];
        if (l === nn - 1) {
          const p = 0.5 * (y - x);
          const q = p * p + w;
          let z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? z : -z);
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn] = z;
            wi[nn - 1] = -z;
          }
          nn -= 2;
        } else {
          if (its === 60) throw new TeError('not-converged', 'nonsymmetric eigenvalues: QR iteration did not converge', { n });
          if (its === 10 || its === 20 || its === 40) {
            t += x;
            for (let i = 0; i <= nn; i++) a[i * n + i] -= x;
            const s = Math.abs(a[nn * n + nn - 1]) + Math.abs(a[(nn - 1) * n + nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          francisStep(a, n, l, nn, x, y, w);
        }
      }
    } while (l < nn - 1);
  }
}

/** One implicit double-shift step on the active block l..nn (shifts given by x, y, w as in EISPACK hqr). */
function francisStep(a: Float64Array, n: number, l: number, nn: number, x: number, y: number, w: number): void {
  const [m, p0, q0, r0] = bulgeStart(a, n, l, nn, x, y, w);
  let p = p0, q = q0, r = r0, z = 0;
  for (let i = m + 2; i <= nn; i++) {
    a[i * n + i - 2] = 0;
    if (i !== m + 2) a[i * n + i - 3] = 0;
  }
  for (let k = m; k <= nn - 1; k++) {
    if (k !== m) {
      p = a[k * n + k - 1];
      q = a[(k + 1) * n + k - 1];
      r = k !== nn - 1 ? a[(k + 2) * n + k - 1] : 0;
      x = Math.abs(p) + Math.abs(q) + Math.abs(r);
      if (x !== 0) {
        p /= x;
        q /= x;
        r /= x;
      }
    }
    const norm = Math.sqrt(p * p + q * q + r * r);
    const s = p >= 0 ? norm : -norm;
    if (s === 0) continue;
    if (k === m) {
      if (l !== m) a[k * n + k - 1] = -a[k * n + k - 1];
    } else a[k * n + k - 1] = -s * x;
    p += s;
    x = p / s;
    y = q / s;
    z = r / s;
    q /= p;
    r /= p;
    const last = k !== nn - 1;
    for (let j = k; j <= nn; j++) {
      let pp = a[k * n + j] + q * a[(k + 1) * n + j];
      if (last) {
        pp += r * a[(k + 2) * n + j];
        a[(k + 2) * n + j] -= pp * z;
      }
      a[(k + 1) * n + j] -= pp * y;
      a[k * n + j] -= pp * x;
    }
    const mmin = nn < k + 3 ? nn : k + 3;
    for (let i = l; i <= mmin; i++) {
      let pp = x * a[i * n + k] + y * a[i * n + k + 1];
      if (last) {
        pp += z * a[i * n + k + 2];
        a[i * n + k + 2] -= pp * r;
      }
      a[i * n + k + 1] -= pp * q;
      a[i * n + k] -= pp;
    }
  }
}

/** Finds where two consecutive small sub-diagonal entries allow the bulge to start; returns [m, p, q, r]. */
function bulgeStart(a: Float64Array, n: number, l: number, nn: number, x: number, y: number, w: number): [number, number, number, number] {
  let m: number;
  let p = 0, q = 0, r = 0;
  for (m = nn - 2; m >= l; m--) {
    const z = a[m * n + m];
    r = x - z;
    let s = y - z;
    p = (r * s - w) / a[(m + 1) * n + m] + a[m * n + m + 1];
    q = a[(m + 1) * n + m + 1] - z - r - s;
    r = a[(m + 2) * n + m + 1];
    s = Math.abs(p) + Math.abs(q) + Math.abs(r);
    p /= s;
    q /= s;
    r /= s;
    if (m === l) break;
    const u = Math.abs(a[m * n + m - 1]) * (Math.abs(q) + Math.abs(r));
    const v = Math.abs(p) * (Math.abs(a[(m - 1) * n + m - 1]) + Math.abs(z) + Math.abs(a[(m + 1) * n + m + 1]));
    if (u <= EPS * v) break;
  }
  return [m, p, q, r];
}
