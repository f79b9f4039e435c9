// The app shell: what TransferLens is, its privacy promise, and the workflow areas in data-flow order.
// Composition only; state lives in state/, areas in features/, generic parts in ui/.
import { PrivacyNote } from './features/privacy/PrivacyNote.tsx';
import { StepPanel } from './features/workflow/StepPanel.tsx';
import { WorkflowNav } from './features/workflow/WorkflowNav.tsx';

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">Skip to the workflow</a>
      <header className="masthead">
        <h1>TransferLens</h1>
        <p className="masthead__question">Which pre-trained segmentation model should I fine-tune on my data?</p>
        <p className="masthead__answer">
          TransferLens ranks candidate models by transferability estimates computed from your own scans, answered in
          your browser. No scan is ever uploaded.
        </p>
      </header>
      <main id="main" className="layout" tabIndex={-1}>
        <WorkflowNav />
        <StepPanel />
        <PrivacyNote />
      </main>
      <footer className="footer">
        <p>
          This is the app shell: the workflow areas are placeholders and compute nothing yet. The estimator core is
          developed and tested separately; see the README.
        </p>
      </footer>
    </>
  );
}
