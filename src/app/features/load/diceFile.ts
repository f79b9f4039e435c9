// Dice tables dropped by the user (item 1/4): parsed by the core (src/core/pipeline/diceTable.ts, shared with the
// CLI); here only the choice of the table that applies to a target and the manifest/Dice tell-apart.
import type { DiceTable } from '../../../core/pipeline/correlate.ts';
export { parseDiceTables as parseDice } from '../../../core/pipeline/diceTable.ts';

/** The Dice table that applies to a target: its own entry first, then a target-less one. */
export function diceFor(items: { tables: Record<string, DiceTable> }[], targetId: string): DiceTable | undefined {
  for (const it of [...items].reverse()) if (it.tables[targetId]) return it.tables[targetId];
  for (const it of [...items].reverse()) if (it.tables['*']) return it.tables['*'];
  return undefined;
}

/** True when a JSON object looks like a model manifest rather than a Dice table. */
export const looksLikeManifest = (j: unknown) => !!j && typeof j === 'object' && 'input_name' in j && 'logits_name' in j;
