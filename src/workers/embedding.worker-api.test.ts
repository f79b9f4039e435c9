// Tests of the t-SNE worker API in Node: frames stream with growing iteration counts and the final frame says
// done; two well-separated clusters stay apart in 2-D; stop() ends a run early.
import { describe, expect, it } from 'vitest';
import { createEmbeddingApi } from './embedding.worker-api.ts';
import { createRng } from '../core/sampling/rng.ts';

function clusters(n: number, dim: number): Float64Array {
  const rng = createRng(1);
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) x[i * dim + d] = (i < n / 2 ? 0 : 10) + rng.next();
  return x;
}

describe('embedding worker API', () => {
  it('streams frames and separates two clusters', async () => {
    const api = createEmbeddingApi(() => Promise.resolve());
    const frames: number[] = [];
    let last: Float64Array | null = null;
    const r = await api.embed(clusters(60, 5), 60, 5, { iterations: 300, perplexity: 10, seed: 0 }, (f) => { frames.push(f.iteration); last = f.embedding; }, 50);
    expect(r.ok).toBe(true);
    expect(frames[0]).toBe(50);
    expect(frames.at(-1)).toBe(300);
    const e = last!;
    const mean = (a: number, b: number) => { let x = 0, y = 0; for (let i = a; i < b; i++) { x += e[2 * i]; y += e[2 * i + 1]; } return [x / (b - a), y / (b - a)]; };
    const [c0, c1] = [mean(0, 30), mean(30, 60)];
    let spread = 0;
    for (let i = 0; i < 30; i++) spread = Math.max(spread, Math.hypot(e[2 * i] - c0[0], e[2 * i + 1] - c0[1]));
    expect(Math.hypot(c0[0] - c1[0], c0[1] - c1[1])).toBeGreaterThan(spread);
  });
  it('stops at the next batch after stop()', async () => {
    const api = createEmbeddingApi(() => Promise.resolve());
    let frames = 0;
    const r = await api.embed(clusters(40, 3), 40, 3, { iterations: 1000, perplexity: 8 }, () => { frames++; if (frames === 2) api.stop(); }, 10);
    expect(r.ok && r.iterations).toBe(20);
  });
});
