// Per-model parity check between onnxruntime-web's WebGPU and WASM providers (issue 4 §3): one fixed,
// seeded window through both, max abs difference per output and argmax agreement of the logits.
import type { InputFile, Tensor } from '../core/ports.ts';
import { createRng } from '../core/sampling/rng.ts';
import { createOrtWebSession, hasWebGpuAdapter } from './ortWebSession.ts';

export interface ParityResult {
  inputDims: number[];
  /** max |webgpu − wasm| per output name. */
  maxAbsDiff: Record<string, number>;
  /** Fraction of voxels whose argmax over channels (axis 1) agrees, for `logitsName`. */
  argmaxAgreement: number;
  logitsName: string;
  seconds: { webgpu: number; wasm: number };
}

/** A fixed input: seeded uniform [0, 1) values (seed 0), the same in every run and host. */
export function parityInput(dims: number[]): Tensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const rng = createRng(0);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = rng.next();
  return { dims, data };
}

/** Null when no WebGPU adapter exists (nothing to compare). `inputDims` e.g. [1, C, 32, 32]. */
export async function checkParity(model: InputFile, opts: { inputName: string; logitsName: string; inputDims: number[]; outputs?: string[] }): Promise<ParityResult | null> {
  if (!(await hasWebGpuAdapter())) return null;
  const feeds = { [opts.inputName]: parityInput(opts.inputDims) };
  const results: Record<string, Record<string, Tensor>> = {};
  const seconds = { webgpu: 0, wasm: 0 };
  for (const provider of ['webgpu', 'wasm'] as const) {
    const session = await createOrtWebSession(model, { providers: provider });
    try {
      const t0 = performance.now();
      results[provider] = await session.run(feeds, opts.outputs);
      seconds[provider] = (performance.now() - t0) / 1000;
    } finally {
      await session.release();
    }
  }
  const maxAbsDiff: Record<string, number> = {};
  for (const [name, a] of Object.entries(results.wasm)) maxAbsDiff[name] = maxAbs(a.data, results.webgpu[name].data);
  return {
    inputDims: opts.inputDims, maxAbsDiff, logitsName: opts.logitsName, seconds,
    argmaxAgreement: argmaxAgreement(results.webgpu[opts.logitsName], results.wasm[opts.logitsName]),
  };
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Share of positions where argmax over axis 1 of an N×C×… tensor is the same in `a` and `b`. */
export function argmaxAgreement(a: Tensor, b: Tensor): number {
  const [n, c] = a.dims;
  const inner = a.data.length / (n * c);
  let same = 0;
  for (let s = 0; s < n; s++) {
    for (let p = 0; p < inner; p++) {
      let ka = 0, kb = 0;
      for (let k = 1; k < c; k++) {
        const i = (s * c + k) * inner + p;
        if (a.data[i] > a.data[(s * c + ka) * inner + p]) ka = k;
        if (b.data[i] > b.data[(s * c + kb) * inner + p]) kb = k;
      }
      if (ka === kb) same++;
    }
  }
  return same / (n * inner);
}
