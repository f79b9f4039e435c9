// Models without a sidecar: the derived manifest of the real demo U-Net must equal its shipped sidecar's feature
// list (dec0..dec3 at strides 1..8), and unusable models get a reason.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectModel } from './inspectModel.ts';
import { createNodeSession } from '../../adapters/ortNodeSession.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ports = { createSession: createNodeSession };

describe('inspectModel', () => {
  const demo = join(ROOT, 'public', 'demo', 'models', 'colin_t1_ax_brain');
  it.skipIf(!existsSync(`${demo}.json`))('proposes the decoder stages of a real U-Net (the bank sidecar is the answer key)', async () => {
    const sidecar = JSON.parse(readFileSync(`${demo}.json`, 'utf8'));
    // Strip the dec outputs so they must be found inside the graph: re-export would be needed for a truly
    // bare model; here the outputs stay but their names are what the sidecar says.
    const r = await inspectModel({ name: 'colin_t1_ax_brain.onnx', bytes: readFileSync(`${demo}.onnx`) }, ports);
    expect(r.proposed.features.map((f) => [f.stride, f.channels])).toEqual(sidecar.features.map((f: { stride: number; channels: number }) => [f.stride, f.channels]));
    expect(r.proposed.features.map((f) => f.name)).toEqual(['dec0', 'dec1', 'dec2', 'dec3']);
    expect(r.proposed.num_classes).toBe(sidecar.num_classes);
    expect(r.proposed.input_multiple).toBe(16);
    expect(r.proposed.logits_name).toBe('logits');
  });

  it('falls back to the last tensor per stride for a model without a decoder', async () => {
    const r = await inspectModel({ name: 'tiny_a.onnx', bytes: readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'tiny_a.onnx')) }, ports);
    expect(r.proposed.features).toEqual([{ name: 'dec0', stride: 1, channels: 4 }, { name: 'dec1', stride: 2, channels: 6 }]);
    expect(r.notes.join(' ')).toMatch(/not an encoder–decoder/);
  });

  it('refuses external data and non-models with a reason naming the file', async () => {
    // tiny_a saved by python-onnx with save_as_external_data (the .data file is deliberately not shipped).
    const ext = readFileSync(join(ROOT, 'test', 'fixtures', 'models', 'external_data.onnx'));
    await expect(inspectModel({ name: 'big.onnx', bytes: ext }, ports)).rejects.toThrow(/big\.onnx: 6 weight tensor\(s\) \(e\.g\. "w0"\) .*external data/);
    await expect(inspectModel({ name: 'notes.onnx', bytes: new TextEncoder().encode('not a model at all') }, ports)).rejects.toThrow(/notes\.onnx/);
  });
});
