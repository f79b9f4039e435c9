// Fine-tuning engine (issue 8): seconds per training step of a demo-size 2-D U-Net (base 8, 128², batch 8) on
// tfjs in Node — plain (Adam), MetaLR (paper rule, SGD, one look-ahead) and risk-weighted (Adam). Backend: wasm
// (TL_TFJS_BACKEND=cpu for the pure-JS one). Model: public/demo/models/colin_t1_ax_brain.onnx (the bank's).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTrainerSync, type FinetuneMethod, type Trainer } from '../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend, type TfjsBackendName } from '../src/adapters/tfjsBackend.ts';
import { syntheticSlices } from './syntheticSlices.ts';
import type { BenchCase } from './types.ts';

const root = join(import.meta.dirname, '..');
const modelPath = join(root, 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
const backend = (process.env.TL_TFJS_BACKEND ?? 'wasm') as TfjsBackendName;
const H = 128, W = 128, BATCH = 8;

let cases: BenchCase[] = [];
if (existsSync(modelPath)) {
  await initTfjsBackend(backend, join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  const bytes = new Uint8Array(readFileSync(modelPath));
  const data = syntheticSlices(12, H, W);
  const mk = (method: FinetuneMethod): BenchCase<Trainer> => ({
    name: `finetune_step_${method}`,
    params: { backend, model: 'unet2d_base8', HW: `${H}x${W}`, batch: BATCH },
    repeats: 3,
    setup: () => {
      const t = createTrainerSync(bytes, { logits_name: 'logits' }, data, { method, train: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], test: [10, 11], batch: BATCH, seed: 0 });
      t.stepSync(); // warm-up: kernels compiled, buffers allocated
      return t;
    },
    run: (t) => t.stepSync(),
  });
  cases = [mk('plain'), mk('metalr'), mk('risk')] as unknown as BenchCase[];
}

export { cases };
