// Which trained weights can move the logits (issue 8 robustness): a walk back from the logits output through the
// parsed graph's differentiable inputs. Weights off that path (a deep-supervision / auxiliary head, a branch whose
// output nothing reads) get no gradient; the trainer keeps them frozen and reports them instead of crashing.
import type { OnnxNode, ParsedGraph } from './onnxGraph.ts';

/** Input slots through which no gradient flows: shapes, sizes, scales and ROIs are read as numbers. */
function differentiableSlots(node: OnnxNode): number[] {
  const all = node.inputs.map((_, i) => i);
  switch (node.op) {
    case 'Shape': return [];
    case 'Reshape': case 'Resize': return [0];
    default: return all;
  }
}

/**
 * The names of the graph's weights (role 'weight') on a differentiable path to `output`, in `g.weights` order.
 * `output` is a node output name (the manifest's logits_name); an unknown name reaches nothing.
 */
export function weightsReaching(g: ParsedGraph, output: string): string[] {
  const producer = new Map<string, OnnxNode>();
  for (const n of g.nodes) for (const o of n.outputs) producer.set(o, n);
  const seen = new Set<string>([output]);
  const reached = new Set<string>();
  const todo = [output];
  while (todo.length > 0) {
    const node = producer.get(todo.pop()!);
    if (!node) continue;
    for (const slot of differentiableSlots(node)) {
      const name = node.inputs[slot];
      if (!name || seen.has(name)) continue;
      seen.add(name);
      if (g.params.get(name)?.role === 'weight') reached.add(name);
      else todo.push(name);
    }
  }
  return g.weights.filter((w) => reached.has(w));
}

/** Trained weights that cannot change `output` (no gradient reaches them). */
export function weightsOffPath(g: ParsedGraph, output: string): string[] {
  const on = new Set(weightsReaching(g, output));
  return g.weights.filter((w) => !on.has(w));
}
