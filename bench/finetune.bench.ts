// Fine-tuning engine (issue 8): seconds per training step of a demo-size 2-D U-Net (base 8, 128², batch 8) on
// tfjs in Node — plain (Adam), MetaLR (paper rule, SGD, one look-ahead) and risk-weighted (Adam). Backend: wasm
// (TL_TFJS_BACKEND=cpu for the pure-JS one). Model: public/demo/models/colin_t1_ax_brain.onnx (the bank's).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTrainerSync, type FinetuneMethod, type Trainer } from '../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend, type TfjsBackendName } from '../src/adapters/tfjsBackend.ts';
import { createRng } from '../src/core/sampling/rng.ts';
import type { BenchCase } from './types.ts';

const root = join(import.meta.dirname, '..');
const modelPath = join(root, 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
const backend = (process.env.TL_TFJS_BACKEND ?? 'wasm') as TfjsBackendName;
const N = 12, H = 128, W = 128, BATCH = 8;

function syntheticSlices() {
  const rng = createRng(7), images = new Float32Array(N * H * W), labels = new Int32Array(N * H * W);
  for (let c = 0; c < N; c++) {
    const cy = 40 + rng.int(48), cx = 40 + rng.int(48), r2 = (20 + rng.int(16)) ** 2;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const p = (c * H + y) * W + x, inside = (y - cy) ** 2 + (x - cx) ** 2 < r2;
      labels[p] = inside ? 1 : 0;
      images[p] = (inside ? 0.7 : 0.2) + 0.1 * rng.normal();
    }
  }
  return { images, labels, n: N, h: H, w: W };
}

let cases: BenchCase[] = [];
if (existsSync(modelPath)) {
  await initTfjsBackend(backend, join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  const bytes = new Uint8Array(readFileSync(modelPath));
  const data = syntheticSlices();
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
