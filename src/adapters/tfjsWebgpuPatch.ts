// Two fixes for tfjs-backend-webgpu 4.22 (issue 8, WebGPU backend); loaded only with that package (browser), never
// in Node.
// 1. Its Cast kernel turns int32/bool into float32 by relabelling the tensor and keeping the int32 buffer, so programs
//    that read their input buffer directly (Transpose, used by every sum over a non-last axis) see i32 where they
//    expect f32. Chromium's WGSL compiler rejects that shader ("type mismatch … setOutputAtIndex, expected 'f32', got
//    'i32'"), the whole command batch is dropped and results come back wrong: the soft Dice of a cast one-hot read 0
//    (caught by the parity self-test). Here int32/bool → float32 runs a real conversion program.
// 2. Its synchronous read of a GPU buffer goes through WebGPU canvases and a 2-D canvas; on SwiftShader it returned
//    zeros (the fine-tuned weights of the ONNX export, seen in e2e/lab-webgpu.spec.ts). Here a synchronous read is
//    served only from values already on the CPU (after an async data()) and otherwise throws, never returns garbage.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend, webgpu_util as WebgpuUtil } from '@tensorflow/tfjs-backend-webgpu';
import { TeError } from '../core/errors.ts';

type Util = typeof WebgpuUtil;
let patched = false;
let readPatched = false;

class CastToFloatProgram {
  variableNames = ['A'];
  size = true;
  workgroupSize: [number, number, number] = [64, 1, 1];
  shaderKey = 'transferlens_cast_to_f32';
  outputShape: number[];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  constructor(shape: number[], util: Util) {
    this.outputShape = shape;
    this.dispatchLayout = util.flatDispatchLayout(shape);
    this.dispatch = util.computeDispatch(this.dispatchLayout, shape, this.workgroupSize);
  }
  // The generated getter converts the input buffer's element type (i32) to f32.
  getUserCode(): string {
    return `fn main(index : i32) {
      if (index < uniforms.size) { setOutputAtIndex(index, getAByOutputIndex(index)); }
    }`;
  }
}

/** Replaces the webgpu Cast kernel's int32/bool → float32 path (once). */
function patchCast(util: Util): void {
  if (patched) return;
  const orig = tf.getKernel('Cast', 'webgpu');
  if (!orig) return;
  tf.unregisterKernel('Cast', 'webgpu');
  tf.registerKernel({
    ...orig,
    kernelFunc: (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      if ((args.attrs as { dtype?: string }).dtype === 'float32' && (x.dtype === 'int32' || x.dtype === 'bool')) {
        return (args.backend as WebGPUBackend).runWebGPUProgram(new CastToFloatProgram(x.shape, util), [x], 'float32');
      }
      return orig.kernelFunc(args);
    },
  });
  patched = true;
}

/** Synchronous reads only from CPU-side values (once). */
function patchReadSync(Backend: typeof WebGPUBackend): void {
  if (readPatched) return;
  const orig = Backend.prototype.readSync;
  Backend.prototype.readSync = function readSync(this: WebGPUBackend, dataId: object) {
    const d = this.tensorMap.get(dataId);
    if (!d || d.values != null || d.dtype === 'string') return orig.call(this, dataId);
    throw new TeError('unsupported', 'tfjs WebGPU: a synchronous read of a tensor still on the GPU (its canvas read-back returned zeros on SwiftShader); read it with data() first');
  };
  readPatched = true;
}

export function patchTfjsWebgpu(mod: { webgpu_util: Util; WebGPUBackend: typeof WebGPUBackend }): void {
  patchCast(mod.webgpu_util);
  patchReadSync(mod.WebGPUBackend);
}
