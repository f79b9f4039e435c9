// The one zustand store of the app, composed of slices (architecture note: app/state).
// `createAppStore` builds a fresh vanilla store (used by tests); `useAppStore` is the app's React hook.
import { createStore, useStore } from 'zustand';
import { createUiSlice, type UiSlice } from './uiSlice.ts';
import { createPrivacySlice, type PrivacySlice } from './privacySlice.ts';
import { createBankSlice, type BankSlice } from './bankSlice.ts';
import { createRunSlice, type RunSlice } from './runSlice.ts';

export type AppState = UiSlice & PrivacySlice & BankSlice & RunSlice;

export function createAppStore() {
  return createStore<AppState>()((...a) => ({
    ...createUiSlice(...a),
    ...createPrivacySlice(...a),
    ...createBankSlice(...a),
    ...createRunSlice(...a),
  }));
}

export const appStore = createAppStore();

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
