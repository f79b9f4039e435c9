// The panel of the selected workflow area. At this stage every area is a placeholder that says it is coming.
// Reads the selected id from the store; the area list comes from steps.ts.
import { useAppStore } from '../../state/store.ts';
import { Placeholder } from '../../ui/Placeholder.tsx';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { WORKFLOW_STEPS, stepById } from './steps.ts';

export function StepPanel() {
  const step = stepById(useAppStore((s) => s.activeStep));
  const position = WORKFLOW_STEPS.findIndex((s) => s.id === step.id) + 1;
  return (
    <section id="step-panel" className="step-panel" aria-labelledby="step-panel-title" aria-live="polite">
      <p className="step-panel__position">Step {position} of {WORKFLOW_STEPS.length}</p>
      <h2 id="step-panel-title">
        {step.title} <StatusBadge status={step.status} />
      </h2>
      <Placeholder>{step.purpose}</Placeholder>
    </section>
  );
}
