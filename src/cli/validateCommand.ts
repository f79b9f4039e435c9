// `transferlens validate`: every estimator of a report (or of a fresh demo study) against fine-tuned Dice, with
// the noise ceiling, chance level and regret (src/core/validation); a table on stdout, or JSON with --json.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TeError } from '../core/errors.ts';
import type { DiceTable } from '../core/pipeline/correlate.ts';
import type { Report } from '../core/pipeline/report.ts';
import { validateReport, type DiceSource } from '../core/validation/fromReport.ts';
import { formatValidation } from '../core/validation/format.ts';
import { parseArgs, single } from './args.ts';
import { DEMO_DIR } from './demoBank.ts';
import { readDice, runRank } from './rankCommand.ts';

/** {"targets": {t: {model: {dice, mean}}}} per target; any other form of `rank --dice` applies to every target. */
export function readDiceSource(file: string): DiceSource {
  if (!existsSync(file)) throw new TeError('invalid-input', `${file}: no such Dice file`);
  if (!file.toLowerCase().endsWith('.csv')) {
    const j = JSON.parse(readFileSync(file, 'utf8'));
    if (j && typeof j === 'object' && j.targets) {
      const byTarget: Record<string, DiceTable> = {};
      for (const [t, table] of Object.entries(j.targets as Record<string, Record<string, unknown>>)) {
        byTarget[t] = Object.fromEntries(Object.entries(table).map(([k, v]) => [k, typeof v === 'number' ? { mean: v } : (v as DiceTable[string])]));
      }
      return { byTarget };
    }
  }
  return { byTarget: {}, fallback: readDice(file) };
}

export async function runValidate(argv: string[]): Promise<number> {
  const p = parseArgs(argv, ['demo', 'json', 'quiet', 'with-3d', 'resample-models']);
  const demo = p.flags.has('demo');
  let reportPath = single(p, 'report');
  if (!reportPath && !demo) throw new TeError('invalid-input', 'validate needs --report R.json --dice D.json, or --demo');
  if (!reportPath) {
    // Run the demo studies once (as `rank --demo`) and keep the report where --save says (default .scratch/).
    reportPath = single(p, 'save') ?? join('.scratch', 'demo-report.json');
    mkdirSync(dirname(reportPath), { recursive: true });
    const pass = ['seed', 'resamples', 'target'].flatMap((k) => (single(p, k) ? [`--${k}`, single(p, k)!] : []));
    await runRank(['--demo', '--out', reportPath, ...pass, ...(p.flags.has('quiet') ? ['--quiet'] : []), ...(p.flags.has('with-3d') ? ['--with-3d'] : [])]);
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
  if (!Array.isArray(report.studies)) throw new TeError('invalid-input', `${reportPath}: not a TransferLens report (no studies[])`);
  let dicePath = single(p, 'dice');
  if (!dicePath && demo) {
    dicePath = join(DEMO_DIR, 'finetune-dice.json');
    if (!existsSync(dicePath)) throw new TeError('invalid-input', `${dicePath}: the demo bank's fine-tuning ground truth is not there yet (tools/bank/README.md, step 5)`);
  }
  if (!dicePath) throw new TeError('invalid-input', 'validate --report needs --dice D.json (or CSV "model,dice,...")');
  const v = validateReport(report, readDiceSource(dicePath), { resamples: Number(single(p, 'validation-resamples') ?? 200), seed: Number(single(p, 'seed') ?? 0), resampleModels: p.flags.has('resample-models') },
    (w) => process.stderr.write(`transferlens: warning: ${w.message}\n`));
  process.stdout.write(p.flags.has('json') ? JSON.stringify(v) + '\n' : formatValidation(v));
  return 0;
}
