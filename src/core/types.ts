// The types that cross boundaries: volumes (itk-wasm Image layout), model manifests (sidecar JSON,
// data-and-bank §4.1), study specs. The report schema lives in pipeline/report.ts (docs/report-schema.md).

export type Vec3 = [number, number, number];

/** A scalar 3-D image. Voxel (i, j, k) is `data[i + size[0] * (j + size[1] * k)]` (x fastest, like NIfTI/ITK). */
export interface Volume {
  /** The file (or series) it came from, for messages. */
  name: string;
  size: Vec3;
  /** Voxel size in mm along i, j, k. */
  spacing: Vec3;
  /** World position (mm, LPS as ITK) of voxel (0,0,0). */
  origin: Vec3;
  /** 3×3 row-major: column c is the world direction of voxel axis c (ITK's Direction). */
  direction: number[];
  data: Float32Array | Float64Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Uint8Array | Int8Array;
}

export type Normalization = 'percentile_0.5_99.5_to_0_1' | 'ct_hu_-1024_1500' | 'zscore' | 'none';

/** One multi-scale feature output of a model: the decoder stage at `stride`. */
export interface FeatureOutput {
  name: string;
  stride: number;
  channels: number;
}

/** The sidecar manifest of a model (`<id>.json` next to `<id>.onnx`). */
export interface ModelManifest {
  id: string;
  name: string;
  file?: string;
  sha256?: string;
  dim: 2 | 3;
  in_channels: number;
  num_classes: number;
  class_names: string[];
  normalization: Normalization;
  input_multiple: number;
  input_name: string;
  logits_name: string;
  features: FeatureOutput[];
  input_spacing?: number[];
  modality?: string;
  task?: string;
  provenance?: Record<string, unknown>;
  /** Other keys (validation Dice, training set…) are kept as they are. */
  [key: string]: unknown;
}

/** How a volume is cut into cases: CC-FV compares cases pairwise (issue 4 §5). */
export type CaseUnit = 'volume' | 'slice' | 'slab';

/** Per-class sample caps: `official` = fixed cap per layer; `proportional` = to class size (paper). */
export type SamplingMode = 'official' | 'proportional';
