// Makes a model without a sidecar usable (issue 4 §2): reads its graph, runs one probe input with every candidate
// intermediate tensor exposed as an extra output, and proposes the multi-scale decoder features (one per stride,
// the last tensor at that stride after the bottleneck) plus a derived manifest for the user to confirm.
import { TeError } from '../errors.ts';
import type { InputFile, Ports, Tensor } from '../ports.ts';
import type { FeatureOutput, ModelManifest } from '../types.ts';
import { readOnnxGraph, type GraphSummary } from './onnxGraph.ts';

/** Ops whose outputs are shape/bookkeeping, never feature maps. */
const SKIP = new Set(['Constant', 'Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Cast', 'ConstantOfShape', 'Range', 'Slice', 'Concat_shape', 'Reshape', 'Flatten']);

export interface Candidate { name: string; op: string; order: number; stride: number; channels: number }

export interface Inspection {
  candidates: Candidate[];
  proposed: ModelManifest;
  notes: string[];
}

export async function inspectModel(file: InputFile, ports: Pick<Ports, 'createSession'>): Promise<Inspection> {
  const g = readOnnxGraph(file.bytes, file.name);
  const image = pickImageInput(g, file.name);
  const rank = image.dims!.length;
  const dim = (rank - 2) as 2 | 3;
  const inCh = typeof image.dims![1] === 'number' ? (image.dims![1] as number) : 1;
  const produced = g.nodes.flatMap((n, order) => (SKIP.has(n.op) ? [] : n.outputs.map((name) => ({ name, op: n.op, order }))));
  const outputNames = new Set(g.outputs.map((o) => o.name));
  const extra = produced.map((p) => p.name).filter((n) => n && !outputNames.has(n));
  const session = await ports.createSession(file, { extraOutputs: extra });
  let out: Record<string, Tensor> | undefined;
  let size = 0;
  try {
    for (const s of dim === 2 ? [64, 128, 96] : [32, 64]) {
      try {
        out = await session.run({ [image.name]: { dims: [1, inCh, ...Array(dim).fill(s)], data: new Float32Array(inCh * s ** dim) } });
        size = s;
        break;
      } catch { /* try the next probe size */ }
    }
  } finally {
    await session.release();
  }
  if (!out) throw new TeError('unsupported', `${file.name}: the model did not run on a probe input of 1×${inCh}×${dim === 2 ? '64²/128²/96²' : '32³/64³'}`, { file: file.name });
  return propose(g, out, { file: file.name, image: image.name, dim, inCh, size }, produced);
}

function pickImageInput(g: GraphSummary, file: string) {
  const image = g.inputs.find((i) => i.dims && (i.dims.length === 4 || i.dims.length === 5));
  if (!image) {
    const why = g.inputs.length === 0 ? 'it has no input' : g.inputs.some((i) => !i.dims) ? 'its input has a dynamic rank (no shape)' : `its inputs are not images (${g.inputs.map((i) => `${i.name}: rank ${i.dims!.length}`).join(', ')})`;
    throw new TeError('unsupported', `${file}: no image input [N, C, (D,) H, W]: ${why}`, { file });
  }
  return image;
}

function propose(
  g: GraphSummary, out: Record<string, Tensor>, o: { file: string; image: string; dim: 2 | 3; inCh: number; size: number },
  produced: { name: string; op: string; order: number }[],
): Inspection {
  const notes: string[] = [];
  const strideOf = (t: Tensor): number | null => {
    if (t.dims.length !== o.dim + 2 || t.dims[0] !== 1) return null;
    const sp = t.dims.slice(2);
    const s = o.size / sp[0];
    return Number.isInteger(s) && sp.every((x) => o.size / x === s) ? s : null;
  };
  const candidates: Candidate[] = [];
  for (const p of produced) {
    const t = out[p.name];
    const stride = t ? strideOf(t) : null;
    if (t && stride) candidates.push({ name: p.name, op: p.op, order: p.order, stride, channels: t.dims[1] });
  }
  const logits = g.outputs.map((x) => ({ x, t: out[x.name] })).find(({ t }) => t && strideOf(t) === 1);
  if (!logits) throw new TeError('unsupported', `${o.file}: no graph output at the input's resolution; not a segmentation model (logits [N, K, …])`, { file: o.file });
  const logitsOrder = produced.find((p) => p.name === logits.x.name)?.order ?? Infinity;
  const maxStride = Math.max(...candidates.map((c) => c.stride));
  const bottleneck = Math.max(...candidates.filter((c) => c.stride === maxStride).map((c) => c.order));
  let decoder = candidates.filter((c) => c.order > bottleneck && c.order < logitsOrder && c.name !== logits.x.name);
  if (decoder.length === 0) {
    notes.push('no decoder after the coarsest tensor (not an encoder–decoder): proposing the last tensor at each stride before the logits');
    decoder = candidates.filter((c) => c.order < logitsOrder && c.name !== logits.x.name);
  }
  const features: FeatureOutput[] = [];
  for (const s of [...new Set(decoder.map((c) => c.stride))].sort((a, b) => a - b)) {
    const last = decoder.filter((c) => c.stride === s).reduce((a, b) => (b.order > a.order ? b : a));
    features.push({ name: last.name, stride: s, channels: last.channels });
  }
  if (features.length === 0) throw new TeError('unsupported', `${o.file}: found no decoder feature maps between the bottleneck and the logits`, { file: o.file });
  if (!features.some((f) => f.stride === 1)) notes.push('no stride-1 decoder tensor found: pooled baselines will use the finest stride available');
  notes.push('normalization and class names cannot be read from the graph: confirm them before scoring');
  const k = logits.t.dims[1];
  const id = o.file.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '');
  return {
    candidates,
    notes,
    proposed: {
      id, name: `${id} (derived manifest)`, file: o.file.replace(/^.*[\\/]/, ''), dim: o.dim, in_channels: o.inCh, num_classes: k,
      class_names: Array.from({ length: k }, (_, i) => (i === 0 ? 'background' : `class ${i}`)),
      normalization: 'percentile_0.5_99.5_to_0_1', input_multiple: maxStride, input_name: o.image, logits_name: logits.x.name,
      features, provenance: { derived_from_graph: true, probe_size: o.size, opset: g.opset },
    },
  };
}
