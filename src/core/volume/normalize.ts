// Intensity normalisation named in model manifests (data-and-bank §2, tools/bank/common.py::normalize):
// percentile_0.5_99.5_to_0_1 over ALL voxels of the volume (numpy's linear-interpolation percentile), CT HU window.
import { TeError } from '../errors.ts';
import type { Normalization, Volume } from '../types.ts';
import { percentileSorted } from '../stats/bootstrap.ts';

export interface NormalizationParams { lo: number; hi: number }

/** The (lo, hi) window a normalisation uses for this volume. */
export function normalizationParams(vol: Volume, kind: Normalization): NormalizationParams {
  if (kind === 'ct_hu_-1024_1500') return { lo: -1024, hi: 1500 };
  if (kind === 'none') return { lo: 0, hi: 1 };
  if (kind === 'zscore') {
    let s = 0, s2 = 0;
    for (let i = 0; i < vol.data.length; i++) { s += vol.data[i]; s2 += vol.data[i] * vol.data[i]; }
    const m = s / vol.data.length;
    const sd = Math.sqrt(Math.max(s2 / vol.data.length - m * m, 0));
    return { lo: m, hi: m + sd };
  }
  if (isSmallInteger(vol.data)) return integerPercentiles(vol.data, 0.005, 0.995);
  // Float volumes: a float32 copy (exact for float32 data) sorted in place; float64 data keeps its precision.
  const sorted = (vol.data instanceof Float64Array ? Float64Array.from(vol.data) : Float32Array.from(vol.data)).sort();
  return { lo: percentileSorted(sorted, 0.005), hi: percentileSorted(sorted, 0.995) };
}

function isSmallInteger(d: Volume['data']): d is Uint8Array | Int8Array | Int16Array | Uint16Array {
  return d instanceof Uint8Array || d instanceof Int8Array || d instanceof Int16Array || d instanceof Uint16Array;
}

/** numpy's linear-interpolation percentiles of 8/16-bit data from a histogram: exact, 65 536 counters, no sort. */
function integerPercentiles(d: Uint8Array | Int8Array | Int16Array | Uint16Array, qlo: number, qhi: number): NormalizationParams {
  const base = d instanceof Int16Array ? 32768 : d instanceof Int8Array ? 128 : 0;
  const counts = new Float64Array(65536);
  for (let i = 0; i < d.length; i++) counts[d[i] + base]++;
  const at = (rank: number): number => { // value of the element with this 0-based rank in sorted order
    let acc = 0;
    for (let v = 0; v < counts.length; v++) { acc += counts[v]; if (acc > rank) return v - base; }
    return NaN;
  };
  const pct = (q: number): number => {
    const pos = q * (d.length - 1), lo = Math.floor(pos);
    return at(lo) + (at(Math.min(lo + 1, d.length - 1)) - at(lo)) * (pos - lo);
  };
  return { lo: pct(qlo), hi: pct(qhi) };
}

/**
 * Normalised float32 copy of the volume. Percentile and HU windows clip to [0, 1]; z-score does not clip.
 * Throws `non-finite` when the volume holds NaN or ±Inf (itk-wasm would silently turn NaN into 0).
 */
export function normalizeVolume(vol: Volume, kind: Normalization): { data: Float32Array; params: NormalizationParams } {
  for (let i = 0; i < vol.data.length; i++) {
    if (!Number.isFinite(vol.data[i])) {
      throw new TeError('non-finite', `${vol.name}: voxel ${i} is ${vol.data[i]}; the image holds NaN or infinite values`, { file: vol.name });
    }
  }
  const params = normalizationParams(vol, kind);
  const out = new Float32Array(vol.data.length);
  const scale = kind === 'zscore' ? params.hi - params.lo : Math.max(params.hi - params.lo, 1e-6);
  const clip = kind !== 'zscore';
  for (let i = 0; i < out.length; i++) {
    const x = (vol.data[i] - params.lo) / scale;
    out[i] = clip ? Math.min(1, Math.max(0, x)) : x;
  }
  return { data: out, params };
}
