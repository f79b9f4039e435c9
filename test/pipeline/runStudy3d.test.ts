// 3-D models: sample first, then run only the tiles holding samples; LEEP over every voxel equals a direct
// tile-by-tile computation, and far fewer windows run than a full pass at overlap 0.5 would.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { runStudy, type StudySpec } from '../../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../../src/adapters/nodePorts.ts';
import { readNifti } from '../../src/adapters/niftiReader.ts';
import { normalizeVolume } from '../../src/core/volume/normalize.ts';
import { leep } from '../../src/core/estimators/leep.ts';
import { mat } from '../../src/core/linalg/matrix.ts';
import { windowStarts } from '../../src/core/pipeline/windows.ts';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
const tiny3d = { manifest: JSON.parse(readFileSync(join(MODELS, 'tiny3d.json'), 'utf8')), file: { name: 'tiny3d.onnx', bytes: readFileSync(join(MODELS, 'tiny3d.onnx')) } };
const N = 12;
const t = syntheticTarget({ nx: N, ny: N, nz: N });
const spec = (over: Partial<StudySpec> = {}): StudySpec => ({
  target: { id: 'synth3d', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
  models: [tiny3d], seed: 0, caseUnit: 'slab', slabSize: 4, sampling: 'official', bootstrapResamples: 0, embeddingPoints: 10,
  roiSize: [8, 8, 8], ...over,
});

describe('runStudy with a 3-D model', () => {
  it('scores slabs and runs only the tiles that hold samples', async () => {
    const s = await runStudy(spec({ caps: { dec0: 20, dec1: 20 }, bootstrapResamples: 10 }), nodePorts());
    expect(s.cases.map((c) => c.id)).toEqual(['slices 0–3', 'slices 4–7', 'slices 8–11']);
    const m = s.models[0];
    expect(Number.isFinite(m.scores.ccfv_official.value)).toBe(true);
    expect(m.windows!.run).toBeLessThanOrEqual(8); // 2 tile starts per axis (0 and 4)
    expect(m.windows!.full_pass_overlap_0_5).toBe(8); // 12 voxels, roi 8, step 4: starts 0 and 4 per axis
  });

  it('LEEP over every voxel equals a direct tile-by-tile computation', async () => {
    const s = await runStudy(spec({ caps: { dec0: 100_000, dec1: 100_000 } }), nodePorts());
    const img = await readNifti({ name: 'i', bytes: t.image });
    const lab = await readNifti({ name: 'l', bytes: t.label });
    const norm = normalizeVolume(img, 'percentile_0.5_99.5_to_0_1').data;
    const session = await ort.InferenceSession.create(readFileSync(join(MODELS, 'tiny3d.onnx')));
    const starts = windowStarts(N, 8, 0); // [0, 4]: a voxel belongs to the first tile that holds it
    const tileOf = (v: number) => starts.find((s0) => v >= s0 && v < s0 + 8)!;
    const cache = new Map<string, Float32Array>();
    const probs: number[] = [], labels: number[] = [];
    for (let k = 0; k < N; k++) for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
      const o = [tileOf(k), tileOf(i), tileOf(j)], key = o.join(',');
      if (!cache.has(key)) {
        const x = new Float32Array(512);
        for (let d = 0; d < 8; d++) for (let h = 0; h < 8; h++) for (let w = 0; w < 8; w++) x[(d * 8 + h) * 8 + w] = norm[(o[1] + h) + N * ((o[2] + w) + N * (o[0] + d))];
        const out = await session.run({ image: new ort.Tensor('float32', x, [1, 1, 8, 8, 8]) });
        cache.set(key, out.logits.data as Float32Array);
      }
      const lg = cache.get(key)!, p = ((k - o[0]) * 8 + (i - o[1])) * 8 + (j - o[2]);
      const e0 = Math.exp(lg[p]), e1 = Math.exp(lg[512 + p]);
      probs.push(e0 / (e0 + e1), e1 / (e0 + e1));
      labels.push(lab.data[i + N * (j + N * k)]);
    }
    expect(s.models[0].scores.leep.value).toBeCloseTo(leep(mat(labels.length, 2, Float64Array.from(probs)), labels), 6);
  });

  it('refuses a 3-D model on 2-D data, naming both', async () => {
    const flat = syntheticTarget({ nx: 12, ny: 12, nz: 1 });
    await expect(runStudy(spec({ target: { ...spec().target, image: [{ name: 'flat.nii.gz', bytes: flat.image }], label: [{ name: 'flatlab.nii.gz', bytes: flat.label }] } }), nodePorts()))
      .rejects.toThrow(/tiny3d\.onnx: a 3-D model needs a 3-D volume; flat\.nii\.gz is 12×12×1/);
  });
});
