// The sidecar manifest of an exported fine-tuned model (issue 8, export): the source model's manifest with the same
// input, logits and feature outputs, the class count of the trained head, the normalisation the fine-tuning used,
// and what was done (finetuned_from, finetune); the source's own metrics and file identity are dropped.
import type { ModelManifest, Normalization } from '../types.ts';

/** Keys that describe the source file or its evaluation, wrong for the fine-tuned weights. */
const STALE = ['file', 'bytes', 'sha256', 'reference', 'validation_dice', 'validation_dice_per_class', 'validation_note', 'test_dice'];

export interface FinetunedManifestOptions {
  id: string;
  numClasses: number;
  /** The normalisation the fine-tuning slices were given (a demo target's own, else the model's). */
  normalization: Normalization;
  /** The exported file: name, size, SHA-256 (the caller hashes). */
  file?: string;
  bytes?: number;
  sha256?: string;
  /** SHA-256 of the source model's bytes (default: its manifest's). */
  sourceSha256?: string;
  /** Scheme, seed, iterations, target, held-out Dice… as the caller records them. */
  finetune: Record<string, unknown>;
}

export function finetunedManifest(source: ModelManifest, o: FinetunedManifestOptions): ModelManifest {
  const out: ModelManifest = { ...source };
  for (const k of STALE) delete out[k];
  const sameClasses = o.numClasses === source.num_classes;
  Object.assign(out, {
    id: o.id,
    name: `${source.name} (fine-tuned)`,
    num_classes: o.numClasses,
    class_names: sameClasses ? source.class_names.slice() : Array.from({ length: o.numClasses }, (_, k) => (k === 0 ? 'background' : `class ${k}`)),
    normalization: o.normalization,
    ...(o.file !== undefined ? { file: o.file } : {}),
    ...(o.bytes !== undefined ? { bytes: o.bytes } : {}),
    ...(o.sha256 !== undefined ? { sha256: o.sha256 } : {}),
    finetuned_from: { id: source.id, sha256: o.sourceSha256 ?? source.sha256 ?? null, num_classes: source.num_classes },
    finetune: o.finetune,
  });
  return out;
}
