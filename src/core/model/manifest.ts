// Model sidecar manifests (data-and-bank §4.1): parsing and validation with messages that name the file.
import { TeError } from '../errors.ts';
import type { ModelManifest } from '../types.ts';

const NORMALIZATIONS = ['percentile_0.5_99.5_to_0_1', 'ct_hu_-1024_1500', 'zscore', 'none'];

/** Validates a manifest object; throws TeError('invalid-input') naming the file and the first problem. */
export function checkManifest(m: unknown, file: string): asserts m is ModelManifest {
  const bad = (what: string): never => { throw new TeError('invalid-input', `${file}: model manifest ${what}`, { file }); };
  if (!m || typeof m !== 'object') bad('is not a JSON object');
  const o = m as Record<string, unknown>;
  for (const k of ['id', 'name', 'input_name', 'logits_name']) if (typeof o[k] !== 'string' || !o[k]) bad(`needs a string "${k}"`);
  if (o.dim !== 2 && o.dim !== 3) bad(`"dim" must be 2 or 3 (got ${JSON.stringify(o.dim)})`);
  for (const k of ['in_channels', 'num_classes', 'input_multiple']) if (!Number.isInteger(o[k]) || (o[k] as number) < 1) bad(`needs a positive integer "${k}"`);
  if (!Array.isArray(o.class_names) || o.class_names.length !== o.num_classes) bad(`"class_names" must list num_classes = ${String(o.num_classes)} names`);
  if (!NORMALIZATIONS.includes(o.normalization as string)) bad(`"normalization" must be one of ${NORMALIZATIONS.join(', ')} (got ${JSON.stringify(o.normalization)})`);
  if (!Array.isArray(o.features) || o.features.length === 0) bad('lists no feature outputs ("features": [{name, stride, channels}]); a model without feature outputs cannot be scored');
  (o.features as unknown[]).forEach((f, i) => {
    const x = f as Record<string, unknown>;
    if (!x || typeof x.name !== 'string' || !Number.isInteger(x.stride) || !Number.isInteger(x.channels) || (x.stride as number) < 1 || (x.channels as number) < 1) {
      bad(`feature ${i} must be {name, stride ≥ 1, channels ≥ 1}`);
    }
  });
}
