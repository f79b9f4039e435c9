// UI slice of the app store: which workflow area the user is looking at.
// Holds ids only (architecture note, convention 5); the areas themselves are listed in features/workflow/steps.ts.
import type { StateCreator } from 'zustand';
import { WORKFLOW_STEPS, type StepId } from '../features/workflow/steps.ts';

export interface UiSlice {
  activeStep: StepId;
  selectStep: (id: StepId) => void;
}

export const createUiSlice: StateCreator<UiSlice, [], [], UiSlice> = (set) => ({
  activeStep: WORKFLOW_STEPS[0].id,
  selectStep: (id) => set({ activeStep: id }),
});
