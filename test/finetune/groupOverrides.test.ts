// Layer-group overrides (parameter → group, the lab's group editor and the CLI's --groups) on the tiny fixture: they
// change the trainer's groups, which groups a scheme trains (frozen weights stay put) and MetaLR's per-group LR
// vector; unknown parameters are refused by name.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainerSync, type TrainerOptions } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { checkGroupOverrides } from '../../src/core/finetune/layerGroups.ts';
import { maxAbs, tinyOnnx, tinyRef, tinySlices } from './fixture.ts';

let data: FinetuneData;
const manifest = { logits_name: 'logits' };
const opts = (o: Partial<TrainerOptions>): TrainerOptions => ({ train: [0, 1, 2, 3], test: [0, 1, 2, 3], batch: 2, seed: 0, ...o });
// The fixture's groups by prefix in order of first use: the decoder runs from the deepest block (up.3, dec.3) up.
const DEFAULT = ['enc.0', 'enc.1', 'enc.2', 'enc.3', 'bott', 'up.3', 'dec.3', 'up.2', 'dec.2', 'up.1', 'dec.1', 'up.0', 'dec.0', 'head'];

beforeAll(async () => {
  await initTfjsBackend('cpu');
  const ref = tinyRef();
  expect([...ref.metalr.groups].sort()).toEqual([...DEFAULT].sort()); // the PyTorch reference's groups
  data = tinySlices(ref);
});

describe('layer-group overrides', () => {
  it('merging enc.0 and enc.1 into "stem" gives 13 groups and a 13-long MetaLR LR vector', () => {
    const names = tinyRef().paramNames.filter((p) => /^enc\.[01]\./.test(p));
    expect(names).toHaveLength(16);
    const t = createTrainerSync(tinyOnnx(), manifest, data, opts({ scheme: 'metalr-paper', groupOverrides: Object.fromEntries(names.map((p) => [p, 'stem'])) }));
    expect(t.groups).toEqual(['stem', ...DEFAULT.slice(2)]);
    expect(t.trainable).toEqual(new Array(13).fill(true));
    const s = t.stepSync();
    expect(s.lrs).toHaveLength(13);
    expect(s.dots).toHaveLength(13);
    t.dispose();
  });

  it('moving head.bias into its own last group: last-layer trains only head.bias, head.weight stays put', () => {
    const t = createTrainerSync(tinyOnnx(), manifest, data, opts({ scheme: 'last-layer', groupOverrides: { 'head.bias': 'head-bias' } }));
    expect(t.groups).toEqual([...DEFAULT, 'head-bias']);
    expect(t.trainable).toEqual([...new Array(14).fill(false), true]);
    const before = t.weights();
    t.stepSync(); t.stepSync();
    const after = t.weights();
    expect(maxAbs(before.get('head.weight')!, after.get('head.weight')!)).toBe(0);
    expect(maxAbs(before.get('dec.0.net.4.weight')!, after.get('dec.0.net.4.weight')!)).toBe(0);
    expect(maxAbs(before.get('head.bias')!, after.get('head.bias')!)).toBeGreaterThan(0);
    t.dispose();
  });

  it('refuses an unknown parameter by name, and a non-object', () => {
    expect(() => createTrainerSync(tinyOnnx(), manifest, data, opts({ groupOverrides: { 'enc.9.weight': 'x', 'head.bias': 'h' } }))).toThrow(/unknown parameter "enc\.9\.weight"/);
    expect(() => checkGroupOverrides(['a'], ['a'])).toThrow(/JSON object/);
    expect(() => checkGroupOverrides({ a: '' }, ['a'])).toThrow(/group of "a" must be a non-empty name/);
    expect(checkGroupOverrides({ a: 'g' }, ['a', 'b'])).toEqual({ a: 'g' });
  });
});
