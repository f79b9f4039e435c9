// The transfer risk map before and after fine-tuning (Transfer Risk Map paper, Fig. 2): the "before" map is the
// source model's (computed before the head is replaced, the training risk map's code), the "after" map is the core
// pixel LEEP → 10^Ĥ on the fine-tuned model's softmax; hand-derived values on a 1×1-conv model; the direction.
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainer, createTrainerSync } from '../../src/adapters/tfjsTrainer.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import type { FinetuneData } from '../../src/adapters/tfjsModel.ts';
import { pixelLeepMap } from '../../src/core/estimators/pixelLeepMap.ts';
import { riskMap } from '../../src/core/estimators/riskMap.ts';
import { compareRisk } from '../../src/core/finetune/riskCompare.ts';
import { createRng } from '../../src/core/sampling/rng.ts';
import { conv1x1Onnx, conv1x1Softmax } from '../support/conv1x1Onnx.ts';
import { maxAbs, tinyOnnx, tinySlices } from './fixture.ts';

const N = 8, H = 12, W = 12, PX = H * W, TRAIN = [0, 1, 2, 3, 4, 5], TEST = [6, 7];
let blobs: FinetuneData;
const manifest = { logits_name: 'logits' };

beforeAll(async () => {
  await initTfjsBackend('cpu');
  // bright discs (label 1, ~0.7) on a darker background (~0.3), ±0.2 uniform noise: separable by intensity up to the overlap
  const rng = createRng(3), images = new Float32Array(N * PX), labels = new Int32Array(N * PX);
  for (let i = 0; i < N; i++) {
    const cy = 4 + (i % 4), cx = 5 + (i % 3), r2 = 6 + i;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const p = i * PX + y * W + x, fg = (y - cy) ** 2 + (x - cx) ** 2 <= r2;
      labels[p] = fg ? 1 : 0;
      images[p] = (fg ? 0.7 : 0.3) + 0.4 * (rng.next() - 0.5);
    }
  }
  blobs = { images, labels, n: N, h: H, w: W };
});

const casesOf = (d: FinetuneData, cases: number[]) => ({
  images: Float32Array.from(cases.flatMap((c) => Array.from(d.images.subarray(c * PX, (c + 1) * PX)))),
  labels: Int32Array.from(cases.flatMap((c) => Array.from({ length: PX }, (_, p) => d.labels[c * PX + p]))),
});

