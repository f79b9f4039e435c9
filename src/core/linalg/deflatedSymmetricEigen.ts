// Symmetric eigendecomposition that splits off exactly-zero rows/columns first (dead ReLU channels make
// whole rows of a Gram or covariance exactly 0; estimators-spec §13.4): their eigenvalues are exactly 0.
// Without this, rounding turns them into ±1e-15-size eigenvalues whose fate under absolute cuts is arbitrary.
import { symmetricEigen, type SymmetricEigen } from './symmetricEigen.ts';

export interface DeflatedEigen extends SymmetricEigen {
  /** Indices of the rows/columns that were exactly zero. */
  zeroRows: number[];
}

/**
 * Same contract as `symmetricEigen` (eigenvalues ascending, eigenvector k in ROW k of `vectors`), but every
 * row/column of `a` that is exactly 0 gives an eigenvalue of exactly 0 with eigenvector e_j, and only the
 * remaining submatrix is decomposed.
 */
export function deflatedSymmetricEigen(a: Float64Array, n: number, opts: { vectors?: boolean } = {}): DeflatedEigen {
  const wantVectors = opts.vectors ?? true;
  const live: number[] = [], zeroRows: number[] = [];
  for (let i = 0; i < n; i++) {
    let zero = true;
    for (let j = 0; j < n && zero; j++) zero = a[i * n + j] === 0;
    (zero ? zeroRows : live).push(i);
  }
  if (zeroRows.length === 0) return { ...symmetricEigen(a, n, { vectors: wantVectors }), zeroRows };
  const m = live.length;
  const sub = new Float64Array(m * m);
  for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) sub[p * m + q] = a[live[p] * n + live[q]];
  const inner = symmetricEigen(sub, m, { vectors: wantVectors });
  // Merge the live eigenvalues (ascending) with the exact zeros, keeping ascending order.
  const entries: { value: number; live: number; dead: number }[] = [
    ...Array.from(inner.values, (value, k) => ({ value, live: k, dead: -1 })),
    ...zeroRows.map((j) => ({ value: 0, live: -1, dead: j })),
  ].sort((x, y) => x.value - y.value);
  const values = Float64Array.from(entries, (e) => e.value);
  if (!wantVectors) return { values, zeroRows };
  const vectors = new Float64Array(n * n);
  entries.forEach((e, k) => {
    if (e.dead >= 0) vectors[k * n + e.dead] = 1;
    else for (let p = 0; p < m; p++) vectors[k * n + live[p]] = inner.vectors![e.live * m + p];
  });
  return { values, vectors, zeroRows };
}
