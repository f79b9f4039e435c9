// The TransferLens command line: argv -> one command -> JSON on stdout; diagnostics on stderr.
// Commands stay thin: the numbers come from src/core (architecture: the CLI is a host, not a second integration).
import { runEstimate } from './estimateCommand.ts';
import { runRank } from './rankCommand.ts';
import { runValidate } from './validateCommand.ts';
import { runInspect } from './inspectCommand.ts';
import { runFinetune } from './finetuneCommand.ts';
import { HELP } from './help.ts';
import { TeError } from '../core/errors.ts';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(HELP);
      return command ? 0 : 1;
    }
    if (command === '--version') {
      process.stdout.write('transferlens 0.1.0\n');
      return 0;
    }
    if (command === 'estimate') return await runEstimate(rest);
    if (command === 'rank') return await runRank(rest);
    if (command === 'validate') return await runValidate(rest);
    if (command === 'inspect') return await runInspect(rest);
    if (command === 'finetune') return await runFinetune(rest);
    process.stderr.write(`transferlens: unknown command "${command}". Run \`transferlens --help\`.\n`);
    return 2;
  } catch (err) {
    const prefix = err instanceof TeError ? `error [${err.code}]` : 'error';
    process.stderr.write(`transferlens: ${prefix}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
