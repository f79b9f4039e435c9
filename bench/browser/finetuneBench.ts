// Bench-only page script (bench/finetuneSideBySide.ts drives it through Playwright): window.__ftbench runs training
// steps in the lab's own fine-tuning worker (src/workers/finetune.worker.ts, as the lab creates it; one instance held
// to wasm, one left to choose WebGPU) and measures a step's peak memory in a fresh bench worker. Inputs arrive once
// as base64.
import * as Comlink from 'comlink';
import type { FinetuneEvent, FinetuneRunResult } from '../../src/workers/finetune.worker-api.ts';
import type { FinetuneWorkerApi } from '../../src/workers/finetune.worker.ts';
import type { SliceData } from '../../src/core/finetune/sliceData.ts';
import type { MemoryWorkerApi } from './memory.worker.ts';

export type Kind = 'plain' | 'metalr';
/** 'wasm': the worker is told to skip WebGPU; 'auto': it picks WebGPU on a hardware adapter that passes its self-test. */
export type Prefer = 'wasm' | 'auto';

const labs = new Map<Prefer, Comlink.Remote<FinetuneWorkerApi>>();

async function labWorker(prefer: Prefer): Promise<Comlink.Remote<FinetuneWorkerApi>> {
  let lab = labs.get(prefer);
  if (!lab) {
    lab = Comlink.wrap<FinetuneWorkerApi>(new Worker(new URL('../../src/workers/finetune.worker.ts', import.meta.url), { type: 'module', name: 'transferlens-finetune' }));
    labs.set(prefer, lab);
    // preferBackend() exists from the worker's WebGPU backend choice on; an older worker runs wasm anyway.
    await (lab as unknown as { preferBackend(p: Prefer): Promise<boolean> }).preferBackend(prefer).catch(() => false);
  }
  return lab;
}
let inputs: { onnx: Uint8Array; data: SliceData } | null = null;

function bytes(b64: string): Uint8Array {
  const bin = atob(b64), out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

declare global {
  interface Window {
    /** Node-side CPU snapshot of the browser's processes (page.exposeFunction). */
    __cpuMark?: (label: string) => Promise<void>;
    __ftbench?: typeof api;
  }
}

const api = {
  load(onnxB64: string, imagesB64: string, labelsB64: string, n: number, h: number, w: number): void {
    const im = bytes(imagesB64), lb = bytes(labelsB64);
    inputs = { onnx: bytes(onnxB64), data: { images: new Float32Array(im.buffer), labels: new Int32Array(lb.buffer), n, h, w } };
  },
  backendInfo: async (prefer: Prefer) => (await labWorker(prefer)).backendInfo(),
  /**
   * One lab job of 1 + `steps` iterations (the first is a warm-up); per-step wall seconds from the worker's own
   * step events. window.__cpuMark is awaited after the warm-up and after the last step (the worker waits for its
   * event callback), and the first mark's round trip is taken off the first timed step.
   */
  async labSteps(kind: Kind, steps: number, train: number[], test: number[], prefer: Prefer) {
    if (!inputs) throw new Error('load() first');
    const lab = await labWorker(prefer);
    const seconds: number[] = [];
    let markSeconds = 0;
    const onEvent = async (e: FinetuneEvent) => {
      if (e.type !== 'step') return;
      seconds.push(e.seconds);
      const it = e.step.iteration;
      if (it === 1 || it === steps + 1) {
        const t0 = performance.now();
        await window.__cpuMark?.(it === 1 ? 'start' : 'end');
        if (it === 1) markSeconds = (performance.now() - t0) / 1000;
      }
    };
    const r: FinetuneRunResult = await lab.finetune({
      onnx: inputs.onnx, manifest: { logits_name: 'logits' }, data: inputs.data, train, test,
      options: { scheme: kind === 'metalr' ? 'metalr-paper' : 'constant', iterations: steps + 1, batch: 8, seed: 0 },
    }, Comlink.proxy(onEvent));
    if (!r.ok) throw new Error(`lab worker: ${r.error.code}: ${r.error.message}`);
    const wall = seconds.slice(1).map((s, i) => s - seconds[i] - (i === 0 ? markSeconds : 0));
    return { wall, loss: r.result.curves.loss, backend: r.result.provenance.backend as string, markSeconds };
  },
  /** The page's WebGPU adapter: a line to print, and whether it is hardware (not a fallback one, not SwiftShader). */
  async gpuAdapter(): Promise<{ line: string; hardware: boolean }> {
    type Adapter = { isFallbackAdapter?: boolean; info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean } };
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<Adapter | null> } }).gpu;
    if (!gpu) return { line: 'no navigator.gpu', hardware: false };
    const a = await gpu.requestAdapter().catch(() => null);
    if (!a) return { line: 'no adapter', hardware: false };
    const i = a.info ?? {}, name = [i.vendor, i.architecture, i.description].filter(Boolean).join(' ') || 'unnamed';
    const software = !!(i.isFallbackAdapter ?? a.isFallbackAdapter) || /swiftshader/i.test(name);
    return { line: `${name}${software ? ' (software)' : ''}`, hardware: !software };
  },
  /** Peak memory of one step in a fresh bench worker (stepMemory.ts). */
  async memory(kind: Kind, accumulate: number, train: number[]) {
    if (!inputs) throw new Error('load() first');
    const w = new Worker(new URL('./memory.worker.ts', import.meta.url), { type: 'module' });
    try {
      return await Comlink.wrap<MemoryWorkerApi>(w).measure(inputs.onnx, inputs.data, kind, accumulate, train);
    } finally {
      w.terminate();
    }
  },
};

window.__ftbench = api;
