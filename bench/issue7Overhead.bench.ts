// `npm run bench` case for issue 7's cost target (bench/issue7Overhead.ts prints the figures): the harness's and
// diagnostics' share of a demo study's time, side by side, and the own estimator's. Only this one: `npm run bench -- --filter Overhead`;
// TL_OVERHEAD_ROUNDS (default 2) sets the interleaved rounds, TL_OVERHEAD_TARGET the demo target.
import { runOverhead } from './issue7Overhead.ts';
import type { BenchCase } from './types.ts';

const rounds = Number(process.env.TL_OVERHEAD_ROUNDS ?? 2);

export const cases: BenchCase[] = [{
  name: 'issue-7 Overhead: diagnostics + consensus + recommendation + validation harness (and HOCS) vs a demo study',
  params: { target: process.env.TL_OVERHEAD_TARGET ?? 'subj2_t1_cor_wm', rounds },
  setup: () => undefined,
  run: () => runOverhead({ rounds, target: process.env.TL_OVERHEAD_TARGET }),
  repeats: 1,
}];
