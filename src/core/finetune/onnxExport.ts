// Fine-tuned weights back into the ORIGINAL ONNX graph (issue 8, export): every parameter the engine trained or
// updated (weights, BatchNorm running statistics, GroupNorm's anonymous affine) is written over the initialiser it
// came from; nodes and every other initialiser stay as they were. Untied copies of a shared initialiser that
// diverged get their own initialisers and their consuming node inputs are rewired; a replaced head (new class count)
// also fixes the shapes that name the class count downstream of it. Provenance goes into metadata_props.
import onnxProto from 'onnx-proto';
import { TeError } from '../errors.ts';
import { parseOnnx, type OnnxParam } from './onnxGraph.ts';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;
type NodeProto = onnxProto.onnx.INodeProto;

/** One trained tensor in ONNX layout; `dims` only where they changed (a replaced head), else the original's. */
export interface TrainedTensor { data: Float32Array; dims?: number[] }

export interface OnnxExportOptions {
  /** The logits output (manifest logits_name): needed when the head's class count changed. */
  logitsName?: string;
  /** Caller's provenance (scheme, seed, iterations…), stored as JSON under metadata_props `transferlens.finetune`. */
  provenance?: Record<string, unknown>;
}

export interface OnnxExportResult {
  bytes: Uint8Array;
  /** Initialisers whose values (or dims) were overwritten. */
  written: string[];
  /** New initialisers for untied copies that diverged: parameter name → initialiser name. */
  added: Record<string, string>;
  /** Class count of the logits' head conv after export (when logitsName was given). */
  numClasses?: number;
}

export const FINETUNE_METADATA_KEY = 'transferlens.finetune';

const num = (v: number | { toNumber(): number } | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());
const sameDims = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(Math.fround(a[i]), Math.fround(b[i]))) return false;
  return true;
}

/** Little-endian raw_data of `data` as float32 (data type 1) or float64 (11), the source tensor's own type. */
function rawOf(data: Float32Array, dataType: number): Uint8Array {
  const size = dataType === 11 ? 8 : 4;
  const out = new Uint8Array(data.length * size), view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (size === 8) view.setFloat64(8 * i, data[i], true);
    else view.setFloat32(4 * i, data[i], true);
  }
  return out;
}

function writeTensor(t: TensorProto, value: { data: Float32Array; dims: number[] }): void {
  t.dims = value.dims.slice();
  t.rawData = rawOf(value.data, t.dataType ?? 1);
  t.floatData = [];
  t.doubleData = [];
}

interface Wanted { param: OnnxParam; data: Float32Array; dims: number[]; changed: boolean }

/** Checks the state against the parsed graph: every name known, sizes right, constants untouched. */
function checkState(params: Map<string, OnnxParam>, state: Map<string, TrainedTensor | Float32Array>): Map<string, Wanted> {
  const out = new Map<string, Wanted>();
  for (const [name, v] of state) {
    const param = params.get(name);
    if (!param) throw new TeError('invalid-input', `ONNX export: "${name}" is not a parameter of this model`, { tensor: name });
    const data = v instanceof Float32Array ? v : v.data;
    const dims = (v instanceof Float32Array ? undefined : v.dims) ?? param.dims;
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
      throw new TeError('shape-mismatch', `ONNX export: "${name}" has ${data.length} values for dims [${dims.join(', ')}] (${count})`, { tensor: name });
    }
    const changed = !sameDims(dims, param.dims) || !sameValues(data, param.data);
    if (param.role === 'constant') {
      if (changed) throw new TeError('invalid-input', `ONNX export: "${name}" is a constant of the graph; the engine never changes it`, { tensor: name });
      continue;
    }
    out.set(name, { param, data, dims, changed });
  }
  return out;
}

/** The node producing `name`, following Identity nodes back. */
function producer(nodes: NodeProto[], name: string): NodeProto | undefined {
  for (;;) {
    const n = nodes.find((x) => (x.output ?? []).includes(name));
    if (!n || n.opType !== 'Identity') return n;
    name = (n.input ?? [])[0];
  }
}

/** Tensor names computed from `start`'s outputs (the head and everything downstream of it). */
function downstreamOf(nodes: NodeProto[], start: NodeProto): Set<string> {
  const seen = new Set(start.output ?? []);
  for (const n of nodes) if ((n.input ?? []).some((i) => seen.has(i))) for (const o of n.output ?? []) seen.add(o);
  return seen;
}

