// `transferlens estimate FILE.json`: read a reference-vector-schema file, print every estimator it allows.
import { readFileSync } from 'node:fs';
import { estimateAll } from '../core/estimate/estimateAll.ts';
import { TeError } from '../core/errors.ts';
import type { VectorInput } from '../core/estimate/schema.ts';

export async function runEstimate(args: string[]): Promise<number> {
  if (args.length !== 1) {
    process.stderr.write('usage: transferlens estimate FILE.json   (or "-" for standard input)\n');
    return 2;
  }
  const file = args[0];
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new TeError('invalid-input', `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TeError('invalid-input', `${file}: not valid JSON (${(err as Error).message})`);
  }
  // A whole reference vector (with "input"/"expected") is accepted too: its "input" is used.
  const root = parsed as Record<string, unknown>;
  const input = (root && typeof root === 'object' && !Array.isArray(root) && 'input' in root && 'expected' in root
    ? root.input : root) as VectorInput;
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new TeError('invalid-input', `${file}: expected a JSON object with estimator inputs`);
  }
  const out = estimateAll(input, (message) => process.stderr.write(`transferlens: warning: ${message}\n`), file);
  process.stdout.write(JSON.stringify(out) + '\n');
  return 0;
}
