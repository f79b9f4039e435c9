// Tests of the tools worker API in Node with hand-made volumes: label checks (grid, values, foreground slices),
// model checks against a manifest, and the label outline used by the risk-map view.
import { describe, expect, it } from 'vitest';
import type { InputFile } from '../core/ports.ts';
import type { Volume } from '../core/types.ts';
import { createToolsApi, labelOutline, riskSlices } from './tools.worker-api.ts';

const vol = (name: string, size: [number, number, number], data: number[], spacing: [number, number, number] = [1, 1, 1]): Volume =>
  ({ name, size, spacing, origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data: Uint8Array.from(data) });

function api(vols: Record<string, Volume>) {
  return createToolsApi({
    readVolume: async (files: InputFile[]) => { const v = vols[files[0].name]; if (!v) throw new Error(`${files[0].name}: unreadable`); return v; },
    createSession: async () => { throw new Error('no session in this test'); },
  });
}
const f = (name: string): InputFile[] => [{ name, bytes: new Uint8Array(1) }];

describe('checkTarget', () => {
  const img = vol('img', [2, 2, 3], Array(12).fill(5));
  it('reports label values and the slices with foreground along each axis', async () => {
    const lab = vol('lab', [2, 2, 3], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
    const r = await api({ img, lab }).checkTarget(f('img'), f('lab'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.labelValues).toEqual([0, 1, 2]);
    expect(r.foregroundSlices).toEqual([[1], [0, 1], [1, 2]]);
    expect(r.problems).toEqual([]);
  });
  it('states a grid mismatch, a missing label and a single-class label as problems', async () => {
    const other = vol('other', [2, 2, 3], Array(12).fill(0), [2, 1, 1]);
    const r = await api({ img, other }).checkTarget(f('img'), f('other'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.problems.join(' ')).toMatch(/grid/);
    expect(r.problems.join(' ')).toMatch(/single label value/);
    const n = await api({ img }).checkTarget(f('img'));
    expect(n.ok && n.problems[0]).toMatch(/no label volume/);
    const bad = await api({}).checkTarget(f('nope'));
    expect(bad.ok).toBe(false);
  });
});

describe('checkModel', () => {
  it('rejects an invalid manifest with the file named', async () => {
    const r = await api({}).checkModel({ name: 'm.onnx', bytes: new Uint8Array(4) }, { id: 'm' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/m\.onnx/);
  });
});

describe('labelOutline', () => {
  it('marks the border of a 3×3 square in each slice and not its centre', () => {
    const d = Array(5 * 5).fill(0);
    for (let j = 1; j < 4; j++) for (let i = 1; i < 4; i++) d[i + 5 * j] = 1;
    const o = labelOutline(vol('l', [5, 5, 1], d), 2);
    expect(o[2 + 5 * 2]).toBe(0);
    expect(o[1 + 5 * 1]).toBe(1);
    expect(o[2 + 5 * 1]).toBe(1);
    expect(o.reduce((a, b) => a + b, 0)).toBe(8);
  });
});

describe('riskSlices', () => {
  it('keeps every slice when they fit, else evenly spaced ones from first to last, or the middle one', () => {
    expect(riskSlices([1, 2, 3], 100, 1000)).toEqual([1, 2, 3]);
    expect(riskSlices([0, 10, 20, 30, 40], 100, 300)).toEqual([0, 20, 40]);
    expect(riskSlices([0, 10, 20, 30, 40], 100, 150)).toEqual([20]);
    expect(riskSlices([0, 10, 20], 10_000, 100)).toEqual([10]);
  });
});
