// ONNX bytes → a plain, runtime-free op list for the fine-tuning engine (issue 8 §1): initialisers split into
// trainable parameters, BatchNorm buffers and constants; Identity chains resolved; de-duplicated initialisers untied.
import onnxProto from 'onnx-proto';
import { TeError } from '../errors.ts';

const { onnx } = onnxProto;

/** The op subset the engine trains (issue 8 §1). Anything else is refused with the op and node named. */
export const SUPPORTED_OPS = new Set([
  'Conv', 'ConvTranspose', 'BatchNormalization', 'InstanceNormalization', 'Relu', 'LeakyRelu', 'Sigmoid', 'Softmax',
  'MaxPool', 'Resize', 'Concat', 'Add', 'Mul', 'Reshape', 'Constant', 'Shape', 'Identity',
]);

export interface OnnxTensor { name: string; dims: number[]; data: Float32Array | Float64Array; isFloat: boolean }
export type AttrValue = number | number[] | string | OnnxTensor;
export interface OnnxNode { op: string; name: string; inputs: string[]; outputs: string[]; attrs: Record<string, AttrValue> }

/** weight: trained; buffer: BatchNorm running statistics (updated, not trained); constant: anything else. */
export type ParamRole = 'weight' | 'buffer' | 'constant';
export interface OnnxParam { name: string; source: string; role: ParamRole; dims: number[]; data: Float32Array | Float64Array }

export interface ParsedGraph {
  inputs: { name: string; dims: (number | string)[] }[];
  outputs: string[];
  /** Topological order as in the file, Identity-of-initialiser and Constant nodes removed. */
  nodes: OnnxNode[];
  /** Every initialiser (and Constant output) by the name the nodes use. */
  params: Map<string, OnnxParam>;
  /** Parameter names in order of first use. */
  weights: string[];
}

function toNum(v: number | { toNumber(): number }): number {
  return typeof v === 'number' ? v : v.toNumber();
}

function readTensor(t: onnxProto.onnx.ITensorProto, nameOverride?: string): OnnxTensor {
  const dims = (t.dims ?? []).map(toNum);
  const count = dims.reduce((a, b) => a * b, 1);
  const dt = t.dataType ?? 1;
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  const name = nameOverride ?? t.name ?? '';
  if (dt === 1) {
    if (raw) return { name, dims, isFloat: true, data: new Float32Array(raw.slice().buffer, 0, count) };
    return { name, dims, isFloat: true, data: Float32Array.from(t.floatData ?? []) };
  }
  if (dt === 7 || dt === 6) {
    if (raw) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = dt === 7 ? Number(view.getBigInt64(8 * i, true)) : view.getInt32(4 * i, true);
      return { name, dims, isFloat: false, data: out };
    }
    const src = dt === 7 ? (t.int64Data ?? []).map(toNum) : (t.int32Data ?? []);
    return { name, dims, isFloat: false, data: Float64Array.from(src) };
  }
  if (dt === 11) {
    if (raw) return { name, dims, isFloat: true, data: new Float32Array(new Float64Array(raw.slice().buffer, 0, count)) };
    return { name, dims, isFloat: true, data: Float32Array.from(t.doubleData ?? []) };
  }
  throw new TeError('unsupported', `ONNX tensor ${name}: data type ${dt} is not supported (float, double, int32, int64 only)`, { tensor: name });
}

function readAttrs(n: onnxProto.onnx.INodeProto): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const a of n.attribute ?? []) {
    const key = a.name ?? '';
    if (a.type === 1) out[key] = a.f ?? 0;
    else if (a.type === 2) out[key] = toNum(a.i ?? 0);
    else if (a.type === 3) out[key] = String.fromCharCode(...(a.s ?? new Uint8Array()));
    else if (a.type === 4 && a.t) out[key] = readTensor(a.t);
    else if (a.type === 6) out[key] = (a.floats ?? []).slice();
    else if (a.type === 7) out[key] = (a.ints ?? []).map(toNum);
  }
  return out;
}

/** Which input slots of an op hold trainable weights / running statistics. */
function slotRole(op: string, slot: number): ParamRole {
  if (op === 'Conv' || op === 'ConvTranspose') return slot >= 1 ? 'weight' : 'constant';
  if (op === 'BatchNormalization') return slot === 1 || slot === 2 ? 'weight' : slot >= 3 ? 'buffer' : 'constant';
  if (op === 'InstanceNormalization') return slot >= 1 ? 'weight' : 'constant';
  if (op === 'Mul' || op === 'Add') return 'weight';
  return 'constant';
}

