// Loads the fine-tuning fixture (test/fixtures/finetune, made once by make_fixture.py with PyTorch 1.13).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURE_DIR = join(import.meta.dirname, '..', 'fixtures', 'finetune');

export function f32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export interface StepRef { trainLoss: number; valLossLookahead: number; dots: number[]; newLrs: number[]; newParams: Record<string, string> }
export interface TinyRef {
  shape: [number, number, number, number]; classes: number; x: string; y: number[]; xVal: string; yVal: number[]; risk: string;
  paramNames: string[]; logitsEval: string; buffersAfterTrainForward: Record<string, string>;
  ce: { loss: number; grads: Record<string, string> }; ceDice: { loss: number; grads: Record<string, string> };
  riskCe: { loss: number; grads: Record<string, string> };
  metalr: { groups: string[]; lrs: number[]; eta: number; paper: StepRef; official: StepRef };
  adam2: { lr: number; steps: number; newParams: Record<string, string> };
}

export const tinyOnnx = (): Uint8Array => new Uint8Array(readFileSync(join(FIXTURE_DIR, 'tiny_unet.onnx')));
export const tinyRef = (): TinyRef => JSON.parse(readFileSync(join(FIXTURE_DIR, 'tiny_unet_ref.json'), 'utf8')) as TinyRef;

/**
 * The tiny fixture's slices as one n×h×w data set: its train cases (x, y) then its val cases (xVal, yVal), so
 * cases 0..n−1 are train and n..2n−1 val (n = shape[0]). Fresh arrays on every call; pass `ref` to reuse a parsed one.
 */
export function tinySlices(ref: TinyRef = tinyRef()): { images: Float32Array; labels: Int32Array; n: number; h: number; w: number } {
  const [n, , h, w] = ref.shape;
  const images = new Float32Array(2 * n * h * w);
  images.set(f32(ref.x)); images.set(f32(ref.xVal), n * h * w);
  return { images, labels: Int32Array.from([...ref.y, ...ref.yVal]), n: 2 * n, h, w };
}

/** max |a − b| / max |b| (a layer's deviation relative to its largest reference value). */
export function relToMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 0;
  for (let i = 0; i < b.length; i++) { d = Math.max(d, Math.abs(a[i] - b[i])); m = Math.max(m, Math.abs(b[i])); }
  return m > 0 ? d / m : d;
}

export function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Folder of the tfjs-backend-wasm binaries for Node (setWasmPaths takes a path ending in '/'). */
export const WASM_DIR = join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/';
