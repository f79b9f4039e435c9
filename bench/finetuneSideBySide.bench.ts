// `npm run bench` case for issue 8's speed and memory figures (bench/finetuneSideBySide.ts prints them): PyTorch
// one thread vs the lab's browser worker vs tfjs in Node, interleaved, then peak step memory. Only this one:
// `npm run bench -- --filter SideBySide`; TL_FT_ROUNDS, TL_FT_STEPS (default 5 × 3) set the repeats.
import { runSideBySide } from './finetuneSideBySide.ts';
import type { BenchCase } from './types.ts';

const rounds = Number(process.env.TL_FT_ROUNDS ?? 5), steps = Number(process.env.TL_FT_STEPS ?? 3);

export const cases: BenchCase[] = [{
  name: 'finetune step side by side: PyTorch 1 thread, browser worker, node (then peak memory)',
  params: { model: 'unet2d_base8', HW: '128x128', batch: 8, rounds, steps },
  setup: () => undefined,
  run: () => runSideBySide({ rounds, steps, browser: true, torch: true }),
  repeats: 1,
}];
