// The reference-vector input schema (shared/reference-vectors/README.md): what `transferlens estimate`
// reads. Every key is optional; each estimate section computes whatever the present keys allow.

export type Rows = number[][];

export interface CcfvCaseInput {
  features: Rows; // n × D sampled voxel features of one case
  labels: number[]; // n voxel classes (0 = background, 1..K foreground)
}

export interface CcfvInput {
  num_classes: number; // K foreground classes
  layers: { name: string; cases: CcfvCaseInput[] }[];
}

export interface PixelInput {
  source_probs: number[][][][]; // n × H × W × C_s
  labels: number[][][]; // n × H × W
  target_probs?: number[][][][]; // n × H × W × C_t
}

export interface CorrelationPair {
  x: number[];
  y: number[];
}

export interface MetalrInput {
  theta: Record<string, unknown>;
  x_train: Rows;
  y_train: number[];
  x_val: Rows;
  y_val: number[];
  lrs: number[];
  eta: number;
  update_rule_only?: Record<string, unknown>;
}

export interface VectorInput {
  features?: Rows;
  labels?: number[];
  source_probs?: Rows;
  ccfv?: CcfvInput;
  pixel?: PixelInput;
  theta?: MetalrInput['theta'];
  x_train?: Rows;
  y_train?: number[];
  x_val?: Rows;
  y_val?: number[];
  lrs?: number[];
  eta?: number;
  update_rule_only?: MetalrInput['update_rule_only'];
  /** Any other key holding `{x, y}` is a named correlation pair. */
  [key: string]: unknown;
}

/** One estimate section: reads what it understands from the input, returns output keys (or {}). */
export type EstimateSection = (input: VectorInput, warn: (message: string) => void) => Record<string, unknown>;
