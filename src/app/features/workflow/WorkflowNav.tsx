// The workflow as an ordered list of areas in data-flow order (Load → Run → Ranking → views); selecting one
// records it in the UI slice and scrolls its panel into view. The current one is marked with aria-current.
import { useAppStore } from '../../state/store.ts';
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
              title={step.purpose}
              onClick={() => { selectStep(step.id); document.getElementById(step.id)?.scrollIntoView({ behavior: 'smooth' }); }}
            >
              <span className="workflow-nav__index" aria-hidden="true">{i + 1}</span>
              <span className="workflow-nav__title">{step.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
