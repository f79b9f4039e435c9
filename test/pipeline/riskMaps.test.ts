// Risk maps of a model on labelled slices: the pixel-LEEP score over every pixel equals the study's LEEP over
// every voxel (same estimator, two code paths); risk lies in [1, 10]; the NIfTI export keeps the geometry.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeRiskMaps, riskVolume } from '../../src/core/pipeline/riskMaps.ts';
import { runStudy } from '../../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../../src/adapters/nodePorts.ts';
import { readNifti } from '../../src/adapters/niftiReader.ts';
import { createNodeSession } from '../../src/adapters/ortNodeSession.ts';
import { normalizeVolume } from '../../src/core/volume/normalize.ts';
import { writeNiftiFloat32 } from '../../src/core/volume/writeNifti.ts';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
const manifest = JSON.parse(readFileSync(join(MODELS, 'tiny_a.json'), 'utf8'));
const bytes = readFileSync(join(MODELS, 'tiny_a.onnx'));

describe('computeRiskMaps', () => {
  it('agrees with the study LEEP, bounds risk to [1, 10] and exports NIfTI on the label grid', async () => {
    const t = syntheticTarget();
    const img = await readNifti({ name: 'img.nii.gz', bytes: t.image });
    const lab = await readNifti({ name: 'lab.nii.gz', bytes: t.label });
    const norm = normalizeVolume(img, manifest.normalization).data;
    const session = await createNodeSession({ name: 'tiny_a.onnx', bytes });
    const slices = [0, 1, 2, 3, 4, 5];
    const r = await computeRiskMaps(session, manifest, norm, lab, 2, slices);
    const study = await runStudy({
      target: { id: 's', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
      models: [{ manifest, file: { name: 'tiny_a.onnx', bytes } }], seed: 0, caseUnit: 'slice', sampling: 'official',
      caps: { dec0: 1e6, dec1: 1e6 }, bootstrapResamples: 0, embeddingPoints: 1,
    }, nodePorts());
    expect(r.pixelLeep).toBeCloseTo(study.models[0].scores.leep.value!, 6);
    for (const m of r.risk) for (const v of m) { expect(v).toBeGreaterThanOrEqual(1 - 1e-6); expect(v).toBeLessThanOrEqual(10 + 1e-5); }
    expect(r.meanRiskPerClass).toHaveLength(2);
    const vol = riskVolume(r, lab);
    const back = await readNifti({ name: 'risk.nii', bytes: writeNiftiFloat32(vol, lab) });
    expect(back.size).toEqual(lab.size);
    for (let i = 0; i < 3; i++) expect(back.origin[i]).toBeCloseTo(lab.origin[i], 5);
    for (let i = 0; i < 9; i++) expect(back.direction[i]).toBeCloseTo(lab.direction[i], 6);
    expect(Array.from(back.data)).toEqual(Array.from(vol));
    // Slice 2's map, read back through the volume, is the map the function returned.
    expect(vol[2 * 256 + 3 * 16 + 5]).toBeCloseTo(r.risk[2][5 * 16 + 3], 6); // voxel (i=5, j=3, k=2) = row 5, col 3
  });
});
