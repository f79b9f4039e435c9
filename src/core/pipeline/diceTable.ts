// Parses a fine-tuned Dice table (the CLI's --dice and the workbench's dropped file): CSV "model,dice[,dice…]",
// JSON {targets: {t: {model: {mean}}}}, {model: {mean}} or {model: number}. One parser for both hosts.
import { TeError } from '../errors.ts';
import type { DiceTable } from './correlate.ts';

/** Tables per target id; '*' holds a table that applies to any target. Throws with a message naming the file. */
export function parseDiceTables(name: string, text: string): Record<string, DiceTable> {
  if (name.toLowerCase().endsWith('.csv')) {
    const out: DiceTable = {};
    for (const line of text.split(/\r?\n/).slice(1)) {
      const [id, ...vals] = line.split(',').map((s) => s.trim());
      if (!id) continue;
      const nums = vals.map(Number).filter(Number.isFinite);
      if (nums.length === 0) throw new TeError('invalid-input', `${name}: row "${line}" has no Dice value`);
      out[id] = { mean: nums.reduce((a, b) => a + b, 0) / nums.length, dice: nums };
    }
    if (Object.keys(out).length === 0) throw new TeError('invalid-input', `${name}: no rows after the header "model,dice"`);
    return { '*': out };
  }
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new TeError('invalid-input', `${name}: not valid JSON or CSV (${(err as Error).message})`);
  }
  const table = (o: unknown, where: string): DiceTable => {
    if (!o || typeof o !== 'object') throw new TeError('invalid-input', `${name}: ${where} is not an object of model → Dice`);
    return Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => {
      const mean = typeof v === 'number' ? v : (v as { mean?: unknown })?.mean;
      if (typeof mean !== 'number' || !Number.isFinite(mean)) throw new TeError('invalid-input', `${name}: ${where}.${k} has no numeric Dice ("mean")`);
      return [k, typeof v === 'number' ? { mean: v } : (v as DiceTable[string])];
    }));
  };
  if (j.targets && typeof j.targets === 'object') {
    return Object.fromEntries(Object.entries(j.targets as Record<string, unknown>).map(([t, o]) => [t, table(o, `targets.${t}`)]));
  }
  return { '*': table(j, 'the file') };
}

