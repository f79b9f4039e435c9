// The WebGPU parity self-test's parts in Node: the built-in test net (its ONNX run by onnxruntime-node = our eval
// forward; every weight gets a real gradient), the deviation measure on hand values, and the backend choice with
// cpu standing in for webgpu (passes), with a perturbed or failing candidate (falls back, reason given), no adapter,
// a software adapter, and no tensor left behind.
import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs-core';
import { selfTestNet } from '../../src/core/finetune/selfTestNet.ts';
import { initTfjsBackend } from '../../src/adapters/tfjsBackend.ts';
import { driveAsync, driveSync } from '../../src/adapters/tfjsDrive.ts';
import { selfTestDeviation, selfTestGen, type SelfTestResult } from '../../src/adapters/tfjsSelfTest.ts';
import { chooseFinetuneBackend, SELF_TEST_TOLERANCE } from '../../src/adapters/tfjsBackendChoice.ts';
import { TeError } from '../../src/core/errors.ts';
import { WASM_DIR } from './fixture.ts';

const HW = { software: false, description: 'test adapter' };

beforeAll(async () => { await initTfjsBackend('wasm', WASM_DIR); });

describe('self-test net', () => {
  it('eval logits = onnxruntime-node on the same ONNX bytes; every weight has a non-zero gradient', async () => {
    const net = selfTestNet();
    const session = await ort.InferenceSession.create(net.onnx);
    const out = await session.run({ image: new ort.Tensor('float32', net.images, [net.n, 1, net.h, net.w]) });
    const nchw = out.logits.data as Float32Array;
    await initTfjsBackend('cpu');
    const r = driveSync(selfTestGen());
    let d = 0, m = 0;
    for (let b = 0; b < net.n; b++) for (let c = 0; c < net.classes; c++) for (let p = 0; p < net.h * net.w; p++) {
      const ref = nchw[(b * net.classes + c) * net.h * net.w + p];
      d = Math.max(d, Math.abs(r.logits[(b * net.h * net.w + p) * net.classes + c] - ref)); m = Math.max(m, Math.abs(ref));
    }
    expect(r.logits.length).toBe(nchw.length);
    expect(m).toBeGreaterThan(0.1);
    expect(d).toBeLessThan(1e-5);
    expect(r.loss).toBeGreaterThan(0.5); // CE of 3 classes near ln 3 plus a soft Dice term
    expect([...r.grads.keys()].sort()).toEqual(['bott.0.weight', 'bott.1.bias', 'bott.1.weight', 'dec.0.weight', 'dec.1.bias', 'dec.1.weight',
      'enc.0.weight', 'enc.1.bias', 'enc.1.weight', 'head.bias', 'head.weight', 'up.0.bias', 'up.0.weight']);
    for (const [name, g] of r.grads) expect(Math.max(...g.map(Math.abs)), name).toBeGreaterThan(1e-4);
    await initTfjsBackend('wasm');
  });

  it('leaves no tensor behind', async () => {
    const n0 = tf.memory().numTensors, b0 = tf.memory().numBytes;
    await driveAsync(selfTestGen());
    expect(tf.memory().numTensors).toBe(n0);
    expect(tf.memory().numBytes).toBe(b0);
  });
});

