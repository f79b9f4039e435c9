// The fine-tuning engine's built-in parity test net (issue 8: WebGPU only after a parity self-test): a two-level
// U-Net with the demo bank's op set (Conv, BatchNormalization, Relu, MaxPool, ConvTranspose k=s=2, Concat, 1×1 head),
// seeded weights, as ONNX bytes built here with onnx-proto (no fixture file to bundle), plus a seeded 2-case batch.
import onnxProto from 'onnx-proto';
import { createRng } from '../sampling/rng.ts';

const { onnx } = onnxProto;

export interface SelfTestNet {
  onnx: Uint8Array;
  logitsName: string;
  classes: number;
  /** n × h × w images (case-major) and labels 0..classes−1. */
  images: Float32Array;
  labels: Int32Array;
  n: number;
  h: number;
  w: number;
}

const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });

/** 16×16, 2 cases, 3 classes: ~800 weights, small enough for a software WebGPU adapter. */
export function selfTestNet(seed = 20261122): SelfTestNet {
  const rng = createRng(seed);
  const inits: onnxProto.onnx.ITensorProto[] = [];
  const init = (name: string, dims: number[], f: () => number) => {
    const k = dims.reduce((a, b) => a * b, 1);
    inits.push({ name, dims, dataType: 1, floatData: Array.from({ length: k }, f) });
    return name;
  };
  const uniform = (fanIn: number) => () => (2 * rng.next() - 1) / Math.sqrt(fanIn);
  const nodes: onnxProto.onnx.INodeProto[] = [];
  // Convs in front of a BatchNorm get no bias: its true gradient is 0, so its computed one is rounding noise that no
  // relative comparison can judge.
  const conv = (name: string, x: string, cin: number, cout: number, k: number, bias: boolean): string => {
    const w = init(`${name}.weight`, [cout, cin, k, k], uniform(cin * k * k));
    const input = bias ? [x, w, init(`${name}.bias`, [cout], uniform(cin * k * k))] : [x, w];
    const p = (k - 1) / 2;
    nodes.push({ opType: 'Conv', name: `/${name}/Conv`, input, output: [`${name}_out`],
      attribute: [ints('kernel_shape', [k, k]), ints('pads', [p, p, p, p]), ints('strides', [1, 1])] });
    return `${name}_out`;
  };
  const bnRelu = (name: string, x: string, c: number): string => {
    const ins = [x, init(`${name}.weight`, [c], () => 0.5 + rng.next()), init(`${name}.bias`, [c], () => 0.2 * (rng.next() - 0.5)),
      init(`${name}.running_mean`, [c], () => 0.2 * (rng.next() - 0.5)), init(`${name}.running_var`, [c], () => 0.5 + rng.next())];
    nodes.push({ opType: 'BatchNormalization', name: `/${name}/BatchNormalization`, input: ins, output: [`${name}_bn`],
      attribute: [{ name: 'epsilon', type: 1, f: 1e-5 }, { name: 'momentum', type: 1, f: 0.9 }] });
    nodes.push({ opType: 'Relu', name: `/${name}/Relu`, input: [`${name}_bn`], output: [`${name}_out`] });
    return `${name}_out`;
  };
  const e = bnRelu('enc.1', conv('enc.0', 'image', 1, 4, 3, false), 4);
  nodes.push({ opType: 'MaxPool', name: '/pool/MaxPool', input: [e], output: ['pooled'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] });
  const b = bnRelu('bott.1', conv('bott.0', 'pooled', 4, 8, 3, false), 8);
  const upW = init('up.0.weight', [8, 4, 2, 2], uniform(8 * 4)), upB = init('up.0.bias', [4], uniform(8 * 4));
  nodes.push({ opType: 'ConvTranspose', name: '/up.0/ConvTranspose', input: [b, upW, upB], output: ['up'], attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] });
  nodes.push({ opType: 'Concat', name: '/Concat', input: ['up', e], output: ['cat'], attribute: [{ name: 'axis', type: 2, i: 1 }] });
  const d = bnRelu('dec.1', conv('dec.0', 'cat', 8, 4, 3, false), 4);
  const classes = 3;
  const logits = conv('head', d, 4, classes, 1, true);
  nodes.push({ opType: 'Identity', name: '/Identity', input: [logits], output: ['logits'] });

  const io = (name: string, c: number) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: c }, { dimParam: 'h' }, { dimParam: 'w' }] } } } });
  const bytes = onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ version: 17 }], producerName: 'transferlens self-test',
    graph: { name: 'selftest_unet', node: nodes, initializer: inits, input: [io('image', 1)], output: [io('logits', classes)] },
  })).finish();

  // Two blobs of different brightness on noise; label 1 = bright blob, 2 = dim blob, 0 = background.
  const n = 2, h = 16, w = 16, images = new Float32Array(n * h * w), labels = new Int32Array(n * h * w);
  for (let c = 0; c < n; c++) {
    const [y1, x1, y2, x2] = [4 + c, 5, 11, 10 - c];
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = (c * h + y) * w + x, r1 = Math.hypot(y - y1, x - x1), r2 = Math.hypot(y - y2, x - x2);
      labels[i] = r1 < 3 ? 1 : r2 < 2.5 ? 2 : 0;
      images[i] = (labels[i] === 1 ? 1.5 : labels[i] === 2 ? 0.7 : -0.5) + 0.3 * rng.normal();
    }
  }
  return { onnx: bytes, logitsName: 'logits', classes, images, labels, n, h, w };
}
