// The WebGPU→WASM fallback of ortWebSession without a GPU: a stand-in "WebGPU" session whose first run fails
// must hand over to the WASM session once, record why, and never mix providers after a successful run.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { wrapSession } from './ortWebSession.ts';

type Fake = { inputNames: string[]; outputNames: string[]; run: () => Promise<Record<string, ort.Tensor>>; release: () => Promise<void>; released: boolean };
function fake(value: number | Error): Fake {
  const s: Fake = {
    inputNames: ['x'], outputNames: ['y'], released: false,
    run: async () => {
      if (value instanceof Error) throw value;
      return { y: new ort.Tensor('float32', Float32Array.of(value), [1]) };
    },
    release: async () => { s.released = true; },
  };
  return s;
}
const asSession = (f: Fake) => f as unknown as ort.InferenceSession;
const feeds = { x: { dims: [1], data: Float32Array.of(1) } };

describe('wrapSession', () => {
  it('moves to WASM when the first WebGPU run fails, and says so', async () => {
    const gpu = fake(new Error('[WebGPU] Kernel "[Conv] c" failed. Error: dilations should be 2D\nmore'));
    const wasm = fake(2);
    let created = 0;
    const s = wrapSession(asSession(gpu), 'webgpu', async () => { created++; return asSession(wasm); });
    expect(s.provider).toBe('webgpu');
    expect((await s.run(feeds)).y.data[0]).toBe(2);
    expect(s.provider).toBe('wasm');
    expect(s.providerNote).toBe('WebGPU failed on this model ([WebGPU] Kernel "[Conv] c" failed. Error: dilations should be 2D); it ran on WASM');
    expect(gpu.released).toBe(true);
    expect((await s.run(feeds)).y.data[0]).toBe(2);
    expect(created).toBe(1);
    await s.release();
    expect(wasm.released).toBe(true);
  });

  it('does not switch providers after a successful WebGPU run (a study never mixes them)', async () => {
    let calls = 0;
    const gpu = fake(1);
    gpu.run = async () => {
      if (calls++ > 0) throw new Error('device lost');
      return { y: new ort.Tensor('float32', Float32Array.of(1), [1]) };
    };
    const s = wrapSession(asSession(gpu), 'webgpu', async () => asSession(fake(2)));
    expect((await s.run(feeds)).y.data[0]).toBe(1);
    await expect(s.run(feeds)).rejects.toThrow('device lost');
    expect(s.provider).toBe('webgpu');
  });

  it('rethrows a WASM failure as it is (nothing to fall back to)', async () => {
    const s = wrapSession(asSession(fake(new Error('bad input'))), 'wasm');
    await expect(s.run(feeds)).rejects.toThrow('bad input');
    expect(s.providerNote).toBeUndefined();
  });
});
