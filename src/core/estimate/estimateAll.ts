// Runs every estimate section on one reference-vector-schema input and merges their outputs
// (the contract of `transferlens estimate`: exactly the keys the present input allows).
import { TeError } from '../errors.ts';
import type { EstimateSection, VectorInput } from './schema.ts';
import { estimatePooled } from './pooledSection.ts';
import { estimateCcfv } from './ccfvSection.ts';
import { estimatePixel } from './pixelSection.ts';
import { estimateCorrelation } from './correlationSection.ts';
import { estimateMetalr } from './metalrSection.ts';

const SECTIONS: [string, EstimateSection][] = [
  ['pooled estimators', estimatePooled],
  ['CC-FV', estimateCcfv],
  ['pixel risk map', estimatePixel],
  ['correlation', estimateCorrelation],
  ['MetaLR', estimateMetalr],
];

/** `source` names the input in messages (a file name). Errors carry the section and the source. */
export function estimateAll(input: VectorInput, warn: (message: string) => void, source = 'input'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, section] of SECTIONS) {
    try {
      Object.assign(out, section(input, (m) => warn(`${source}: ${name}: ${m}`)));
    } catch (err) {
      if (err instanceof TeError) throw new TeError(err.code, `${source}: ${name}: ${err.message}`, err.detail);
      throw err;
    }
  }
  return out;
}
