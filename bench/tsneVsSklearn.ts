// t-SNE side by side: our Barnes-Hut t-SNE (src/core/embedding) and scikit-learn's (one thread) on the
// same seeded 64-D Gaussian clusters, 1 000 iterations; prints wall and CPU times, the neighbourhood score
// (share of 10 nearest 2-D neighbours in the same cluster) and the exact KL(P‖Q) of both layouts (issue 5 item 5).
// Usage: npx tsx bench/tsneVsSklearn.ts [N …] [--separation S] [--seed K]   (default N = 2000 10000, S = 4)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SparseP } from '../src/core/embedding/affinities.ts';
import { exactKl } from '../test/support/exactTsneKl.ts';
import { gaussianClusters } from '../src/core/embedding/gaussianClusters.ts';
import { neighbourhoodScore } from '../src/core/embedding/neighbourhoodScore.ts';
import { createTsne } from '../src/core/embedding/tsne.ts';

const DIM = 64, CLUSTERS = 10, ITERATIONS = 1000;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}


interface Row { who: string; n: number; wall: number; cpu: number; score: number; kl: number }

function ours(points: Float64Array, n: number, seed: number): { row: Omit<Row, 'score' | 'kl'>; y: Float64Array; p: SparseP } {
  const t0 = performance.now(), c0 = cpuSeconds();
  const t = createTsne(points, n, DIM, { seed, iterations: ITERATIONS });
  while (!t.done) t.step(50);
  const y = t.embedding();
  return { row: { who: 'transferlens', n, wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - c0 }, y, p: t.affinities };
}

function sklearn(points: Float64Array, n: number, seed: number, dir: string): { row: Omit<Row, 'score' | 'kl'>; y: Float64Array } {
  const src = join(dir, `x${n}.f64`), out = join(dir, `y${n}.f64`);
  writeFileSync(src, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
  const script = join(import.meta.dirname, 'sklearnTsne.py');
  const r = spawnSync('/usr/bin/python3', [script, src, String(n), String(DIM), out, String(ITERATIONS), String(seed)],
    { env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sklearnTsne.py failed: ${r.stderr}`);
  const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; cpu_seconds: number; sklearn: string };
  const buf = readFileSync(out);
  const y = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return { row: { who: `sklearn ${res.sklearn} (1 thread)`, n, wall: res.seconds, cpu: res.cpu_seconds }, y };
}

function main(argv: string[]): void {
  const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
  const separation = opt('--separation', 4), seed = opt('--seed', 1);
  const sizes = argv.filter((a, i) => /^\d+$/.test(a) && !['--separation', '--seed'].includes(argv[i - 1])).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'tsne-vs-sklearn-'));
  const rows: Row[] = [];
  console.log(`t-SNE, ${DIM}-D, ${CLUSTERS} Gaussian clusters (separation ${separation}), ${ITERATIONS} iterations, seed ${seed}, node ${process.version}`);
  try {
    for (const n of sizes.length ? sizes : [2000, 10000]) {
      const c = gaussianClusters(n, DIM, CLUSTERS, seed, separation);
      const a = ours(c.points, n, seed);
      const b = sklearn(c.points, n, seed, dir);
      for (const [row, y] of [[a.row, a.y], [b.row, b.y]] as const) {
        const full: Row = { ...row, score: neighbourhoodScore(y, c.labels, 10), kl: exactKl(a.p, y) };
        rows.push(full);
        console.log(`${full.who.padEnd(28)} n=${String(n).padEnd(6)} wall ${full.wall.toFixed(1).padStart(6)} s  cpu ${full.cpu.toFixed(1).padStart(6)} s  score ${full.score.toFixed(4)}  KL ${full.kl.toFixed(4)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2));
