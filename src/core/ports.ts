// What a host (browser worker or Node CLI) supplies to the core: reading volumes and running models.
// The core never imports itk-wasm or onnxruntime; adapters implement these interfaces.
import type { Volume } from './types.ts';

/** A file as the core sees it: a name (for messages and format detection) and its bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** float32 tensor in row-major (NCHW / NCDHW) order. */
export interface Tensor {
  dims: number[];
  data: Float32Array;
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Which execution provider actually runs the model ("wasm", "webgpu", "cpu"…). */
  readonly provider: string;
  run(feeds: Record<string, Tensor>, outputNames?: string[]): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

export interface Ports {
  /** Reads an image or label volume (NIfTI, NRRD, MHA; a DICOM series as several files). */
  readVolume(files: InputFile[]): Promise<Volume>;
  /** Creates an inference session; `extraOutputs` asks for internal tensors as graph outputs. */
  createSession(model: InputFile, opts?: { extraOutputs?: string[] }): Promise<ModelSession>;
  /** Hex sha256 of some bytes (SubtleCrypto in browsers, node:crypto in the CLI). */
  sha256(bytes: Uint8Array): Promise<string>;
  /** Monotonic milliseconds, for ETAs. */
  now(): number;
}
