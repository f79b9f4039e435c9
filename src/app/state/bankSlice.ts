// Bank slice: the loaded models, targets and fine-tuned Dice tables, each with its validation status and the
// problems found on arrival. Ids and metadata only; the bytes are in fileCache. A bad file never removes work.
import type { StateCreator } from 'zustand';
import type { ModelManifest, Normalization } from '../../core/types.ts';
import type { DiceTable } from '../../core/pipeline/correlate.ts';

export type ItemStatus = 'checking' | 'ok' | 'error';

export interface ModelItem {
  id: string;
  fileName: string;
  source: 'demo' | 'user';
  status: ItemStatus;
  manifest?: ModelManifest;
  /** True when the manifest was derived from the graph (no sidecar) and awaits the user's confirmation. */
  derived?: boolean;
  problems: string[];
}

export interface TargetItem {
  id: string;
  name: string;
  source: 'demo' | 'user';
  status: ItemStatus;
  imageName: string;
  labelName?: string;
  classNames: string[];
  axis: 0 | 1 | 2;
  sliceIndices?: number[];
  /** Slices the lab takes held-out slices from (a demo target's task_slices, as the CLI); else those with foreground. */
  heldOutPool?: number[];
  /** Intensity normalisation fine-tuning uses on this target (a demo target's own, as the bank and the CLI); else the model's. */
  normalization?: Normalization;
  size?: number[];
  spacing?: number[];
  cases?: number;
  labelsAreDerived?: boolean;
  problems: string[];
}

export interface DiceItem { id: string; fileName: string; source: 'demo' | 'user'; tables: Record<string, DiceTable>; problems: string[] }

/** A file that could not be used at all (unknown type, unreadable), with the reason. */
export interface RejectedFile { name: string; problem: string }

export interface BankSlice {
  models: ModelItem[];
  targets: TargetItem[];
  dice: DiceItem[];
  rejected: RejectedFile[];
  selectedTarget: string | null;
  upsertModel: (m: ModelItem) => void;
  upsertTarget: (t: TargetItem) => void;
  upsertDice: (d: DiceItem) => void;
  reject: (r: RejectedFile) => void;
  removeModel: (id: string) => void;
  /** The user accepts a derived manifest: the model joins the next run. */
  confirmModel: (id: string) => void;
  selectTarget: (id: string) => void;
}

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  return i < 0 ? [...list, item] : list.map((x, k) => (k === i ? item : x));
}

export const createBankSlice: StateCreator<BankSlice, [], [], BankSlice> = (set) => ({
  models: [],
  targets: [],
  dice: [],
  rejected: [],
  selectedTarget: null,
  upsertModel: (m) => set((s) => ({ models: upsert(s.models, m) })),
  upsertTarget: (t) => set((s) => ({ targets: upsert(s.targets, t), selectedTarget: s.selectedTarget ?? (t.status !== 'error' ? t.id : null) })),
  upsertDice: (d) => set((s) => ({ dice: upsert(s.dice, d) })),
  reject: (r) => set((s) => ({ rejected: [...s.rejected.filter((x) => x.name !== r.name), r] })),
  removeModel: (id) => set((s) => ({ models: s.models.filter((m) => m.id !== id) })),
  selectTarget: (id) => set({ selectedTarget: id }),
  confirmModel: (id) => set((s) => ({ models: s.models.map((m) => (m.id === id ? { ...m, derived: false } : m)) })),
});
