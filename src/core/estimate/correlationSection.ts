// Estimate section for the correlation measures (spec §11): every top-level input key whose value is
// `{x: number[], y: number[]}` gives `{<key>: {weighted_kendall_tau, pearson}}`.
import { TeError } from '../errors.ts';
import { pearson } from '../stats/pearson.ts';
import { weightedKendallTau } from '../stats/weightedKendallTau.ts';
import type { EstimateSection } from './schema.ts';

function isPair(v: unknown): v is { x: unknown; y: unknown } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'x' in v && 'y' in v;
}

function numbers(v: unknown, what: string): number[] {
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number' && e !== null)) {
    throw new TeError('invalid-input', `${what} must be an array of numbers`);
  }
  // JSON has no NaN: a null stands for a missing value and is rejected as non-finite downstream.
  return v.map((e) => (e === null ? NaN : (e as number)));
}

export const estimateCorrelation: EstimateSection = (input, warn) => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (!isPair(value)) continue;
    const x = numbers(value.x, `${key}.x`), y = numbers(value.y, `${key}.y`);
    out[key] = {
      weighted_kendall_tau: weightedKendallTau(x, y, warn, `${key}: weighted Kendall tau`),
      pearson: pearson(x, y, warn, `${key}: Pearson r`),
    };
  }
  return out;
};
