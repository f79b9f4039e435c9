// `npm run bench`: runs every bench/*.bench.ts case (seeded synthetic data) and prints median times.
// `npm run bench -- --json` prints the same figures as one JSON document; `--filter SUBSTR` narrows the cases.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { BenchCase } from './types.ts';

interface Figure { file: string; name: string; params: BenchCase['params']; repeats: number; median_ms: number; min_ms: number; max_ms: number }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const fi = argv.indexOf('--filter');
  const filter = fi >= 0 ? argv[fi + 1] : undefined;
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  const figures: Figure[] = [];
  const log = (s: string) => (json ? process.stderr : process.stdout).write(s + '\n');
  log(`TransferLens benchmarks — node ${process.version}, single thread, median of repeats (ms)`);
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { cases: BenchCase[] };
    for (const c of mod.cases) {
      const label = `${c.name} ${Object.entries(c.params).map(([k, v]) => `${k}=${v}`).join(' ')}`;
      if (filter && !label.includes(filter) && !file.includes(filter)) continue;
      const ctx = await c.setup();
      const repeats = c.repeats ?? 5;
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        await c.run(ctx);
        times.push(performance.now() - t0);
      }
      await c.teardown?.(ctx);
      const fig = { file, name: c.name, params: c.params, repeats, median_ms: median(times), min_ms: Math.min(...times), max_ms: Math.max(...times) };
      figures.push(fig);
      log(`${label.padEnd(60)} ${fig.median_ms.toFixed(1).padStart(10)} ms  (min ${fig.min_ms.toFixed(1)}, n=${repeats})`);
    }
  }
  if (json) process.stdout.write(JSON.stringify({ node: process.version, date: new Date().toISOString(), figures }, null, 2) + '\n');
}

await main(process.argv.slice(2));
