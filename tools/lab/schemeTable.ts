// Summarises the lab's scheme comparison on the demo bank (issue 8 §6) from the runs compare-schemes.sh wrote under
// tools/lab/.cache/runs/: held-out Dice mean ± sd over seeds per (target, model, condition), and the paired
// differences MetaLR − constant and risk-weighted − plain (same seed = same batches and head init), whatever the sign.
// Usage: npx tsx tools/lab/schemeTable.ts [--out docs/lab/scheme-comparison.md]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanSd } from '../../src/core/finetune/finetuneResult.ts';

const CONDITIONS = ['constant-adam', 'constant-sgd', 'metalr-paper', 'risk-adam'] as const;
const CONTRASTS: [string, string, string][] = [
  ['MetaLR (paper) − constant SGD', 'metalr-paper', 'constant-sgd'],
  ['MetaLR (paper) − constant Adam', 'metalr-paper', 'constant-adam'],
  ['risk-weighted − plain (Adam)', 'risk-adam', 'constant-adam'],
];

const dir = join(import.meta.dirname, '.cache', 'runs');
type Run = { dice: number; seconds: number };
const runs = new Map<string, Map<number, Run>>(); // "target|model|condition" → seed → run
for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
  const [target, model, cond, seed] = f.replace(/\.json$/, '').split('.');
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  const key = `${target}|${model}|${cond}`;
  if (!runs.has(key)) runs.set(key, new Map());
  runs.get(key)!.set(Number(seed), { dice: r.dice.test, seconds: r.provenance.seconds });
}

const fmt = (xs: number[]) => {
  const { mean, sd } = meanSd(xs);
  return mean === null ? '—' : `${mean.toFixed(3)} ± ${sd === null ? '?' : sd.toFixed(3)} (n=${xs.length})`;
};
const pairs = [...new Set([...runs.keys()].map((k) => k.split('|').slice(0, 2).join('|')))].sort();
const lines: string[] = [];
lines.push('| target | model | ' + CONDITIONS.join(' | ') + ' |', '| --- | --- | ' + CONDITIONS.map(() => '---').join(' | ') + ' |');
for (const p of pairs) {
  const [t, m] = p.split('|');
  lines.push(`| ${t} | ${m} | ` + CONDITIONS.map((c) => fmt([...(runs.get(`${p}|${c}`)?.values() ?? [])].map((r) => r.dice))).join(' | ') + ' |');
}
lines.push('', '| contrast (paired by seed) | mean Δ Dice ± sd over all pairs | pairs | higher / lower / equal | rows with mean Δ > 0 |', '| --- | --- | --- | --- | --- |');
for (const [label, a, b] of CONTRASTS) {
  const all: number[] = [];
  let rowsUp = 0, rows = 0;
  for (const p of pairs) {
    const ra = runs.get(`${p}|${a}`), rb = runs.get(`${p}|${b}`);
    if (!ra || !rb) continue;
    const d = [...ra.keys()].filter((s) => rb.has(s)).map((s) => ra.get(s)!.dice - rb.get(s)!.dice);
    if (!d.length) continue;
    all.push(...d);
    rows++;
    if (meanSd(d).mean! > 0) rowsUp++;
  }
  const up = all.filter((x) => x > 0).length, down = all.filter((x) => x < 0).length;
  lines.push(`| ${label} | ${fmt(all)} | ${all.length} | ${up} / ${down} / ${all.length - up - down} | ${rowsUp} of ${rows} |`);
}
const secs = CONDITIONS.map((c) => {
  const s = [...runs.entries()].filter(([k]) => k.endsWith(`|${c}`)).flatMap(([, v]) => [...v.values()].map((r) => r.seconds));
  return `${c} ${meanSd(s).mean?.toFixed(1) ?? '—'} s`;
});
lines.push('', `Mean wall seconds per run (tfjs wasm in Node, 15 iterations + evaluation, machine shared): ${secs.join(', ')}.`);
const text = lines.join('\n') + '\n';
process.stdout.write(text);
const outIdx = process.argv.indexOf('--out');
if (outIdx > 0) writeFileSync(process.argv[outIdx + 1], text);
