// Nuclear norm of L₁ᵀU₂ for triangular covariance factors (Σ₁ = L₁L₁ᵀ, Σ₂ = U₂U₂ᵀ): tr((Σ₁Σ₂)^{1/2}) of the
// symmetric W₂ (estimators-spec §2.3) at ≈ D³ multiply-adds per case pair, the hot loop of the CC-FV benchmark.

/**
 * T = L₁ᵀ U₂ (upper triangular: T[a][b] = Σ_{c=a..b} Lᵀ[a][c] U[c][b]) and P = TᵀT (upper triangle), each as
 * rank-8 updates of two output rows at a time: every loaded matrix value feeds 2 multiply-adds and every output
 * value is loaded and stored once per 8 terms (about twice the speed of dot products in V8). ≈ D³/3 in all.
 * `lt` = L₁ᵀ and `u` = U₂, both upper triangular row-major with their zeros stored; `t` and `p` are work buffers.
 * Returns P (upper triangle filled, lower undefined).
 */
export function triangularGram(lt: Float64Array, u: Float64Array, d: number, t: Float64Array, p: Float64Array): Float64Array {
  t.fill(0);
  for (let a = 0; a < d; a += 2) tRows(lt, u, d, a, Math.min(a + 1, d - 1), t);
  p.fill(0);
  let a0 = 0;
  for (; a0 + 8 <= d; a0 += 8) rank8Trailing(t, d, a0, p);
  for (; a0 < d; a0++) rank1Trailing(t, d, a0, p);
  return p;
}

/** Rows a and a1 (= a + 1, or a at the end) of T = Lᵀ U, columns ≥ a. */
function tRows(lt: Float64Array, u: Float64Array, d: number, a: number, a1: number, t: Float64Array): void {
  const ra = a * d, ra1 = a1 * d, two = a1 > a;
  let c0 = a;
  for (; c0 + 8 <= d; c0 += 8) {
    const x0 = lt[ra + c0], x1 = lt[ra + c0 + 1], x2 = lt[ra + c0 + 2], x3 = lt[ra + c0 + 3];
    const x4 = lt[ra + c0 + 4], x5 = lt[ra + c0 + 5], x6 = lt[ra + c0 + 6], x7 = lt[ra + c0 + 7];
    const y0 = lt[ra1 + c0], y1 = lt[ra1 + c0 + 1], y2 = lt[ra1 + c0 + 2], y3 = lt[ra1 + c0 + 3];
    const y4 = lt[ra1 + c0 + 4], y5 = lt[ra1 + c0 + 5], y6 = lt[ra1 + c0 + 6], y7 = lt[ra1 + c0 + 7];
    const o0 = c0 * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d, o4 = o3 + d, o5 = o4 + d, o6 = o5 + d, o7 = o6 + d;
    for (let b = c0; b < d; b++) {
      const u0 = u[o0 + b], u1 = u[o1 + b], u2 = u[o2 + b], u3 = u[o3 + b];
      const u4 = u[o4 + b], u5 = u[o5 + b], u6 = u[o6 + b], u7 = u[o7 + b];
      t[ra + b] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3 + x4 * u4 + x5 * u5 + x6 * u6 + x7 * u7;
      if (two) t[ra1 + b] += y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3 + y4 * u4 + y5 * u5 + y6 * u6 + y7 * u7;
    }
  }
  for (; c0 < d; c0++) {
    const x = lt[ra + c0], y = lt[ra1 + c0], o = c0 * d;
    for (let b = c0; b < d; b++) {
      t[ra + b] += x * u[o + b];
      if (two) t[ra1 + b] += y * u[o + b];
    }
  }
}

/** P[i][j] += Σ_{k<8} T[a0+k][i]·T[a0+k][j] for a0 ≤ i ≤ j (rows of T are 0 left of their diagonal). */
function rank8Trailing(t: Float64Array, d: number, a0: number, p: Float64Array): void {
  const o0 = a0 * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d, o4 = o3 + d, o5 = o4 + d, o6 = o5 + d, o7 = o6 + d;
  for (let i = a0; i < d; i += 2) {
    const k = i + 1 < d ? i + 1 : i, two = k > i;
    const x0 = t[o0 + i], x1 = t[o1 + i], x2 = t[o2 + i], x3 = t[o3 + i], x4 = t[o4 + i], x5 = t[o5 + i], x6 = t[o6 + i], x7 = t[o7 + i];
    const y0 = t[o0 + k], y1 = t[o1 + k], y2 = t[o2 + k], y3 = t[o3 + k], y4 = t[o4 + k], y5 = t[o5 + k], y6 = t[o6 + k], y7 = t[o7 + k];
    const pi = i * d, pk = k * d;
    p[pi + i] += x0 * x0 + x1 * x1 + x2 * x2 + x3 * x3 + x4 * x4 + x5 * x5 + x6 * x6 + x7 * x7;
    for (let j = i + 1; j < d; j++) {
      const b0 = t[o0 + j], b1 = t[o1 + j], b2 = t[o2 + j], b3 = t[o3 + j], b4 = t[o4 + j], b5 = t[o5 + j], b6 = t[o6 + j], b7 = t[o7 + j];
      p[pi + j] += x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3 + x4 * b4 + x5 * b5 + x6 * b6 + x7 * b7;
      if (two) p[pk + j] += y0 * b0 + y1 * b1 + y2 * b2 + y3 * b3 + y4 * b4 + y5 * b5 + y6 * b6 + y7 * b7;
    }
  }
}

function rank1Trailing(t: Float64Array, d: number, a: number, p: Float64Array): void {
  const o = a * d;
  for (let i = a; i < d; i++) {
    const x = t[o + i];
    if (x === 0) continue;
    const pi = i * d;
    for (let j = i; j < d; j++) p[pi + j] += x * t[o + j];
  }
}
