// Typed errors of the core: every failure a user can meet has a code and a message that names the
// input (file, case, class or layer) and the problem. Never folded into null (docs/architecture.md §8).

export type TeErrorCode =
  | 'invalid-input' // wrong shape, ragged rows, missing keys
  | 'shape-mismatch' // two inputs that must agree in size do not
  | 'non-finite' // NaN or ±Inf in features, probabilities or labels
  | 'too-few-cases' // an estimator needs ≥ 2 cases
  | 'too-few-samples' // a class has fewer samples than the estimator needs
  | 'single-class' // only one target class: the score is undefined or trivially 0
  | 'non-contiguous-labels' // labels are not 0..C−1 (see remapLabels)
  | 'not-converged' // an iterative solver did not converge
  | 'unsupported' // a file or model the product cannot use, with the reason
  | 'cancelled';

export class TeError extends Error {
  readonly code: TeErrorCode;
  /** Free-form context (file, case, class, layer) for the UI and the report. */
  readonly detail?: Record<string, unknown>;
  constructor(code: TeErrorCode, message: string, detail?: Record<string, unknown>) {
    super(message);
    this.name = 'TeError';
    this.code = code;
    this.detail = detail;
  }
}

/** A recoverable oddity: computation went on, the user must be told (kept in the report). */
export interface TeWarning {
  code: TeErrorCode | 'rank-deficient' | 'remapped-labels' | 'nan-result';
  message: string;
  detail?: Record<string, unknown>;
}
