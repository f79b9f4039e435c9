// The workflow as an ordered list of areas in data-flow order (Load → Run → Ranking → views).
// Selecting an area updates the UI slice of the store; the current one is marked with aria-current.
import { useAppStore } from '../../state/store.ts';
import { StatusBadge } from '../../ui/StatusBadge.tsx';
import { WORKFLOW_STEPS } from './steps.ts';

export function WorkflowNav() {
  const activeStep = useAppStore((s) => s.activeStep);
  const selectStep = useAppStore((s) => s.selectStep);
  return (
    <nav className="workflow-nav" aria-label="Workflow">
      <ol>
        {WORKFLOW_STEPS.map((step, i) => (
          <li key={step.id}>
            <button
              type="button"
              className="workflow-nav__item"
              aria-current={step.id === activeStep ? 'step' : undefined}
              aria-controls="step-panel"
              onClick={() => selectStep(step.id)}
            >
              <span className="workflow-nav__index" aria-hidden="true">{i + 1}</span>
              <span className="workflow-nav__title">{step.title}</span>
              <StatusBadge status={step.status} />
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
