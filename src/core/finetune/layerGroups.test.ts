import { describe, expect, it } from 'vitest';
import { defaultGroupOf, layerGroups, metalrInitialLrs, trainableGroups } from './layerGroups.ts';
import { batchSampler, heldOutCases } from './batches.ts';
import { TeError } from '../errors.ts';

describe('layer groups', () => {
  it('groups PyTorch parameter names by block prefix, untied copies with their source', () => {
    expect(defaultGroupOf('enc.0.net.0.weight')).toBe('enc.0');
    expect(defaultGroupOf('bott.net.4.running_mean')).toBe('bott');
    expect(defaultGroupOf('up.3.weight')).toBe('up.3');
    expect(defaultGroupOf('head.bias')).toBe('head');
    expect(defaultGroupOf('dec.1.net.3.bias#2')).toBe('dec.1');
    expect(defaultGroupOf('weight')).toBe('weight');
  });
  it('orders groups by first use and honours overrides', () => {
    const g = layerGroups(['enc.0.net.0.weight', 'enc.0.net.0.bias', 'bott.net.0.weight', 'head.weight'], undefined, { 'head.weight': 'bott' });
    expect(g.names).toEqual(['enc.0', 'bott']);
    expect(g.members[1]).toEqual(['bott.net.0.weight', 'head.weight']);
  });
  it('schemes: last layer, top k, frozen m..n, all', () => {
    expect(trainableGroups('last-layer', 4)).toEqual([false, false, false, true]);
    expect(trainableGroups('layer-wise', 4, { topK: 2 })).toEqual([false, false, true, true]);
    expect(trainableGroups('bi-directional', 5, { frozen: [1, 2] })).toEqual([true, false, false, true, true]);
    expect(trainableGroups('metalr-paper', 3)).toEqual([true, true, true]);
    expect(() => trainableGroups('layer-wise', 4, { topK: 5 })).toThrow(TeError);
    expect(() => trainableGroups('bi-directional', 4, { frozen: [2, 1] })).toThrow(TeError);
  });
  it('MetaLR initial LRs: 1e-3 everywhere, 1e-2 for the head (paper §3.2)', () => {
    expect(metalrInitialLrs(3)).toEqual([1e-3, 1e-3, 1e-2]);
  });
});

describe('batches and held-out cases', () => {
  it('same seed → same batches; no repeats inside a batch; the pool is covered', () => {
    const a = batchSampler([3, 5, 7, 9, 11], 3, 42), b = batchSampler([3, 5, 7, 9, 11], 3, 42), c = batchSampler([3, 5, 7, 9, 11], 3, 43);
    const sa = Array.from({ length: 20 }, () => a()), sb = Array.from({ length: 20 }, () => b()), sc = Array.from({ length: 20 }, () => c());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const batch of sa) expect(new Set(batch).size).toBe(3);
    expect(new Set(sa.flat())).toEqual(new Set([3, 5, 7, 9, 11]));
  });
  it('a batch larger than the pool takes the pool once, then draws with replacement', () => {
    const s = batchSampler([0, 1], 5, 0)();
    expect(s).toHaveLength(5);
    expect(new Set(s.slice(0, 2))).toEqual(new Set([0, 1]));
  });
  it('held-out cases are neither training cases nor adjacent to one', () => {
    expect(heldOutCases(12, [3, 9])).toEqual([0, 1, 5, 6, 7, 11]);
    expect(() => heldOutCases(5, [5])).toThrow(TeError);
  });
});
