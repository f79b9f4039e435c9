// `transferlens finetune --export-onnx FT.onnx`: writes the fine-tuned model (core exportFinetunedOnnx over the
// original bytes: same graph, trained weights and BatchNorm statistics) and its sidecar manifest FT.json.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { finetunedManifest } from '../core/finetune/exportManifest.ts';
import type { FinetuneResult } from '../core/finetune/finetuneResult.ts';
import { exportFinetunedOnnx, type TrainedTensor } from '../core/finetune/onnxExport.ts';
import type { Normalization } from '../core/types.ts';
import type { FtModel } from './finetuneInputs.ts';

export interface ExportedModel { onnx: string; manifest: string; sha256: string; bytes: number; numClasses: number }

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function writeFinetunedModel(path: string, model: FtModel, state: Map<string, TrainedTensor>, normalization: Normalization, r: FinetuneResult): ExportedModel {
  const pv = r.provenance;
  const record = {
    command: 'transferlens finetune', source: { id: model.id, sha256: sha256(model.bytes) }, target: (pv.target as { id?: string } | undefined)?.id,
    scheme: pv.scheme, riskWeighted: pv.riskWeighted, optimizer: pv.optimizer, lr: pv.lr, loss: pv.loss, batch: pv.batch, seed: pv.seed,
    iterations: pv.iterations, trainCases: pv.trainCases, heldOutDice: r.dice.test, backend: pv.backend, created: pv.created,
  };
  const out = exportFinetunedOnnx(model.bytes, state, { logitsName: model.manifest.logits_name, provenance: record });
  writeFileSync(path, out.bytes);
  const numClasses = out.numClasses ?? model.manifest.num_classes;
  const hash = sha256(out.bytes);
  const manifest = finetunedManifest(model.manifest, {
    id: basename(path).replace(/\.onnx$/i, ''), numClasses, normalization, file: basename(path), bytes: out.bytes.length, sha256: hash,
    sourceSha256: record.source.sha256, finetune: record,
  });
  const side = path.replace(/\.onnx$/i, '.json');
  writeFileSync(side, JSON.stringify(manifest, null, 1) + '\n');
  return { onnx: path, manifest: side, sha256: hash, bytes: out.bytes.length, numClasses };
}
