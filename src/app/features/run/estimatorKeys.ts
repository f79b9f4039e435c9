// The estimator score keys the core computes (src/core/pipeline/scorers.ts), offered as the Run area's
// --estimators choices; an empty choice means all, as in the CLI.
import { SCORERS } from '../../../core/pipeline/scorers.ts';

export const ESTIMATOR_KEYS: readonly string[] = SCORERS.flatMap((s) => s.keys);
