// The smallest segmentation ONNX (onnx-proto, no torch): logits = one 1×1 conv "head" of a 1-channel image, so its
// softmax is known by hand: p_k ∝ exp(weight[k]·x + bias[k]).
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export function conv1x1Onnx(weight: number[], bias: number[]): Uint8Array {
  const c = weight.length;
  const io = (name: string, ch: number) => ({
    name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: ch }, { dimParam: 'h' }, { dimParam: 'w' }] } } },
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ version: 17 }], producerName: 'transferlens test',
    graph: {
      name: 'conv1x1',
      node: [{ opType: 'Conv', name: '/head/Conv', input: ['image', 'head.weight', 'head.bias'], output: ['logits'], attribute: [{ name: 'kernel_shape', type: 7, ints: [1, 1] }] }],
      initializer: [
        { name: 'head.weight', dims: [c, 1, 1, 1], dataType: 1, floatData: weight },
        { name: 'head.bias', dims: [c], dataType: 1, floatData: bias },
      ],
      input: [io('image', 1)],
      output: [io('logits', c)],
    },
  })).finish();
}

/** The softmax of conv1x1Onnx(weight, bias) on `images`, float64, in the PixelProbs layout (pixel-major, class last). */
export function conv1x1Softmax(weight: ArrayLike<number>, bias: ArrayLike<number>, images: ArrayLike<number>): Float64Array {
  const c = weight.length, out = new Float64Array(images.length * c);
  for (let p = 0; p < images.length; p++) {
    const z = Array.from({ length: c }, (_, k) => weight[k] * images[p] + bias[k]), m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, k) => { out[p * c + k] = v / s; });
  }
  return out;
}
