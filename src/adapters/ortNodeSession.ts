// Model sessions for the Node CLI through onnxruntime-node (CPU provider), implementing core's ModelSession.
import * as ort from 'onnxruntime-node';
import { TeError } from '../core/errors.ts';
import type { InputFile, ModelSession, Tensor } from '../core/ports.ts';
import { appendGraphOutputs } from '../core/model/appendOutputs.ts';

export async function createNodeSession(model: InputFile, opts: { extraOutputs?: string[] } = {}): Promise<ModelSession> {
  const bytes = opts.extraOutputs?.length ? appendGraphOutputs(model.bytes, opts.extraOutputs) : model.bytes;
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  } catch (err) {
    throw new TeError('unsupported', `${model.name}: onnxruntime cannot load this model (${firstLine(err)})`, { file: model.name });
  }
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    provider: 'cpu (onnxruntime-node)',
    async run(feeds: Record<string, Tensor>, outputNames?: string[]) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [k, t] of Object.entries(feeds)) ortFeeds[k] = new ort.Tensor('float32', t.data, t.dims);
      const result = outputNames ? await session.run(ortFeeds, outputNames) : await session.run(ortFeeds);
      const out: Record<string, Tensor> = {};
      for (const [k, t] of Object.entries(result)) out[k] = { dims: t.dims.map(Number), data: t.data as Float32Array };
      return out;
    },
    release: () => session.release(),
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300);
}
