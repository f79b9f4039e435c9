// A tiny 2-D segmentation ONNX built with onnx-proto (no torch needed): enc conv → ReLU → head conv → "logits",
// plus weights that never reach the logits: a deep-supervision head "aux" (a second graph output), a conv "dead"
// whose output nothing reads, and an initialiser "spare.weight" no node uses. All weights are seeded uniforms.
import onnxProto from 'onnx-proto';
import { createRng } from '../../src/core/sampling/rng.ts';

const { onnx } = onnxProto;

export const DEAD_BRANCH_WEIGHTS = { live: ['enc.weight', 'enc.bias', 'head.weight', 'head.bias'], dead: ['aux.weight', 'aux.bias', 'dead.weight', 'dead.bias'] };

export function deadBranchOnnx(opts: { classes?: number; seed?: number } = {}): Uint8Array {
  const classes = opts.classes ?? 2, rng = createRng(opts.seed ?? 1);
  const init = (name: string, dims: number[], scale: number) => {
    const n = dims.reduce((a, b) => a * b, 1);
    return { name, dims, dataType: 1, floatData: Array.from({ length: n }, () => (2 * rng.next() - 1) * scale) };
  };
  const conv = (name: string, x: string, w: string, b: string, y: string, pad: number) => ({
    opType: 'Conv', name, input: [x, w, b], output: [y],
    attribute: [{ name: 'pads', type: 7, ints: [pad, pad, pad, pad] }, { name: 'kernel_shape', type: 7, ints: [2 * pad + 1, 2 * pad + 1] }],
  });
  const io = (name: string, c: number) => ({
    name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }, { dimValue: c }, { dimParam: 'h' }, { dimParam: 'w' }] } } },
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ version: 17 }], producerName: 'transferlens test',
    graph: {
      name: 'dead_branch',
      node: [
        conv('/enc/Conv', 'image', 'enc.weight', 'enc.bias', 'e', 1),
        { opType: 'Relu', name: '/enc/Relu', input: ['e'], output: ['r'] },
        conv('/aux/Conv', 'r', 'aux.weight', 'aux.bias', 'aux_logits', 0),
        conv('/dead/Conv', 'r', 'dead.weight', 'dead.bias', 'unused', 0),
        conv('/head/Conv', 'r', 'head.weight', 'head.bias', 'logits', 0),
      ],
      initializer: [
        init('enc.weight', [4, 1, 3, 3], 0.6), init('enc.bias', [4], 0.1),
        init('aux.weight', [classes, 4, 1, 1], 0.5), init('aux.bias', [classes], 0.1),
        init('dead.weight', [3, 4, 1, 1], 0.5), init('dead.bias', [3], 0.1),
        init('head.weight', [classes, 4, 1, 1], 0.5), init('head.bias', [classes], 0.1),
        init('spare.weight', [5], 1),
      ],
      input: [io('image', 1)],
      output: [io('logits', classes), io('aux_logits', classes)],
    },
  })).finish();
}
