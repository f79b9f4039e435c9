// Sorts dropped files into what the workbench can use (item 1): ONNX models with their sidecar manifests, image
// volumes with their label volumes, DICOM series, Dice tables (CSV/JSON); everything else is rejected with a reason.
export type FileKind = 'onnx' | 'manifest' | 'volume' | 'dicom' | 'dice-csv' | 'json' | 'unknown';

export interface NamedFile { name: string; path?: string }

const VOLUME = /\.(nii|nii\.gz|nrrd|nhdr|mha|mhd)$/i;

export function fileKind(name: string): FileKind {
  const n = name.toLowerCase();
  if (n.endsWith('.onnx')) return 'onnx';
  if (VOLUME.test(n)) return 'volume';
  if (n.endsWith('.dcm') || n.endsWith('.ima')) return 'dicom';
  if (n.endsWith('.csv')) return 'dice-csv';
  if (n.endsWith('.json')) return 'json';
  if (!/\.[a-z0-9]{1,5}$/.test(n)) return 'dicom'; // DICOM files often have no extension
  return 'unknown';
}

/** The stem a sidecar and its model share: "unet.onnx" and "unet.json" → "unet". */
export const stem = (name: string) => name.replace(/^.*[\\/]/, '').replace(/\.(onnx|json|nii\.gz|nii|nrrd|nhdr|mha|mhd|csv)$/i, '');

/** A label volume is named like its image with a label/seg/mask marker: "case1_label.nii.gz", "seg.nii.gz". */
export const isLabelName = (name: string) => /(^|[_\-.\s/])(label|labels|seg|segmentation|mask|gt)([_\-.\s]|$)/i.test(stem(name)) || /^(label|seg|mask)/i.test(stem(name));

export interface VolumePair<F extends NamedFile> { image: F; label?: F }

/** Pairs each image with its label: same stem once the marker is removed, else the only label beside the only image. */
export function pairVolumes<F extends NamedFile>(files: F[]): VolumePair<F>[] {
  const labels = files.filter((f) => isLabelName(f.name));
  const images = files.filter((f) => !isLabelName(f.name));
  const key = (f: F) => stem(f.name).replace(/(^|[_\-.\s])(label|labels|seg|segmentation|mask|gt)([_\-.\s]|$)/i, '$1').replace(/[_\-.\s]+$/, '');
  const used = new Set<F>();
  const pairs = images.map((image) => {
    const dir = (f: F) => (f.path ?? '').replace(/[^/]*$/, '');
    const label = labels.find((l) => !used.has(l) && (key(l) === key(image) || (labels.length === 1 && images.length === 1) || (dir(l) !== '' && dir(l) === dir(image) && key(l) === '')));
    if (label) used.add(label);
    return { image, label };
  });
  return pairs;
}
