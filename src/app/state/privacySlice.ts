// Privacy slice of the app store: the promise the shell states and the facts the browser reports about it.
// No scan or model ever leaves the machine: the app makes no request beyond its own origin (checked in e2e/shell.spec.ts).
import type { StateCreator } from 'zustand';

export interface PrivacySlice {
  /** The product's standing promise: computation is local, nothing is uploaded. Constant by design. */
  localOnly: true;
  /** Whether the page runs cross-origin isolated (COOP/COEP), which multi-threaded wasm needs. Null until checked. */
  crossOriginIsolated: boolean | null;
  setCrossOriginIsolated: (value: boolean) => void;
}

export const createPrivacySlice: StateCreator<PrivacySlice, [], [], PrivacySlice> = (set) => ({
  localOnly: true,
  crossOriginIsolated: null,
  setCrossOriginIsolated: (value) => set({ crossOriginIsolated: value }),
});
