// Cuts a labelled volume into the cases CC-FV compares pairwise (issue 4 §5): the whole volume, each slice,
// or slabs of consecutive slices along one axis. Slices here follow numpy's np.take order (volume/slices.ts).
import { TeError } from '../errors.ts';
import type { CaseUnit } from '../types.ts';
import { extractSlice, sliceShape, type Axis } from '../volume/slices.ts';
import type { Volume } from '../types.ts';

export interface Slice2D {
  /** Normalised intensities, rows×cols row-major. */
  image: Float32Array;
  labels: Int32Array;
}

export interface Case2D {
  id: string;
  rows: number;
  cols: number;
  slices: Slice2D[];
  /** Slice indices along the axis, for the report and the risk-map view. */
  sliceIndices: number[];
}

export interface CaseOptions {
  unit: CaseUnit;
  axis: Axis;
  /** Slices per slab (unit 'slab'). */
  slabSize?: number;
  /** Restrict to these slice indices (e.g. a target's labelled few-shot slices). */
  sliceIndices?: number[];
  /** Drop slices with no foreground label (with a warning) — a case needs its classes to be compared. */
  requireForeground?: boolean;
}

export function makeCases2D(
  normalized: Float32Array, label: Volume, opts: CaseOptions, warn: (m: string) => void,
): Case2D[] {
  const [rows, cols] = sliceShape(label.size, opts.axis);
  const count = label.size[opts.axis];
  let indices = opts.sliceIndices ?? Array.from({ length: count }, (_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new TeError('invalid-input', `${label.name}: slice ${i} is outside 0..${count - 1} along axis ${opts.axis}`);
  }
  const slices = new Map<number, Slice2D>();
  const get = (i: number): Slice2D => {
    let s = slices.get(i);
    if (!s) {
      s = { image: extractSlice(normalized, label.size, opts.axis, i), labels: Int32Array.from(extractSlice(label.data, label.size, opts.axis, i)) };
      slices.set(i, s);
    }
    return s;
  };
  if (opts.requireForeground ?? true) {
    const kept = indices.filter((i) => get(i).labels.some((v) => v > 0));
    if (kept.length < indices.length) {
      warn(`${label.name}: ${indices.length - kept.length} of ${indices.length} slices have no foreground and are not used as cases`);
    }
    indices = kept;
  }
  const groups: number[][] = opts.unit === 'volume' ? [indices]
    : opts.unit === 'slice' ? indices.map((i) => [i])
      : chunk(indices, Math.max(1, opts.slabSize ?? 4));
  return groups.filter((g) => g.length > 0).map((g) => ({
    id: opts.unit === 'volume' ? label.name : g.length === 1 ? `slice ${g[0]}` : `slices ${g[0]}–${g[g.length - 1]}`,
    rows, cols, slices: g.map(get), sliceIndices: g,
  }));
}

function chunk(xs: number[], n: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * Cases for 3-D models along voxel axis k (the bank's D axis): `slab` = consecutive runs of `slabSize` slices
 * (default 16) that hold foreground, `slice` = each foreground slice (the model still sees a full roi of context),
 * `volume` = the whole volume (one case; CC-FV then needs a second volume).
 */
export function makeCases3D(label: Volume, opts: CaseOptions, warn: (m: string) => void): { id: string; z0: number; z1: number }[] {
  if (opts.axis !== 2) throw new TeError('unsupported', `${label.name}: 3-D models run along voxel axis k (axis 2); got axis ${opts.axis}`);
  const [X, Y, Z] = label.size;
  const plane = X * Y;
  const hasFg = (k: number) => { for (let p = 0; p < plane; p++) if (label.data[k * plane + p] > 0) return true; return false; };
  if (opts.unit === 'volume') return [{ id: label.name, z0: 0, z1: Z }];
  if (opts.unit === 'slice') {
    const ks = (opts.sliceIndices ?? Array.from({ length: Z }, (_, k) => k)).filter(hasFg);
    return ks.map((k) => ({ id: `slice ${k}`, z0: k, z1: k + 1 }));
  }
  const n = Math.max(1, opts.slabSize ?? 16);
  const out: { id: string; z0: number; z1: number }[] = [];
  let dropped = 0;
  for (let z0 = 0; z0 < Z; z0 += n) {
    const z1 = Math.min(Z, z0 + n);
    let fg = false;
    for (let k = z0; k < z1 && !fg; k++) fg = hasFg(k);
    if (fg) out.push({ id: `slices ${z0}–${z1 - 1}`, z0, z1 });
    else dropped++;
  }
  if (dropped) warn(`${label.name}: ${dropped} slab(s) of ${n} slices have no foreground and are not used as cases`);
  return out;
}
