// The workbench: what TransferLens is, its privacy promise, and the areas in data-flow order (Load → Run →
// Ranking → TE vs Dice → t-SNE → Risk map → Export). Composition only; state in state/, areas in features/.
import { lazy, Suspense } from 'react';
import { PrivacyNote } from './features/privacy/PrivacyNote.tsx';
import { WorkflowNav } from './features/workflow/WorkflowNav.tsx';
import { LoadPanel } from './features/load/LoadPanel.tsx';
import { RunPanel } from './features/run/RunPanel.tsx';
import { RankingTable } from './features/ranking/RankingTable.tsx';
import { ExportBar } from './features/export/ExportBar.tsx';
import { useAppStore } from './state/store.ts';

const TeVsDice = lazy(() => import('./features/te-vs-dice/TeVsDice.tsx'));
const TsnePanel = lazy(() => import('./features/tsne/TsnePanel.tsx'));
const RiskMapPanel = lazy(() => import('./features/risk-map/RiskMapPanel.tsx'));
const LabPanel = lazy(() => import('./features/lab/LabPanel.tsx'));
const BankLoop = lazy(() => import('./features/lab/BankLoop.tsx'));

function Views() {
  const hasReport = useAppStore((s) => s.report !== null && s.report.models.length > 0);
  const running = useAppStore((s) => s.runStatus === 'running');
  // The views start their own workers (t-SNE, risk map): wait until the study has finished or was cancelled.
  if (!hasReport || running) return null;
  return (
    <Suspense fallback={<p className="muted">Loading the views…</p>}>
      <TeVsDice />
      <TsnePanel />
      <RiskMapPanel />
    </Suspense>
  );
}

export function App() {
  return (
    <>
      <a className="skip-link" href="#main">Skip to the workflow</a>
      <header className="masthead">
        <h1>TransferLens</h1>
        <p className="masthead__question">Which pre-trained segmentation model should I fine-tune on my data?</p>
        <p className="masthead__answer" data-testid="privacy-statement">
          Your scans and models never leave this computer: everything is computed inside this browser tab, and the page is
          not allowed to send anything to any other site.
        </p>
      </header>
      <main id="main" className="layout" tabIndex={-1}>
        <WorkflowNav />
        <div className="panels">
          <LoadPanel />
          <RunPanel />
          <RankingTable />
          <Views />
          <Suspense fallback={null}><LabPanel /></Suspense>
          <Suspense fallback={null}><BankLoop /></Suspense>
          <ExportBar />
        </div>
        <PrivacyNote />
      </main>
    </>
  );
}
