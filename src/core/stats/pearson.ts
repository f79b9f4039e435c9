// Pearson correlation coefficient (spec §11), = scipy.stats.pearsonr's statistic, in float64.
// Constant x or y gives NaN with a warning; non-finite input is a TeError.
import { TeError } from '../errors.ts';

function isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, warn?: (m: string) => void, what = 'Pearson r'): number {
  const n = x.length;
  if (y.length !== n) throw new TeError('shape-mismatch', `${what}: x has ${n} values, y has ${y.length}`);
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new TeError('non-finite', `${what}: non-finite value at index ${i}`, { index: i });
    mx += x[i];
    my += y[i];
  }
  if (n < 2) { warn?.(`${what}: fewer than 2 items, result is NaN`); return NaN; }
  mx /= n;
  my /= n;
  // deviations are scaled by their largest magnitude so that tiny or huge ranges neither under- nor overflow
  let ax = 0, ay = 0;
  for (let i = 0; i < n; i++) {
    ax = Math.max(ax, Math.abs(x[i] - mx));
    ay = Math.max(ay, Math.abs(y[i] - my));
  }
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] - mx) / ax, dy = (y[i] - my) / ay;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (isConstant(x) || isConstant(y) || !(ax > 0) || !(ay > 0)) { warn?.(`${what}: x or y is constant, result is NaN`); return NaN; }
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  return Math.max(-1, Math.min(1, r));
}
