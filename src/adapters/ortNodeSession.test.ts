// Internal tensors exposed by appending graph outputs to the ONNX bytes (no decode): the pre-ReLU conv of the
// tiny model comes back, and ReLU of it equals the model's own dec0 output.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeSession } from './ortNodeSession.ts';

const bytes = readFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'models', 'tiny_a.onnx'));

describe('createNodeSession with extra outputs', () => {
  it('returns an appended internal tensor consistent with the graph', async () => {
    const s = await createNodeSession({ name: 'tiny_a.onnx', bytes }, { extraOutputs: ['c0', 'p0'] });
    expect(s.outputNames).toEqual(expect.arrayContaining(['logits', 'dec0', 'dec1', 'c0', 'p0']));
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const out = await s.run({ image: { dims: [1, 1, 8, 8], data: x } });
    expect(out.c0.dims).toEqual([1, 4, 8, 8]);
    expect(out.p0.dims).toEqual([1, 4, 4, 4]);
    expect(out.c0.data.some((v) => v < 0)).toBe(true);
    for (let i = 0; i < out.c0.data.length; i++) expect(out.dec0.data[i]).toBeCloseTo(Math.max(0, out.c0.data[i]), 6);
    await s.release();
  });

  it('names the file when the bytes are not a model', async () => {
    await expect(createNodeSession({ name: 'junk.onnx', bytes: new Uint8Array([0, 1, 2]) })).rejects.toThrow(/junk\.onnx: onnxruntime cannot load/);
  });
});
