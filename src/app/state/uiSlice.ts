// UI slice of the app store: which workflow area the user is looking at, and the model the lab was asked to open.
// Holds ids only (architecture note, convention 5); the areas themselves are listed in features/workflow/steps.ts.
import type { StateCreator } from 'zustand';
import { WORKFLOW_STEPS, type StepId } from '../features/workflow/steps.ts';

export interface UiSlice {
  activeStep: StepId;
  selectStep: (id: StepId) => void;
  /** The last model the user sent to the fine-tuning lab (e.g. the recommended one), a new object per request: the lab selects it. */
  labModel: { id: string } | null;
  openInLab: (modelId: string) => void;
}

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set) => ({
  activeStep: WORKFLOW_STEPS[0].id,
  selectStep: (id) => set({ activeStep: id }),
  labModel: null,
  openInLab: (modelId) => set({ labModel: { id: modelId } }),
});
