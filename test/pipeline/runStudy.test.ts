// runStudy end to end in Node with the real onnxruntime-node and real NIfTI bytes (tiny seeded models and a
// synthetic labelled volume): report shape, determinism, an independent LEEP check, cancellation, bad inputs.
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
import { syntheticTarget } from '../support/syntheticTarget.ts';
import { writeNifti } from '../support/niftiWriter.ts';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
const model = (id: string, patch: Record<string, unknown> = {}) => ({
  manifest: { ...JSON.parse(readFileSync(join(MODELS, `${id}.json`), 'utf8')), ...patch },
  file: { name: `${id}.onnx`, bytes: readFileSync(join(MODELS, `${id}.onnx`)) },
});
const t = syntheticTarget();
const spec = (over: Partial<StudySpec> = {}): StudySpec => ({
  target: { id: 'synth', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
  models: [model('tiny_a'), model('tiny_b')],
  seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 30, embeddingPoints: 50, ...over,
});

describe('runStudy', () => {
  it('scores every model under the reference-vector keys with intervals and ranks', async () => {
    const s = await runStudy(spec(), nodePorts());
    expect(s.target).toBe('synth');
    expect(s.cases).toHaveLength(6);
    expect(s.models.map((m) => m.id)).toEqual(['tiny_a', 'tiny_b']);
    for (const m of s.models) {
      for (const k of ['leep', 'nce', 'logme_fixed_point', 'transrate_appendix_eps1e-4', 'gbc_diagonal', 'hscore', 'ccfv_official', 'ccfv_official_symmetric_sqrtm']) {
        expect(m.scores[k], `${m.id} ${k}`).toBeDefined();
        expect(Number.isFinite(m.scores[k].value)).toBe(true);
        expect(m.scores[k].ci).not.toBeNull();
      }
      expect(m.sha256).toBe(model(m.id).manifest.sha256);
      expect(m.ccfv_layers.ccfv_official).toHaveLength(2); // dec0, dec1
      const sum = (m.ccfv_layers.ccfv_official as number[]).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(m.scores.ccfv_official.value!, 10); // official T = Σ over layers (spec §2.6)
      expect(m.embedding.features.length).toBe(50);
      expect(m.embedding.features[0]).toHaveLength(4);
    }
    const [a, b] = s.models;
    expect([a.scores.leep.rank, b.scores.leep.rank].sort()).toEqual([1, 2]);
    expect(a.scores.leep.rank === 1).toBe(a.scores.leep.value! >= b.scores.leep.value!);
  });

  it('gives the same report for the same seed and another sample for another seed', async () => {
    const caps = { dec0: 40, dec1: 40 }; // below the class sizes, so the seed decides which voxels are drawn
    const one = await runStudy(spec({ models: [model('tiny_a')], caps }), nodePorts());
    const two = await runStudy(spec({ models: [model('tiny_a')], caps }), nodePorts());
    const other = await runStudy(spec({ models: [model('tiny_a')], caps, seed: 5 }), nodePorts());
    expect(two.models[0].scores).toEqual(one.models[0].scores);
    expect(other.models[0].scores.hscore.value).not.toBe(one.models[0].scores.hscore.value);
  });

  it('reads features and softmax at the right voxels: LEEP over all voxels equals a direct computation', async () => {
    // Caps above the voxel count sample every voxel, so the study's LEEP must equal LEEP computed here
    // from a direct onnxruntime run on each slice.
    const s = await runStudy(spec({ models: [model('tiny_a')], caps: { dec0: 10_000, dec1: 10_000 }, bootstrapResamples: 0 }), nodePorts());
    const img = await readNifti({ name: 'i', bytes: t.image });
    const lab = await readNifti({ name: 'l', bytes: t.label });
    const norm = normalizeVolume(img, 'percentile_0.5_99.5_to_0_1').data;
    const session = await ort.InferenceSession.create(readFileSync(join(MODELS, 'tiny_a.onnx')));
    const probs: number[] = [], labels: number[] = [];
    for (let k = 0; k < 6; k++) {
      // np.take(vol, k, axis=2) of the [i, j, k] array: row i, column j (the bank's training layout).
      const slice = new Float32Array(256), sliceLab: number[] = [];
      for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) { slice[i * 16 + j] = norm[k * 256 + j * 16 + i]; sliceLab.push(lab.data[k * 256 + j * 16 + i]); }
      const out = await session.run({ image: new ort.Tensor('float32', slice, [1, 1, 16, 16]) });
      const lg = out.logits.data as Float32Array;
      for (let p = 0; p < 256; p++) {
        const e0 = Math.exp(lg[p]), e1 = Math.exp(lg[256 + p]);
        probs.push(e0 / (e0 + e1), e1 / (e0 + e1));
        labels.push(sliceLab[p]);
      }
    }
    const direct = leep(mat(labels.length, 2, Float64Array.from(probs)), labels);
    expect(s.models[0].scores.leep.value).toBeCloseTo(direct, 6);
  });

  it('stops when cancelled', async () => {
    const ctl = new AbortController();
    await expect(runStudy(spec(), nodePorts(), { signal: ctl.signal, onEvent: (e) => { if (e.type === 'case-done') ctl.abort(); } }))
      .rejects.toMatchObject({ code: 'cancelled' });
  });

  it('names the file and the problem for bad inputs', async () => {
    const other = writeNifti({ dims: [16, 16, 5], data: new Array(1280).fill(0), datatype: 2 });
    await expect(runStudy(spec({ target: { ...spec().target, label: [{ name: 'short.nii', bytes: other }] } }), nodePorts()))
      .rejects.toThrow(/short\.nii does not lie on the grid of img\.nii\.gz: size/);
    await expect(runStudy(spec({ target: { ...spec().target, classNames: ['background'] } }), nodePorts()))
      .rejects.toThrow(/lab\.nii\.gz: label value 1 .*outside the declared classes/);
    await expect(runStudy(spec({ models: [model('tiny_b', { num_classes: 2, class_names: ['a', 'b'] })] }), nodePorts()))
      .rejects.toThrow(/tiny_b: the model outputs 3 classes, its manifest declares 2/);
    await expect(runStudy(spec({ models: [model('tiny_a', { features: [] })] }), nodePorts()))
      .rejects.toThrow(/tiny_a\.onnx: model manifest lists no feature outputs/);
    const corrupt = { ...model('tiny_a'), file: { name: 'broken.onnx', bytes: new Uint8Array([1, 2, 3, 4, 5]) } };
    await expect(runStudy(spec({ models: [corrupt] }), nodePorts())).rejects.toThrow(/broken\.onnx: onnxruntime cannot load this model/);
    const flat = writeNifti({ dims: [16, 16, 6], pixdim: [1, 1, 2], data: new Array(1536).fill(0), datatype: 2, gzip: true });
    await expect(runStudy(spec({ target: { ...spec().target, label: [{ name: 'empty.nii.gz', bytes: flat }] } }), nodePorts()))
      .rejects.toThrow(/needs at least 2 cases with foreground; got 0/);
  });
});
