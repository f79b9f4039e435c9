// The lab's fine-tuning worker, created on first use and kept (its tfjs backend starts once).
import * as Comlink from 'comlink';
import type { FinetuneWorkerApi } from '../../../workers/finetune.worker.ts';

let remote: Comlink.Remote<FinetuneWorkerApi> | null = null;

export function finetuneWorker(): Comlink.Remote<FinetuneWorkerApi> {
  if (!remote) {
    const w = new Worker(new URL('../../../workers/finetune.worker.ts', import.meta.url), { type: 'module', name: 'transferlens-finetune' });
    remote = Comlink.wrap<FinetuneWorkerApi>(w);
  }
  return remote;
}
