// Reads the structure of an ONNX model (inputs, outputs, nodes, initialisers) with onnx-proto, read-only, to
// inspect models that come without a sidecar manifest (issue 4 §2). Never re-encodes (browser-stack §1.6).
import pkg from 'onnx-proto';
import { TeError } from '../errors.ts';

const { onnx } = pkg as unknown as { onnx: { ModelProto: { decode(b: Uint8Array): OnnxModel } } };

interface Dim { dimValue?: unknown; dimParam?: string }
interface ValueInfo { name: string; type?: { tensorType?: { elemType?: number; shape?: { dim?: Dim[] } } } }
interface OnnxModel {
  irVersion?: unknown;
  opsetImport?: { domain?: string; version?: unknown }[];
  graph?: {
    input?: ValueInfo[]; output?: ValueInfo[];
    node?: { opType: string; name?: string; input: string[]; output: string[] }[];
    initializer?: { name: string; dataLocation?: number; dims?: unknown[] }[];
  };
}

export interface TensorInfo { name: string; elemType: number; dims: (number | string)[] | null }
export interface GraphNode { op: string; name: string; inputs: string[]; outputs: string[] }
export interface GraphSummary {
  irVersion: number;
  opset: number;
  inputs: TensorInfo[]; // graph inputs that are not initialisers
  outputs: TensorInfo[];
  nodes: GraphNode[];
  initializers: Set<string>;
}

const num = (v: unknown): number => Number(typeof v === 'object' && v !== null && 'low' in v ? (v as { low: number }).low : v);

export function readOnnxGraph(bytes: Uint8Array, fileName: string): GraphSummary {
  let m: OnnxModel;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (err) {
    throw new TeError('invalid-input', `${fileName}: not a readable ONNX model (${(err as Error).message})`, { file: fileName });
  }
  const g = m.graph;
  if (!g || !g.node?.length) throw new TeError('invalid-input', `${fileName}: the ONNX file holds no graph`, { file: fileName });
  const external = (g.initializer ?? []).filter((t) => t.dataLocation === 1);
  if (external.length > 0) {
    throw new TeError('unsupported', `${fileName}: ${external.length} weight tensor(s) (e.g. "${external[0].name}") are stored in external data files; TransferLens needs one self-contained .onnx file`, { file: fileName });
  }
  const initializers = new Set((g.initializer ?? []).map((t) => t.name));
  const info = (v: ValueInfo): TensorInfo => {
    const dim = v.type?.tensorType?.shape?.dim;
    return { name: v.name, elemType: v.type?.tensorType?.elemType ?? 0, dims: dim ? dim.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : '?')) : null };
  };
  return {
    irVersion: num(m.irVersion ?? 0),
    opset: Math.max(0, ...(m.opsetImport ?? []).filter((o) => !o.domain).map((o) => num(o.version))),
    inputs: (g.input ?? []).filter((v) => !initializers.has(v.name)).map(info),
    outputs: (g.output ?? []).map(info),
    nodes: g.node.map((n, i) => ({ op: n.opType, name: n.name || `node${i}`, inputs: n.input, outputs: n.output })),
    initializers,
  };
}
