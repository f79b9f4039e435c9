// A small text badge for the state of a workflow area; the word carries the meaning, colour only repeats it.
// Generic UI: knows nothing about the store or the estimators.
import type { StepStatus } from '../features/workflow/steps.ts';

const LABELS: Record<StepStatus, string> = { coming: 'Coming', available: 'Available' };

export function StatusBadge({ status }: { status: StepStatus }) {
  return <span className={`badge badge--${status}`}>{LABELS[status]}</span>;
}
