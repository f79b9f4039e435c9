// Collapse diagnostics on synthetic features with known answers: hand-computed trace ratio, distance and dead
// share; an oracle-mapped source head Dice; the collapse rule on a collapsed and a healthy model.
import { describe, expect, it } from 'vitest';
import { createRng } from '../sampling/rng.ts';
import { collapseDiagnostics, layerDiagnostics, sourceHeadDice, type DiagLayer } from './collapse.ts';

const layer = (rows: number[][], labels: number[], split = rows.length): DiagLayer => ({
  name: 'dec', stride: 1, channels: rows[0].length,
  cases: [
    { features: Float64Array.from(rows.slice(0, split).flat()), labels: Int32Array.from(labels.slice(0, split)) },
    { features: Float64Array.from(rows.slice(split).flat()), labels: Int32Array.from(labels.slice(split)) },
  ],
});

describe('layerDiagnostics', () => {
  it('gives hand values', () => {
    // channel 2 dead; bg rows (0,0),(2,0) → mean (1,0), var (2,0); fg rows (1,1),(1,3) → mean (1,2), var (0,2)
    const l = layer([[0, 0, 0], [2, 0, 0], [1, 1, 0], [1, 3, 0]], [0, 0, 1, 2], 2);
    const d = layerDiagnostics(l);
    expect(d.dead_channel_share).toBeCloseTo(1 / 3, 15);
    expect(d.fg_bg_trace_ratio).toBeCloseTo(2 / 2, 15);
    expect(d.fg_bg_distance).toBeCloseTo(2 / Math.sqrt(2), 15); // ‖(0,2)‖ / sqrt((2+2)/2)
  });

  it('gives null, not NaN, when a side is missing', () => {
    const d = layerDiagnostics(layer([[1, 2], [3, 4], [5, 6], [7, 8]], [0, 0, 0, 0]));
    expect(d.fg_bg_trace_ratio).toBeNull();
    expect(d.fg_bg_distance).toBeNull();
  });
});

describe('sourceHeadDice', () => {
  it('maps the target foreground to its best source class', () => {
    // 3 source classes; target fg voxels are 4; source predicts class 2 on 3 of them and on 1 background voxel.
    const l = layer([[0], [0], [0], [0], [0], [0]], [0, 0, 1, 1, 1, 1], 3);
    const p = (a: number) => [0, 1, 2].map((s) => (s === a ? 0.8 : 0.1));
    const probs = [Float64Array.from([p(0), p(2), p(2)].flat()), Float64Array.from([p(2), p(2), p(1)].flat())];
    const r = sourceHeadDice(l, probs, 3, 2);
    expect(r.source_head_mapping).toEqual([{ target_class: 1, source_class: 2, dice: (2 * 3) / (4 + 4) }]);
    expect(r.source_head_dice).toBeCloseTo(0.75, 15);
  });
});

describe('collapseDiagnostics', () => {
  const rng = createRng(4);
  const model = (fgScale: number, fgShift: number, headHits: boolean) => {
    const rows: number[][] = [], labels: number[] = [], probs: number[][] = [];
    for (let i = 0; i < 200; i++) {
      const fg = i % 2;
      rows.push(Array.from({ length: 8 }, (_, j) => (j < 2 ? 0 : fg ? fgShift + fgScale * rng.normal() : rng.normal())));
      labels.push(fg);
      probs.push(fg && headHits ? [0.1, 0.9] : [0.9, 0.1]);
    }
    const l = layer(rows, labels, 100);
    return collapseDiagnostics({ layers: [l], numClasses: 2, numSourceClasses: 2, sourceProbs: [Float64Array.from(probs.slice(0, 100).flat()), Float64Array.from(probs.slice(100).flat())] });
  };

  it('flags features whose foreground collapses onto one point near the background mean', () => {
    const d = model(0.01, 0.2, false);
    expect(d.collapsed).toBe(true);
    expect(d.layers[0].fg_bg_trace_ratio!).toBeLessThan(0.01);
    expect(d.layers[0].dead_channel_share).toBeCloseTo(0.25, 15);
    expect(d.source_head_dice).toBe(0);
    expect(d.reasons.join('\n')).toMatch(/pooled spreads apart[\s\S]*feature spread[\s\S]*finds almost none/);
  });

  it('lists but does not flag a tight foreground far from the background', () => {
    const d = model(0.01, 3, false);
    expect(d.layers[0].fg_bg_distance!).toBeGreaterThan(2);
    expect(d.reasons).toHaveLength(2); // trace ratio and head Dice
    expect(d.collapsed).toBe(false);
  });

  it('passes a healthy model (separated means, comparable spread, a head that finds the target)', () => {
    const d = model(1, 3, true);
    expect(d.collapsed).toBe(false);
    expect(d.reasons).toEqual([]);
    expect(d.source_head_dice).toBeCloseTo(1, 15);
    expect(d.layers[0].fg_bg_distance!).toBeGreaterThan(2);
  });
});
