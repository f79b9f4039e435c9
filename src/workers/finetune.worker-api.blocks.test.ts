// The fine-tuning worker with a 3-D model: splitInfo and prepare cut a label volume into 16³ blocks (the split the
// CLI test works out by hand), and a run on them gives the synchronous trainer's numbers (CLI path) for the same
// seed, with risk maps summarised per block and each shown block by its middle slice.
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initTfjsBackend } from '../adapters/tfjsBackend.ts';
import { createTrainerSync } from '../adapters/tfjsTrainer.ts';
import { blockData } from '../core/finetune/blockData.ts';
import { normalizeVolume } from '../core/volume/normalize.ts';
import type { Volume } from '../core/types.ts';
import { createFinetuneApi } from './finetune.worker-api.ts';
import { FIXTURE_DIR } from '../../test/finetune/fixture.ts';

/** 32 × 32 × 48 voxels: a disc of radius 6 around the centre of every slice (class 1), image = label + a ramp. */
function volumes(): { image: Volume; label: Volume } {
  const [nx, ny, nz] = [32, 32, 48];
  const lab = new Int16Array(nx * ny * nz), img = new Float32Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const at = i + nx * j + nx * ny * k, fg = Math.hypot(i - 16, j - 16) < 6 ? 1 : 0;
    lab[at] = fg; img[at] = fg + 0.01 * ((i + 2 * j + 3 * k) % 7);
  }
  const v = (name: string, data: Int16Array | Float32Array) => ({ name, size: [nx, ny, nz], spacing: [1, 1, 1], data }) as unknown as Volume;
  return { image: v('img.nii', img), label: v('lab.nii', lab) };
}

const { image, label } = volumes();
const api = createFinetuneApi(async () => ({ backend: 'cpu' }), async (f) => (f[0].name === 'img' ? image : label));
const BLOCK: [number, number, number] = [16, 16, 16];
const file = (name: string) => [{ name, bytes: new Uint8Array(0) }];

describe('finetune worker API: a 3-D model on blocks', () => {
  beforeAll(async () => { await initTfjsBackend('cpu'); });

  it('splitInfo and prepare give the block grid, foreground blocks and the default block split', async () => {
    const s = await api.splitInfo(file('lab'), 2, undefined, undefined, BLOCK);
    if (!s.ok) throw new Error(s.error.message);
    // every block holds a quarter of the disc: F = 12, ⌊12/8⌋ = 1 training block, fg[6] = 6; its face neighbours 2, 4, 7, 10 out
    expect(s.info).toEqual({ unit: 'block', n: 12, grid: [3, 2, 2], foreground: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], pool: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], train: [6], test: [0, 1, 3, 5, 8, 9, 11] });
    const p = await api.prepare(file('img'), file('lab'), 'none', 2, [0, 11], undefined, BLOCK);
    if (!p.ok) throw new Error(p.error.message);
    // training blocks 0 = (0,0,0) and 11 = (2,1,1): face neighbours 1, 2, 4 and 7, 9, 10 are out
    expect(p.prepared).toEqual({ unit: 'block', n: 12, d: 16, h: 16, w: 16, grid: [3, 2, 2], train: [0, 11], test: [3, 5, 6, 8] });
  });

  it('runs on the prepared blocks with the synchronous trainer\'s numbers; risk per block, shown by the middle slice', async () => {
    const onnx = new Uint8Array(readFileSync(join(FIXTURE_DIR, 'tiny3d_unet.onnx')));
    const p = await api.prepare(file('img'), file('lab'), 'none', 2, undefined, undefined, BLOCK);
    if (!p.ok) throw new Error(p.error.message);
    const { train, test } = p.prepared;
    const options = { scheme: 'constant' as const, iterations: 2, batch: 1, seed: 5, lr: 0.01 };
    const r = await api.finetune({ onnx, manifest: { logits_name: 'logits', id: 'tiny3d' }, train, test, options, riskMaps: true }, () => {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.result.provenance).toMatchObject({ caseUnit: 'block', block: [16, 16, 16], grid: [3, 2, 2], trainCases: [6], testCases: test, numClasses: 2 });

    const data = blockData(normalizeVolume(image, 'none').data, label, 2, BLOCK); // as prepare() cut them
    const sync = createTrainerSync(onnx, { logits_name: 'logits' }, data, { ...options, train, test, riskCases: test });
    const losses = [sync.stepSync().loss, sync.stepSync().loss];
    const ev = sync.evaluateSync();
    const after = sync.riskMapSync();
    sync.dispose();
    expect(r.result.curves.loss).toEqual(losses);
    expect(r.result.dice.test).toBe(ev.dice);
    expect(r.result.risk!.cases).toEqual(test);
    expect(after.cases).toEqual(test);
    // shown blocks: up to 3 evenly spaced held-out blocks, each its slice 8 of 16, 16 × 16
    expect(r.riskSlices!.map((s) => [s.case, s.depth, s.h, s.w])).toEqual([[0, 8, 16, 16], [5, 8, 16, 16], [11, 8, 16, 16]]);
    const s0 = r.riskSlices![0];
    expect(Array.from(s0.image)).toEqual(Array.from(data.images.subarray(8 * 256, 9 * 256))); // block 0, depth 8
  }, 120_000);
});
