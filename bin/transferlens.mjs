// Entry point of the `transferlens` command: runs the TypeScript CLI through tsx's loader, so the
// command works right after `npm install` on a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
