// Tests of the drop classifier: kinds by name, sidecar stems, and image/label pairing (plain Node).
import { describe, expect, it } from 'vitest';
import { fileKind, isLabelName, pairVolumes, stem } from './classifyFiles.ts';

describe('fileKind', () => {
  it('knows models, volumes, DICOM, Dice tables and rejects the rest', () => {
    expect(['a.onnx', 'b.nii.gz', 'c.NRRD', 'd.mha', 'e.dcm', 'IM0001', 'dice.csv', 'x.json', 'notes.txt'].map(fileKind))
      .toEqual(['onnx', 'volume', 'volume', 'volume', 'dicom', 'dicom', 'dice-csv', 'json', 'unknown']);
  });
});

describe('pairing', () => {
  it('matches a model with its sidecar by stem', () => {
    expect(stem('dir/unet_v2.onnx')).toBe(stem('unet_v2.json'));
  });
  it('pairs images with labels by name and leaves an unpaired image without a label', () => {
    expect(isLabelName('case1_label.nii.gz')).toBe(true);
    expect(isLabelName('case1.nii.gz')).toBe(false);
    const pairs = pairVolumes([{ name: 'case1.nii.gz' }, { name: 'case2.nii.gz' }, { name: 'case2_seg.nii.gz' }, { name: 'case1_label.nii.gz' }]);
    expect(pairs.map((p) => [p.image.name, p.label?.name])).toEqual([['case1.nii.gz', 'case1_label.nii.gz'], ['case2.nii.gz', 'case2_seg.nii.gz']]);
    expect(pairVolumes([{ name: 'a.nii.gz' }, { name: 'b.nii.gz' }]).map((p) => p.label)).toEqual([undefined, undefined]);
  });
});
