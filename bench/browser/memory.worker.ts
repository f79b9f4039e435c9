// Bench-only worker (bench/finetuneSideBySide.ts): the lab worker's tfjs setup (wasm, single-threaded SIMD, binaries
// from our origin) and one trainer whose step is profiled for peak memory. One fresh worker per measurement, so the
// wasm heap size it reports belongs to that configuration alone.
import * as Comlink from 'comlink';
import { env } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { createTrainer, type FinetuneMethod } from '../../src/adapters/tfjsTrainer.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { stepMemory } from './stepMemory.ts';

const api = {
  async measure(onnx: Uint8Array, data: FinetuneData, method: FinetuneMethod, accumulate: number, train: number[]) {
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
    const backend = await initTfjsBackend('wasm');
    const t = await createTrainer(onnx, { logits_name: 'logits' }, data, { method, accumulate, batch: 8, train, seed: 0 });
    try {
      return { backend, ...(await stepMemory(t)) };
    } finally {
      t.dispose();
    }
  },
};
export type MemoryWorkerApi = typeof api;

Comlink.expose(api, self as unknown as Comlink.Endpoint);
