// `transferlens inspect MODEL.onnx`: derives a sidecar manifest for a model that has none (multi-scale decoder
// features found by a probe run) and prints it, or writes it with --out, for the user to check and keep.
import { readFileSync, writeFileSync } from 'node:fs';
import { TeError } from '../core/errors.ts';
import { inspectModel } from '../core/model/inspectModel.ts';
import { createNodeSession } from '../adapters/ortNodeSession.ts';
import { parseArgs, single } from './args.ts';

export async function runInspect(argv: string[]): Promise<number> {
  const p = parseArgs(argv, []);
  if (p.positional.length !== 1) {
    process.stderr.write('usage: transferlens inspect MODEL.onnx [--out MODEL.json]\n');
    return 2;
  }
  const file = p.positional[0];
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new TeError('invalid-input', `${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const r = await inspectModel({ name: file, bytes }, { createSession: createNodeSession });
  for (const n of r.notes) process.stderr.write(`transferlens: note: ${n}\n`);
  process.stderr.write(`transferlens: ${r.candidates.length} candidate feature tensors; proposed: ${r.proposed.features.map((f) => `${f.name} (stride ${f.stride}, ${f.channels} ch)`).join(', ')}\n`);
  const text = JSON.stringify(r.proposed, null, 1) + '\n';
  const out = single(p, 'out');
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
  return 0;
}
