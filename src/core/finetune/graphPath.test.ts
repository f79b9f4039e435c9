// Weights on a differentiable path to the logits: a deep-supervision head, an unread branch and an unused
// initialiser are off the path; shape-only inputs (Shape, Reshape's shape, Resize's scales) carry no gradient.
import { describe, expect, it } from 'vitest';
import { weightsOffPath, weightsReaching } from './graphPath.ts';
import { parseOnnx, type OnnxParam, type ParsedGraph } from './onnxGraph.ts';
import { DEAD_BRANCH_WEIGHTS, deadBranchOnnx } from '../../../test/support/deadBranchOnnx.ts';

const param = (name: string, role: OnnxParam['role']): [string, OnnxParam] => [name, { name, source: name, role, dims: [1], data: new Float32Array(1) }];

describe('weights reaching the logits', () => {
  it('leaves a deep-supervision head, an unread conv and an unused initialiser off the path', () => {
    const g = parseOnnx(deadBranchOnnx());
    expect(g.weights).toEqual(['enc.weight', 'enc.bias', 'aux.weight', 'aux.bias', 'dead.weight', 'dead.bias', 'head.weight', 'head.bias']);
    expect(weightsReaching(g, 'logits')).toEqual(DEAD_BRANCH_WEIGHTS.live);
    expect(weightsOffPath(g, 'logits')).toEqual(DEAD_BRANCH_WEIGHTS.dead);
    // from the auxiliary output the roles swap for the heads; the shared encoder reaches both
    expect(weightsReaching(g, 'aux_logits')).toEqual(['enc.weight', 'enc.bias', 'aux.weight', 'aux.bias']);
    expect(weightsReaching(g, 'no such output')).toEqual([]);
  });

  it('follows no shape input: a weight read only through Shape, a Reshape target or Resize scales gets no gradient', () => {
    // a = Conv(x, wa); s = Conv(x, ws); y = Reshape(Mul(a, m), Shape(s)); z = Resize(y, '', Mul(k, sc)) → logits
    const nodes = [
      { op: 'Conv', name: 'a', inputs: ['x', 'wa'], outputs: ['a'], attrs: {} },
      { op: 'Conv', name: 's', inputs: ['x', 'ws'], outputs: ['s'], attrs: {} },
      { op: 'Mul', name: 'm', inputs: ['a', 'm.weight'], outputs: ['am'], attrs: {} },
      { op: 'Shape', name: 'sh', inputs: ['s'], outputs: ['shape'], attrs: {} },
      { op: 'Reshape', name: 'r', inputs: ['am', 'shape'], outputs: ['y'], attrs: {} },
      { op: 'Mul', name: 'k', inputs: ['k.weight', 'sc'], outputs: ['scales'], attrs: {} },
      { op: 'Resize', name: 'z', inputs: ['y', '', 'scales'], outputs: ['logits'], attrs: {} },
    ];
    const g: ParsedGraph = {
      inputs: [{ name: 'x', dims: [1, 1, 4, 4] }], outputs: ['logits'], nodes,
      params: new Map([param('wa', 'weight'), param('ws', 'weight'), param('m.weight', 'weight'), param('k.weight', 'weight'), param('sc', 'constant')]),
      weights: ['wa', 'ws', 'm.weight', 'k.weight'],
    };
    expect(weightsReaching(g, 'logits')).toEqual(['wa', 'm.weight']);
    expect(weightsOffPath(g, 'logits')).toEqual(['ws', 'k.weight']);
  });
});
