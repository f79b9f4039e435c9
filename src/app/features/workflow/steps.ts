// The workflow areas of the workbench, in data-flow order: load data, run the models, rank them, then inspect.
// Every area is honest about its state: `coming` would mean no part of it works in the app yet.
export type StepId = 'load' | 'run' | 'ranking' | 'te-vs-dice' | 'tsne' | 'risk-map';

export type StepStatus = 'coming' | 'available';

export interface WorkflowStep {
  id: StepId;
  title: string;
  /** What the area will let the user do. */
  purpose: string;
  status: StepStatus;
}

export const WORKFLOW_STEPS: readonly [WorkflowStep, ...WorkflowStep[]] = [
  {
    id: 'load',
    title: 'Load',
    purpose: 'Drop your scans with their label maps (NIfTI, NRRD, MHA, DICOM) and pick candidate ONNX models, or start from the demo bank. Files are read in this tab and stay on your machine.',
    status: 'available',
  },
  {
    id: 'run',
    title: 'Run',
    purpose: 'Run every candidate model on your cases in a background worker, take its decoder features and compute the transferability estimators (CC-FV, LogME, LEEP, GBC, TransRate, H-score and more).',
    status: 'available',
  },
  {
    id: 'ranking',
    title: 'Ranking',
    purpose: 'Rank the models by each estimator, with bootstrap 95% intervals over your cases.',
    status: 'available',
  },
  {
    id: 'te-vs-dice',
    title: 'TE vs Dice',
    purpose: 'Plot each transferability estimate against the Dice a model reached after fine-tuning, where such results exist, with weighted Kendall’s τ.',
    status: 'available',
  },
  {
    id: 'tsne',
    title: 't-SNE',
    purpose: 'Show a 2-D embedding of the decoder features, coloured by class and case.',
    status: 'available',
  },
  {
    id: 'risk-map',
    title: 'Risk map',
    purpose: 'Overlay the voxel-wise transfer-risk map on your scan to see where a model is likely to struggle.',
    status: 'available',
  },
];

export function stepById(id: StepId): WorkflowStep {
  const step = WORKFLOW_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`Unknown workflow step "${id}"`);
  return step;
}
