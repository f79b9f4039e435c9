// Compiles onnxruntime-web's wasm before the first study needs it (browser-stack §1.4: 2–5 s idle, far more on a
// busy machine): one session on a 63-byte model (y = Relu(x), opset 17, IR 8), created, run and released.
import { createOrtWebSession } from './ortWebSession.ts';

/** The model's bytes, made with python3-onnx (helper.make_graph of one Relu node, checker-clean). */
const RELU_MODEL = 'CAgSADozCgwKAXgSAXkiBFJlbHUSAXdaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgQKABAR';

/** Resolves with the seconds it took; WASM only (the one JSEP binary serves WebGPU too, without its slow init). */
export async function warmUpOrt(): Promise<number> {
  const t0 = performance.now();
  const bytes = Uint8Array.from(atob(RELU_MODEL), (c) => c.charCodeAt(0));
  const session = await createOrtWebSession({ name: 'warm-up.onnx', bytes }, { providers: 'wasm' });
  try {
    const out = await session.run({ x: { dims: [1], data: Float32Array.of(-1) } });
    if (out.y?.data[0] !== 0) throw new Error('onnxruntime-web warm-up model gave a wrong answer');
  } finally {
    await session.release();
  }
  return (performance.now() - t0) / 1000;
}