describe('risk map before / after fine-tuning', () => {
  it('an uninformative source (softmax 0.75/0.25 everywhere): R = 10 on the minority foreground, 1 on the background; T = log of the class frequency', () => {
    const t = createTrainerSync(conv1x1Onnx([0, 0], [Math.log(3), 0]), manifest, blobs, { method: 'plain', train: TRAIN, test: TEST, batch: 2 });
    const { labels } = casesOf(blobs, TEST);
    const f = labels.reduce((s, v) => s + v, 0) / labels.length; // pooled foreground fraction over the held-out cases
    expect(f).toBeLessThan(0.5);
    const b = t.riskBefore!;
    expect(b.cases).toEqual(TEST);
    // P̂(y|z) = frequency of y whatever z, so EEP = freq(y) and T = log freq(y) (float32 softmax: 1e-6)
    labels.forEach((y, p) => expect(b.transferability[p]).toBeCloseTo(Math.log(y ? f : 1 - f), 6));
    labels.forEach((y, p) => expect(b.risk[p]).toBe(y ? 10 : 1));
    expect(b.score).toBeCloseTo(f * Math.log(f) + (1 - f) * Math.log(1 - f), 6);
    const s = compareRisk(b, b, blobs.labels, PX, 2);
    expect(s.perClass.before).toEqual([1, 10]);
    expect(s.foregroundBefore).toBe(10);
    expect(s.meanBefore).toBeCloseTo(10 * f + (1 - f), 12);
    t.dispose();
  });

  it('after training: the map is core pixel LEEP → 10^Ĥ on the fine-tuned softmax (computed here by hand); foreground risk falls, LEEP rises', async () => {
    const opts = { method: 'plain' as const, lr: 0.1, train: TRAIN, test: TEST, batch: 2, seed: 1 };
    const t = createTrainerSync(conv1x1Onnx([0, 0], [Math.log(3), 0]), manifest, blobs, opts);
    for (let i = 0; i < 100; i++) t.stepSync();
    const after = t.riskMapSync();
    const wts = t.weights(), w = wts.get('head.weight')!, bias = wts.get('head.bias')!;
    expect(w[1] - w[0]).toBeGreaterThan(4); // it learned "bright = foreground"
    const { images, labels } = casesOf(blobs, TEST);
    const leep = pixelLeepMap({ n: 2, h: H, w: W, c: 2, data: conv1x1Softmax(w, bias, images) }, { n: 2, h: H, w: W, data: labels });
    const expected = riskMap(leep.map, PX, 'image');
    const dev = maxAbs(after.risk, expected);
    console.log(`after-map vs hand softmax → core: max |ΔR| ${dev.toExponential(2)}, |ΔT| ${maxAbs(after.transferability, leep.map).toExponential(2)}`);
    expect(maxAbs(after.transferability, leep.map)).toBeLessThan(1e-5);
    expect(dev).toBeLessThan(1e-4);
    expect(after.score).toBeCloseTo(leep.score, 5);
    // async reads give the same map
    const ta = await createTrainer(conv1x1Onnx([0, 0], [Math.log(3), 0]), manifest, blobs, opts);
    for (let i = 0; i < 100; i++) await ta.step();
    expect(maxAbs((await ta.riskMap()).risk, after.risk)).toBe(0);
    ta.dispose();

    const s = compareRisk(t.riskBefore!, after, blobs.labels, PX, 2);
    // the high-risk region shrinks (the paper's "condensed into smaller segments"): fewer pixels with R > 5
    const high = (r: Float64Array) => r.reduce((k, v) => k + (v > 5 ? 1 : 0), 0);
    console.log(`pixels with R > 5: ${high(t.riskBefore!.risk)} → ${high(after.risk)}`);
    console.log(`foreground R ${s.foregroundBefore} → ${s.foregroundAfter!.toFixed(3)}, background ${s.perClass.before[0]} → ${s.perClass.after[0]!.toFixed(3)}, LEEP ${s.scoreBefore.toFixed(4)} → ${s.scoreAfter.toFixed(4)}`);
    expect(s.foregroundAfter!).toBeLessThan(4); // was 10 on every foreground pixel (measured 2.9)
    expect(s.scoreAfter).toBeGreaterThan(s.scoreBefore + 0.2);
    expect(high(after.risk)).toBeLessThan(high(t.riskBefore!.risk) / 4); // measured 82 → 13
    t.dispose();
  }, 60_000);

  it('the before-map is the source model\'s, taken before the head is replaced (hand softmax of the 3-class source), and equals the training risk map on the same cases', () => {
    // 3-class source with known weights, 2-class target: the head is replaced after the before-maps are taken
    const sw = [-6, 0, 6], sb = [2, 0.5, -3];
    const t = createTrainerSync(conv1x1Onnx(sw, sb), manifest, blobs, { method: 'risk', train: [0, 1, 2], riskCases: [0, 1, 2], test: [3], batch: 2, numClasses: 2, seed: 4 });
    const { images, labels } = casesOf(blobs, [0, 1, 2]);
    const srcLeep = pixelLeepMap({ n: 3, h: H, w: W, c: 3, data: conv1x1Softmax(sw, sb, images) }, { n: 3, h: H, w: W, data: labels });
    expect(t.riskBefore!.cases).toEqual([0, 1, 2]);
    expect(maxAbs(t.riskBefore!.risk, riskMap(srcLeep.map, PX))).toBeLessThan(1e-4);
    expect(maxAbs(t.riskBefore!.risk, t.risk!)).toBe(0); // the training risk map (sourceRiskMap) on the same cases
    // the model as it is now (seeded random 2-class head, no step yet) is another model with another map
    const wts = t.weights(), now = t.riskMapSync();
    expect(wts.get('head.weight')!).toHaveLength(2);
    const nowLeep = pixelLeepMap({ n: 3, h: H, w: W, c: 2, data: conv1x1Softmax(wts.get('head.weight')!, wts.get('head.bias')!, images) }, { n: 3, h: H, w: W, data: labels });
    expect(maxAbs(now.risk, riskMap(nowLeep.map, PX))).toBeLessThan(1e-4);
    expect(maxAbs(now.risk, t.riskBefore!.risk)).toBeGreaterThan(0.1);
    t.dispose();
  });

  it('on the tiny U-Net (BatchNorm, no replacement), the current map before any step is the before-map; riskCases [] skips it', () => {
    const data = tinySlices();
    const same = createTrainerSync(tinyOnnx(), manifest, data, { method: 'plain', train: [0, 1], test: [2, 3], batch: 2 });
    expect(same.riskBefore!.cases).toEqual([2, 3]);
    expect(maxAbs(same.riskMapSync().risk, same.riskBefore!.risk)).toBe(0);
    expect(same.riskMapSync([3]).cases).toEqual([3]);
    same.stepSync();
    expect(maxAbs(same.riskMapSync().transferability, same.riskBefore!.transferability)).toBeGreaterThan(0);
    same.dispose();
    const none = createTrainerSync(tinyOnnx(), manifest, data, { method: 'plain', train: [0, 1], test: [2, 3], riskCases: [], batch: 2 });
    expect(none.riskBefore).toBeNull();
    none.dispose();
  }, 60_000);
});
