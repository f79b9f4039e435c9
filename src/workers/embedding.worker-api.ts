// The t-SNE worker's API as a plain object (issue 5 item 5), testable in Node: runs the core's seeded Barnes-Hut
// t-SNE in batches of iterations and streams each layout to the page; stop() ends the run at the next batch.
import { createTsne, type TsneOptions } from '../core/embedding/tsne.ts';
import { toWorkerError, type WorkerError } from './analysis.worker-api.ts';

export interface EmbedFrame { embedding: Float64Array; iteration: number; done: boolean; kl: number }

export function createEmbeddingApi(yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))) {
  let run = 0;
  return {
    /** `points` n×dim row-major. Calls `onFrame` every `every` iterations and at the end. */
    async embed(points: Float64Array, n: number, dim: number, opts: Omit<TsneOptions, 'warn'>, onFrame: (f: EmbedFrame) => unknown, every = 25): Promise<{ ok: true; iterations: number; seconds: number } | { ok: false; error: WorkerError }> {
      const mine = ++run;
      const t0 = Date.now();
      try {
        const t = createTsne(points, n, dim, opts);
        while (!t.done) {
          t.step(every);
          await onFrame({ embedding: t.embedding(), iteration: t.iteration, done: t.done, kl: t.klDivergence });
          await yieldNow();
          if (run !== mine) break;
        }
        return { ok: true, iterations: t.iteration, seconds: (Date.now() - t0) / 1000 };
      } catch (err) {
        return { ok: false, error: toWorkerError(err) };
      }
    },
    stop(): void { run++; },
  };
}
