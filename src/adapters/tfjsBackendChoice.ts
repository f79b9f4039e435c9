// Which tfjs backend the fine-tuning worker trains on (issue 8): WebGPU only when an adapter exists and the parity
// self-test (tfjsSelfTest: logits, loss and every gradient of a small built-in net) agrees with the reference
// backend (wasm) to SELF_TEST_TOLERANCE; otherwise the reference, with the reason in `webgpu`.
import { initTfjsBackend, type TfjsBackendName } from './tfjsBackend.ts';
import { driveAsync } from './tfjsDrive.ts';
import { selfTestDeviation, selfTestGen, type SelfTestDeviation, type SelfTestResult } from './tfjsSelfTest.ts';

/**
 * Both sides compute in float32. wasm vs PyTorch float64 differs by ≤ 1.6e-5 of a layer's largest gradient
 * (docs/decisions/finetune-engine.md), and a GPU's other summation order and fused multiply-adds give deviations of
 * that order; 1e-3 of each tensor's largest value leaves ~60× room for them, while a wrong kernel (a dropped gradient
 * window, a padding or layout error) moves values by a sizeable fraction of their scale.
 */
export const SELF_TEST_TOLERANCE = 1e-3;

/** 'auto': WebGPU after the self-test on a hardware adapter; 'webgpu': also on a software one; 'wasm': never. */
export type BackendPreference = 'auto' | 'wasm' | 'webgpu';

export interface AdapterSummary {
  /** A CPU implementation of WebGPU (SwiftShader, a fallback adapter): far slower than wasm. */
  software: boolean;
  description: string;
}

export interface BackendChoice {
  backend: string;
  /** Why WebGPU is or is not used: 'passed self-test (…)', 'no adapter', 'self-test failed: …', … */
  webgpu: string;
  selfTest?: SelfTestDeviation;
}

export interface ChoiceOptions {
  adapter: AdapterSummary | null;
  prefer?: BackendPreference;
  /** The backend to check and to fall back to (default 'wasm'), and the one to try (default 'webgpu'). */
  reference?: TfjsBackendName;
  candidate?: TfjsBackendName;
  tolerance?: number;
  /** Runs the self-test on the active backend (default: selfTestGen with asynchronous reads). */
  run?: () => Promise<SelfTestResult>;
}

const e = (x: number) => (Number.isFinite(x) ? x.toExponential(1) : String(x));
const describe = (d: SelfTestDeviation) => `max |Δ| ${e(d.max)} of the largest value; logits ${e(d.logits)}, loss ${e(d.loss)}, gradients ${e(d.grads)} (${d.worstGrad})`;

export async function chooseFinetuneBackend(o: ChoiceOptions): Promise<BackendChoice> {
  const reference = o.reference ?? 'wasm', candidate = o.candidate ?? 'webgpu', tol = o.tolerance ?? SELF_TEST_TOLERANCE;
  const run = o.run ?? (() => driveAsync(selfTestGen()));
  const backend = await initTfjsBackend(reference);
  if (o.prefer === 'wasm') return { backend, webgpu: `not tried (${reference} requested)` };
  if (!o.adapter) return { backend, webgpu: 'no adapter' };
  if (o.adapter.software && o.prefer !== 'webgpu') {
    return { backend, webgpu: `software adapter (${o.adapter.description}): not used, ${reference} is faster` };
  }
  let dev: SelfTestDeviation;
  try {
    const ref = await run();
    await initTfjsBackend(candidate);
    dev = selfTestDeviation(ref, await run());
  } catch (err) {
    return { backend: await initTfjsBackend(reference), webgpu: `self-test failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (dev.max <= tol) return { backend: candidate, webgpu: `passed self-test (${describe(dev)}; tolerance ${e(tol)})`, selfTest: dev };
  return { backend: await initTfjsBackend(reference), webgpu: `self-test failed: ${describe(dev)} > tolerance ${e(tol)}`, selfTest: dev };
}
