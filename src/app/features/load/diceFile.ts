// Parses a fine-tuned Dice table dropped by the user (item 1/4): the CLI's formats (src/cli/rankCommand.ts readDice):
// CSV "model,dice[,dice…]", JSON {targets: {t: {model: {mean}}}}, {model: {mean}} or {model: number}.
import type { DiceTable } from '../../../core/pipeline/correlate.ts';

/** Tables per target id; '*' holds a table that applies to any target. Throws with a message naming the file. */
export function parseDice(name: string, text: string): Record<string, DiceTable> {
  if (name.toLowerCase().endsWith('.csv')) {
    const out: DiceTable = {};
    for (const line of text.split(/\r?\n/).slice(1)) {
      const [id, ...vals] = line.split(',').map((s) => s.trim());
      if (!id) continue;
      const nums = vals.map(Number).filter(Number.isFinite);
      if (nums.length === 0) throw new Error(`${name}: row "${line}" has no Dice value`);
      out[id] = { mean: nums.reduce((a, b) => a + b, 0) / nums.length, dice: nums };
    }
    if (Object.keys(out).length === 0) throw new Error(`${name}: no rows after the header "model,dice"`);
    return { '*': out };
  }
  const j = JSON.parse(text) as Record<string, unknown>;
  const table = (o: unknown, where: string): DiceTable => {
    if (!o || typeof o !== 'object') throw new Error(`${name}: ${where} is not an object of model → Dice`);
    return Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => {
      const mean = typeof v === 'number' ? v : (v as { mean?: unknown })?.mean;
      if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new Error(`${name}: ${where}.${k} has no numeric Dice ("mean")`);
      return [k, typeof v === 'number' ? { mean: v } : (v as DiceTable[string])];
    }));
  };
  if (j.targets && typeof j.targets === 'object') {
    return Object.fromEntries(Object.entries(j.targets as Record<string, unknown>).map(([t, o]) => [t, table(o, `targets.${t}`)]));
  }
  return { '*': table(j, 'the file') };
}

/** The Dice table that applies to a target: its own entry first, then a target-less one. */
export function diceFor(items: { tables: Record<string, DiceTable> }[], targetId: string): DiceTable | undefined {
  for (const it of [...items].reverse()) if (it.tables[targetId]) return it.tables[targetId];
  for (const it of [...items].reverse()) if (it.tables['*']) return it.tables['*'];
  return undefined;
}

/** True when a JSON object looks like a model manifest rather than a Dice table. */
export const looksLikeManifest = (j: unknown) => !!j && typeof j === 'object' && 'input_name' in j && 'logits_name' in j;