describe('selfTestDeviation', () => {
  const ref: SelfTestResult = { logits: Float32Array.from([2, -4, 1]), loss: 0.5, grads: new Map([['a', Float32Array.from([0.1, -0.2])], ['b', Float32Array.from([10, 0])]]) };
  it('each tensor relative to its own largest reference value; NaN and missing count as Infinity', () => {
    const got: SelfTestResult = { logits: Float32Array.from([2, -4.004, 1]), loss: 0.5005, grads: new Map([['a', Float32Array.from([0.1, -0.2002])], ['b', Float32Array.from([10, 0.05])]]) };
    const d = selfTestDeviation(ref, got);
    expect(d.logits).toBeCloseTo(0.004 / 4, 6);
    expect(d.loss).toBeCloseTo(0.001, 6);
    expect(d.grads).toBeCloseTo(0.005, 6); // b: 0.05 / 10 beats a: 0.0002 / 0.2
    expect(d.worstGrad).toBe('b');
    expect(d.max).toBeCloseTo(0.005, 6);
    expect(selfTestDeviation(ref, { ...got, logits: Float32Array.from([NaN, 0, 0]) }).max).toBe(Infinity);
    expect(selfTestDeviation(ref, { ...got, grads: new Map([['a', ref.grads.get('a')!]]) }).worstGrad).toBe('b');
    expect(selfTestDeviation(ref, { ...got, grads: new Map([['a', ref.grads.get('a')!]]) }).grads).toBe(Infinity);
  });
});

describe('chooseFinetuneBackend (cpu stands in for webgpu)', () => {
  it('passes a sound backend: cpu vs wasm agree far inside the tolerance', async () => {
    const c = await chooseFinetuneBackend({ adapter: HW, candidate: 'cpu' });
    console.log(`cpu vs wasm: ${c.webgpu}`);
    expect(c.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(c.webgpu).toMatch(/^passed self-test \(max \|Δ\| /);
    expect(c.selfTest!.max).toBeLessThan(SELF_TEST_TOLERANCE / 10);
    await initTfjsBackend('wasm');
  });

  it('refuses a candidate whose one gradient element is off by 2e-3 of that weight’s largest; keeps one off by 5e-4', async () => {
    const perturbed = (rel: number) => async () => {
      const r = await driveAsync(selfTestGen());
      if (tf.getBackend() === 'cpu') {
        const g = r.grads.get('bott.0.weight')!;
        g[7] += rel * Math.max(...g.map(Math.abs));
      }
      return r;
    };
    const bad = await chooseFinetuneBackend({ adapter: HW, candidate: 'cpu', run: perturbed(2e-3) });
    expect(bad.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(bad.webgpu).toMatch(/^self-test failed: .*gradients 2\.0e-3 \(bott\.0\.weight\).*> tolerance 1\.0e-3/);
    const ok = await chooseFinetuneBackend({ adapter: HW, candidate: 'cpu', run: perturbed(5e-4) });
    expect(ok.backend).toBe('cpu');
    await initTfjsBackend('wasm');
  });

  it('falls back with the error when the candidate cannot run', async () => {
    const c = await chooseFinetuneBackend({ adapter: HW, candidate: 'webgpu' }); // Node: no navigator.gpu
    expect(c).toEqual({ backend: 'wasm', webgpu: 'self-test failed: tfjs backend webgpu: this context has no navigator.gpu' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('no adapter, a software adapter or a wasm request: wasm without running the self-test', async () => {
    const never = () => Promise.reject(new Error('the self-test must not run'));
    expect(await chooseFinetuneBackend({ adapter: null, run: never })).toEqual({ backend: 'wasm', webgpu: 'no adapter' });
    const sw = await chooseFinetuneBackend({ adapter: { software: true, description: 'google swiftshader' }, run: never });
    expect(sw).toEqual({ backend: 'wasm', webgpu: 'software adapter (google swiftshader): not used, wasm is faster' });
    expect((await chooseFinetuneBackend({ adapter: HW, prefer: 'wasm', run: never })).backend).toBe('wasm');
    // asked for explicitly, a software adapter is self-tested (cpu standing in)
    expect((await chooseFinetuneBackend({ adapter: { software: true, description: 'sw' }, prefer: 'webgpu', candidate: 'cpu' })).backend).toBe('cpu');
    await initTfjsBackend('wasm');
  });

  it('initTfjsBackend("webgpu") in Node refuses without loading the package', async () => {
    await expect(initTfjsBackend('webgpu')).rejects.toBeInstanceOf(TeError);
    expect(tf.getBackend()).toBe('wasm');
  });
});