/** Exporter-generated names ("onnx::Mul_12", "/dec/Constant_output_0") are constants, never parameters. */
export function looksLikeParameter(name: string): boolean {
  return !name.startsWith('onnx::') && !name.startsWith('/') && !name.includes('Constant');
}

export function parseOnnx(bytes: Uint8Array): ParsedGraph {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new TeError('unsupported', `not an ONNX model: ${(e as Error).message}`);
  }
  const g = model.graph;
  if (!g) throw new TeError('unsupported', 'ONNX model has no graph');
  const inits = new Map<string, OnnxTensor>();
  for (const t of g.initializer ?? []) inits.set(t.name ?? '', readTensor(t));
  const alias = new Map<string, string>();
  const resolve = (n: string): string => (alias.has(n) ? resolve(alias.get(n) as string) : n);
  const nodes: OnnxNode[] = [];
  for (const [i, n] of (g.node ?? []).entries()) {
    const op = n.opType ?? '';
    const name = n.name || `${op}_${i}`;
    if (!SUPPORTED_OPS.has(op)) throw new TeError('unsupported', `ONNX op ${op} (node "${name}") is not supported by the fine-tuning engine`, { op, node: name });
    const attrs = readAttrs(n);
    const inputs = (n.input ?? []).slice(), outputs = (n.output ?? []).slice();
    if (op === 'Constant') {
      const v = attrs.value;
      if (typeof v !== 'object' || Array.isArray(v)) throw new TeError('unsupported', `Constant node "${name}" has no tensor value`, { node: name });
      inits.set(outputs[0], { ...v, name: outputs[0] });
      continue;
    }
    if (op === 'Identity' && inits.has(resolve(inputs[0]))) { alias.set(outputs[0], inputs[0]); continue; }
    nodes.push({ op, name, inputs, outputs, attrs });
  }
  return untie(g, nodes, inits, resolve);
}

/** "/dec.1/gn/Mul" → "dec.1.gn" (the module path of an exporter node). */
export function scopeOf(nodeName: string): string {
  const parts = nodeName.split('/').filter((q) => q !== '');
  return parts.slice(0, -1).join('.') || parts.join('.');
}

/**
 * An anonymous per-channel float initialiser ("onnx::Mul_52", shape [C, 1, 1]) of a Mul/Add: PyTorch's export of
 * GroupNorm's affine weight/bias. It is trained, named after the node's module ("gn.Mul_52").
 */
function affineOfExport(node: OnnxNode, t: OnnxTensor, src: string): boolean {
  return (node.op === 'Mul' || node.op === 'Add') && t.isFloat && src.startsWith('onnx::') && t.data.length > 1;
}

/** One parameter per (node, slot): an initialiser reached through an Identity takes the Identity's name. */
function untie(g: onnxProto.onnx.IGraphProto, nodes: OnnxNode[], inits: Map<string, OnnxTensor>, resolve: (n: string) => string): ParsedGraph {
  const params = new Map<string, OnnxParam>();
  const weights: string[] = [];
  const uses = new Map<string, number>();
  for (const node of nodes) {
    node.inputs = node.inputs.map((inp, slot) => {
      if (inp === '') return inp;
      const src = resolve(inp);
      const t = inits.get(src);
      if (!t) return inp;
      let role = slotRole(node.op, slot);
      let name = inp;
      if (affineOfExport(node, t, src)) name = `${scopeOf(node.name)}.${src.replace(/^onnx::/, '')}`;
      else if (!t.isFloat || !looksLikeParameter(inp) || !looksLikeParameter(src)) role = role === 'buffer' ? 'buffer' : 'constant';
      const prev = params.get(name);
      if (prev && role !== 'constant') {
        const k = (uses.get(name) ?? 1) + 1;
        uses.set(name, k);
        name = `${inp}#${k}`;
      } else if (prev) return name;
      params.set(name, { name, source: src, role, dims: t.dims.slice(), data: t.data.slice() });
      if (role === 'weight') weights.push(name);
      return name;
    });
  }
  const dimsOf = (vi: onnxProto.onnx.IValueInfoProto) => (vi.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : toNum(d.dimValue ?? 0)));
  return {
    inputs: (g.input ?? []).filter((vi) => !inits.has(vi.name ?? '')).map((vi) => ({ name: vi.name ?? '', dims: dimsOf(vi) })),
    outputs: (g.output ?? []).map((o) => resolve(o.name ?? '')),
    nodes,
    params,
    weights,
  };
}