export function exportFinetunedOnnx(original: Uint8Array, state: Map<string, TrainedTensor | Float32Array>, opts: OnnxExportOptions = {}): OnnxExportResult {
  const parsed = parseOnnx(original);
  const model = onnx.ModelProto.decode(original);
  const g = model.graph!;
  const nodes = g.node ?? [];
  const wanted = checkState(parsed.params, state);

  // The tensors the parameters came from: initialisers, or the value of a Constant node.
  const sources = new Map<string, TensorProto>();
  for (const t of g.initializer ?? []) sources.set(t.name ?? '', t);
  for (const n of nodes) {
    const v = n.opType === 'Constant' ? (n.attribute ?? []).find((a) => a.name === 'value')?.t : undefined;
    if (v) sources.set((n.output ?? [])[0], v);
  }
  // Parsed node → file node by its first output (unique in a valid graph); (node, slot) of every trained parameter.
  const byOutput = new Map(nodes.map((n) => [(n.output ?? [])[0], n]));
  const where = new Map<string, { node: NodeProto; slot: number }>();
  for (const pn of parsed.nodes) {
    const node = byOutput.get(pn.outputs[0]);
    pn.inputs.forEach((inp, slot) => {
      const p = parsed.params.get(inp);
      if (node && p && p.role !== 'constant') where.set(inp, { node, slot });
    });
  }

  // A new class count is only possible for the logits' head conv (weight axis 0 and its bias).
  let numClasses: number | undefined, headChange: { node: NodeProto; from: number; to: number } | undefined;
  if (opts.logitsName) {
    const head = producer(nodes, opts.logitsName);
    if (!head || head.opType !== 'Conv') throw new TeError('unsupported', `ONNX export: the logits "${opts.logitsName}" do not come from a Conv head`, { tensor: opts.logitsName });
    const pn = parsed.nodes.find((n) => n.outputs[0] === (head.output ?? [])[0])!;
    const w = parsed.params.get(pn.inputs[1]), b = pn.inputs[2] ? parsed.params.get(pn.inputs[2]) : undefined;
    const nw = w && wanted.get(w.name);
    numClasses = nw ? nw.dims[0] : w?.dims[0];
    if (w && nw && !sameDims(nw.dims, w.dims)) {
      if (nw.dims.length !== w.dims.length || !sameDims(nw.dims.slice(1), w.dims.slice(1))) {
        throw new TeError('shape-mismatch', `ONNX export: head weight "${w.name}" dims [${nw.dims.join(', ')}] differ from [${w.dims.join(', ')}] beyond the class axis`, { tensor: w.name });
      }
      const nb = b && wanted.get(b.name);
      if (b && !(nb && sameDims(nb.dims, [nw.dims[0]]))) {
        throw new TeError('shape-mismatch', `ONNX export: head bias "${b.name}" must have ${nw.dims[0]} values with the head weight`, { tensor: b.name });
      }
      headChange = { node: head, from: w.dims[0], to: nw.dims[0] };
    }
  }
  for (const wv of wanted.values()) {
    const onHead = headChange && where.get(wv.param.name)?.node === headChange.node;
    if (!sameDims(wv.dims, wv.param.dims) && !onHead) {
      throw new TeError('shape-mismatch', `ONNX export: "${wv.param.name}" dims [${wv.dims.join(', ')}] differ from the model's [${wv.param.dims.join(', ')}] (only the logits head may change its class count; pass logitsName)`, { tensor: wv.param.name });
    }
  }

  // Group the trained copies by source tensor (first use first), then write back or untie.
  const bySource = new Map<string, OnnxParam[]>();
  for (const p of parsed.params.values()) if (p.role !== 'constant') (bySource.get(p.source) ?? bySource.set(p.source, []).get(p.source)!).push(p);
  const constantUse = new Set([...parsed.params.values()].filter((p) => p.role === 'constant').map((p) => p.source));
  const taken = new Set([...sources.keys(), ...nodes.flatMap((n) => n.output ?? []), ...(g.input ?? []).map((i) => i.name ?? '')]);
  const written: string[] = [], added: Record<string, string> = {};
  const newInits: TensorProto[] = [];
  for (const [src, copies] of bySource) {
    const t = sources.get(src);
    const valueOf = (p: OnnxParam) => wanted.get(p.name) ?? { data: Float32Array.from(p.data), dims: p.dims, changed: false };
    if (!copies.some((p) => valueOf(p).changed)) continue;
    if (!t) throw new TeError('unsupported', `ONNX export: the source of "${copies[0].name}" (${src}) is neither an initialiser nor a Constant`, { tensor: copies[0].name });
    if (t.dataLocation === 1) throw new TeError('unsupported', `ONNX export: "${src}" is stored as external data; export supports embedded initialisers only`, { tensor: src });
    if (t.dataType !== 1 && t.dataType !== 11) throw new TeError('unsupported', `ONNX export: "${src}" has data type ${t.dataType} (float or double only)`, { tensor: src });
    // The first copy is written in place unless a constant use of the same tensor must keep the original.
    let base: { data: Float32Array; dims: number[] } = { data: Float32Array.from(copies[0].data), dims: copies[0].dims };
    let rest = copies;
    if (!constantUse.has(src)) {
      const first = valueOf(copies[0]);
      if (first.changed) { writeTensor(t, first); written.push(src); }
      base = first;
      rest = copies.slice(1);
    }
    for (const p of rest) {
      const v = valueOf(p);
      if (sameDims(v.dims, base.dims) && sameValues(v.data, base.data)) continue;
      const loc = where.get(p.name);
      if (!loc) throw new TeError('unsupported', `ONNX export: no node input found for "${p.name}"`, { tensor: p.name });
      let name = p.name;
      for (let k = 2; taken.has(name); k++) name = `${p.name}_${k}`;
      taken.add(name);
      const nt = onnx.TensorProto.create({ name, dataType: t.dataType });
      writeTensor(nt, v);
      newInits.push(nt);
      loc.node.input![loc.slot] = name;
      added[p.name] = name;
    }
  }
  g.initializer = [...(g.initializer ?? []), ...newInits];
  // Old IR versions (< 4) list initialisers among the graph inputs: keep those entries' shapes right.
  const inputs = new Map((g.input ?? []).map((i) => [i.name ?? '', i]));
  const dimsOf = (t: TensorProto) => ({ dim: (t.dims ?? []).map((d) => ({ dimValue: num(d) })) });
  for (const src of written) {
    const shape = inputs.get(src)?.type?.tensorType?.shape;
    if (shape) Object.assign(shape, dimsOf(sources.get(src)!));
  }
  for (const [param, name] of Object.entries(added)) {
    const vi = inputs.get(parsed.params.get(param)!.source);
    const nt = newInits.find((t) => t.name === name)!;
    if (vi) g.input!.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: vi.type?.tensorType?.elemType, shape: dimsOf(nt) } } }));
  }

  if (headChange) fixClassShapes(g, nodes, headChange);

  const meta = (model.metadataProps ?? []).filter((e) => e.key !== FINETUNE_METADATA_KEY);
  meta.push({ key: FINETUNE_METADATA_KEY, value: JSON.stringify({ tool: 'transferlens', ...opts.provenance, written: written.length, untied: Object.keys(added).length }) });
  model.metadataProps = meta;

  const enc = onnx.ModelProto.encode(model).finish();
  const bytes = new Uint8Array(enc.length);
  bytes.set(enc);
  return { bytes, written, added, numClasses };
}

/**
 * After a head replacement: graph outputs computed from the head whose channel axis (1) named the old class count
 * get the new one; value_info entries downstream of the head are dropped (the runtime infers them again).
 */
function fixClassShapes(g: onnxProto.onnx.IGraphProto, nodes: NodeProto[], h: { node: NodeProto; from: number; to: number }): void {
  const down = downstreamOf(nodes, h.node);
  for (const o of g.output ?? []) {
    const dims = o.type?.tensorType?.shape?.dim;
    if (down.has(o.name ?? '') && dims && dims.length >= 2 && !dims[1].dimParam && num(dims[1].dimValue) === h.from) dims[1] = { dimValue: h.to };
  }
  g.valueInfo = (g.valueInfo ?? []).filter((vi) => !down.has(vi.name ?? ''));
}
