// Issue 8's speed and memory figures, in one run: seconds per training step (plain Adam and MetaLR, paper rule) of
// the demo U-Net (colin_t1_ax_brain, base 8), batch 8 of synthetic 128² slices, side by side and interleaved
// (round r runs each runtime in turn, the order rotating): PyTorch CPU on one thread (bench/torchFinetuneSteps.py,
// the same ONNX weights), the lab's browser worker (tfjs wasm in headless Debian Chromium, a production build of
// bench/browser/ that bundles src/workers/finetune.worker.ts; also on WebGPU when the page has a hardware adapter)
// and tfjs wasm in Node; then the peak tfjs memory of a
// step (tf.profile) for accumulate 1, 2, 4 in Node and in the browser. A runtime that is absent (no torch, no
// Chromium) is skipped with the reason. Targets: browser ≤ 3× PyTorch; MetaLR ≤ 2.2× plain; peak ≤ 1 GB.
// Usage: npx tsx bench/finetuneSideBySide.ts [--rounds R] [--steps K] [--no-browser] [--no-torch]
// (`npm run bench -- --filter SideBySide` runs it with TL_FT_ROUNDS / TL_FT_STEPS, default 5 × 3.)
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface, type Interface } from 'node:readline';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer, createTrainerSync, type Trainer } from '../src/adapters/tfjsTrainer.ts';
import { batchSampler } from '../src/core/finetune/batches.ts';
import { initTfjsBackend } from '../src/adapters/tfjsBackend.ts';
import { stepMemory, type StepMemory } from './browser/stepMemory.ts';
import { syntheticSlices } from './syntheticSlices.ts';
import type { Kind, Prefer } from './browser/finetuneBench.ts';

const ROOT = join(import.meta.dirname, '..');
const MODEL = join(ROOT, 'public', 'demo', 'models', 'colin_t1_ax_brain.onnx');
const PY = process.env.TL_PYTHON ?? '/usr/bin/python3'; // Debian's python3 with python3-torch and python3-onnx
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const H = 128, W = 128, BATCH = 8, ETA = 0.1;
const TRAIN = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], TEST = [10, 11];
const KINDS: Kind[] = ['plain', 'metalr'];
const ACCUMULATE = [1, 2, 4];

export interface SideBySideOptions {
  rounds: number; steps: number; browser: boolean; torch: boolean;
  /** Where the bench page is built (default: a folder in this run's temporary directory, removed at the end). */
  outDir?: string;
}

interface Sample { wall: number[]; cpu: number[] }
interface Runtime {
  label: string;
  /** K timed steps of `kind`: per-step wall seconds and per-step CPU seconds (a mean over the K when per-step is not measurable). */
  steps(kind: Kind, k: number): Promise<Sample>;
  memory?(kind: Kind, accumulate: number): Promise<StepMemory>;
  /** CE loss of the first step from the ONNX weights on the trainer's first batch (seed 0), per kind: the same network? */
  firstLoss: Partial<Record<Kind, number>>;
  close(): Promise<void>;
}

const log = (s: string) => process.stderr.write(s + '\n');
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mb = (b: number | null) => (b === null ? '—' : (b / 2 ** 20).toFixed(0));

/** The first 64 batches of the trainer's sampler for `seed` over the training cases. */
function sequence(seed: number): number[][] {
  const next = batchSampler(TRAIN, BATCH, seed);
  return Array.from({ length: 64 }, next);
}

// ---- PyTorch: one persistent process, a command per batch of steps -------------------------------------------

async function torchRuntime(dir: string, data: ReturnType<typeof syntheticSlices>): Promise<Runtime | string> {
  if (!existsSync(PY)) return `${PY} is absent`;
  const probe = spawnSync(PY, ['-c', 'import torch, onnx'], { encoding: 'utf8', timeout: 120_000 });
  if (probe.status !== 0) return `${PY} cannot import torch and onnx (${(probe.stderr ?? '').trim().split('\n').pop()})`;
  writeFileSync(join(dir, 'images.f32'), new Uint8Array(data.images.buffer));
  writeFileSync(join(dir, 'labels.i32'), new Uint8Array(data.labels.buffer));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model: MODEL, images: join(dir, 'images.f32'), labels: join(dir, 'labels.i32'), n: data.n, h: H, w: W, batch: BATCH, eta: ETA,
    // The trainer's batch sequences (tfjsTrainer: train batches seed 0, MetaLR's validation batches seed + 1).
    batches: sequence(0), meta_batches: sequence(1) }));
  const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
  const child: ChildProcessWithoutNullStreams = spawn(PY, [join(import.meta.dirname, 'torchFinetuneSteps.py'), join(dir, 'config.json')], { env });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += String(d); });
  const lines: Interface = createInterface({ input: child.stdout });
  const it = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    if (r.done) throw new Error(`torchFinetuneSteps.py ended: ${stderr.trim()}`);
    return JSON.parse(r.value as string);
  };
  const ready = await next() as { torch: string; threads: number; interop_threads: number; first_loss: Record<Kind, number> };
  return {
    firstLoss: ready.first_loss,
    label: `PyTorch ${ready.torch} CPU, ${ready.threads} thread`,
    async steps(kind, k) {
      child.stdin.write(`${kind} ${k}\n`);
      const r = await next() as { wall: number[]; cpu: number[] };
      return { wall: r.wall, cpu: r.cpu };
    },
    async close() {
      child.stdin.write('quit\n');
      await new Promise((res) => child.once('exit', res));
    },
  };
}

// ---- tfjs wasm in Node: one trainer per kind, kept across rounds --------------------------------------------

async function nodeRuntime(bytes: Uint8Array, data: ReturnType<typeof syntheticSlices>): Promise<Runtime> {
  const backend = await initTfjsBackend('wasm', join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + '/');
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'threaded' : 'single-threaded';
  const trainers = new Map<Kind, Trainer>();
  const firstLoss: Partial<Record<Kind, number>> = {};
  const trainer = (kind: Kind) => {
    if (!trainers.has(kind)) {
      const t = createTrainerSync(bytes, { logits_name: 'logits' }, data, { method: kind, train: TRAIN, test: TEST, batch: BATCH, seed: 0 });
      firstLoss[kind] = t.stepSync().loss; // warm-up
      trainers.set(kind, t);
    }
    return trainers.get(kind)!;
  };
  return {
    firstLoss,
    label: `node ${process.version} tfjs ${backend} (${threads}${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', SIMD' : ''})`,
    async steps(kind, k) {
      const t = trainer(kind), wall: number[] = [], cpu: number[] = [];
      for (let i = 0; i < k; i++) {
        const t0 = performance.now(), c0 = cpuNow();
        t.stepSync();
        wall.push((performance.now() - t0) / 1000);
        cpu.push(cpuNow() - c0);
      }
      return { wall, cpu };
    },
    async memory(kind, accumulate) {
      for (const t of trainers.values()) t.dispose(); // the timing trainers' weights would count as held memory
      trainers.clear();
      const t = await createTrainer(bytes, { logits_name: 'logits' }, data, { method: kind, accumulate, train: TRAIN, batch: BATCH, seed: 0 });
      try { return await stepMemory(t); } finally { t.dispose(); }
    },
    async close() { for (const t of trainers.values()) t.dispose(); },
  };
}

// ---- the browser: the lab worker in a production build of bench/browser/ ------------------------------------

/** CPU seconds (user + system) of a process and all its descendants, from /proc. */
function treeCpuSeconds(rootPid: number): number {
  const tick = 100; // CLK_TCK on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch { /* the process ended meanwhile */ }
  }
  let total = 0;
  const todo = [rootPid];
  while (todo.length) {
    const p = todo.pop()!;
    total += stats.get(p)?.cpu ?? 0;
    for (const [pid, s] of stats) if (s.ppid === p) todo.push(pid);
  }
  return total;
}

/**
 * The lab worker held to wasm, plus (when the page has a hardware WebGPU adapter and the worker, left to choose,
 * picks WebGPU) a second one on WebGPU; `webgpu` says what was found.
 */
async function browserRuntimes(bytes: Uint8Array, data: ReturnType<typeof syntheticSlices>, outDir: string): Promise<{ runtimes: Runtime[]; webgpu: string } | string> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is absent`;
  const { build, preview } = await import('vite');
  const { chromium } = await import('playwright-core');
  const { CONTENT_SECURITY_POLICY } = await import('../tools/vite/csp.ts');
  const root = join(import.meta.dirname, 'browser');
  const t0 = performance.now();
  // A production build of the bench page alone (its own folder: dist/ belongs to the app and the e2e runs).
  await build({ configFile: false, root, logLevel: 'warn', worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192, rolldownOptions: { input: join(root, 'finetune.html'), checks: { bundlerTimings: false } } } });
  log(`  browser: bench page built in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${outDir}`);
  const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Content-Security-Policy': CONTENT_SECURITY_POLICY };
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => { for (const c of closers.reverse()) await c().catch(() => undefined); };
  try {
    const server = await preview({ configFile: false, root, logLevel: 'warn', build: { outDir }, preview: { port: 0, headers, open: false } });
    closers.push(() => new Promise<void>((res, rej) => server.httpServer.close((e) => (e ? rej(e) : res()))));
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview gave no URL');
    // The e2e flags; with a GPU device node present, the GPU is left on (and Vulkan enabled) so WebGPU can use it.
    const gpuNode = ['/dev/nvidia0', '/dev/dri/renderD128'].some((f) => existsSync(f));
    const args = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu',
      ...(gpuNode ? ['--enable-features=Vulkan'] : ['--disable-gpu'])];
    const bs = await chromium.launchServer({ executablePath: CHROMIUM, args });
    closers.push(() => bs.close());
    const browser = await chromium.connect(bs.wsEndpoint());
    closers.push(() => browser.close());
    const pid = bs.process().pid!;
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`  browser page error: ${e.message}`));
    const marks: Record<string, number> = {};
    await page.exposeFunction('__cpuMark', (label: string) => { marks[label] = treeCpuSeconds(pid); });
    await page.goto(`${url}finetune.html`);
    await page.waitForFunction(() => window.__ftbench !== undefined, null, { timeout: 60_000 });
    const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    await page.evaluate(([m, i, l, n, h, w]) => window.__ftbench!.load(m as string, i as string, l as string, n as number, h as number, w as number),
      [b64(bytes), b64(data.images), b64(data.labels), data.n, H, W] as const);
    const gpu = await page.evaluate(() => window.__ftbench!.gpuAdapter());
    const runtime = async (prefer: Prefer, close: () => Promise<void>): Promise<Runtime & { info: Record<string, unknown> }> => {
      const info = await page.evaluate((p) => window.__ftbench!.backendInfo(p), prefer);
      const firstLoss: Partial<Record<Kind, number>> = {};
      return {
        info, firstLoss, close,
        label: `browser lab worker, Chromium ${browser.version()} tfjs ${String(info.backend)}${info.backend === 'wasm' ? ' (single-threaded)' : ''}`,
        async steps(kind, k) {
          const r = await page.evaluate(([kd, kk, tr, te, p]) => window.__ftbench!.labSteps(kd as Kind, kk as number, tr as number[], te as number[], p as Prefer), [kind, k, TRAIN, TEST, prefer] as const);
          firstLoss[kind] ??= r.loss[0]; // every job starts from the ONNX weights on the same first batch
          const cpu = (marks.end - marks.start) / k;
          return { wall: r.wall, cpu: r.wall.map(() => cpu) };
        },
        // Peak memory is the wasm engine's (tf.memory counts GPU textures/buffers differently).
        ...(prefer === 'wasm' ? { memory: (kind: Kind, accumulate: number) =>
          page.evaluate(([kd, a, tr]) => window.__ftbench!.memory(kd as Kind, a as number, tr as number[]), [kind, accumulate, TRAIN] as const) } : {}),
      };
    };
    const runtimes: Runtime[] = [await runtime('wasm', close)];
    let webgpu = `the page's adapter: ${gpu.line}`;
    if (gpu.hardware) {
      const auto = await runtime('auto', async () => undefined);
      webgpu += `; the lab worker (left to choose) runs ${String(auto.info.backend)}: ${String(auto.info.webgpu)}`;
      if (auto.info.backend === 'webgpu') runtimes.push(auto);
    } else {
      webgpu += ' — no hardware adapter, so the lab worker runs wasm';
    }
    return { runtimes, webgpu };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- the run ------------------------------------------------------------------------------------------------

interface Row { runtime: string; kind: Kind; wall: number[]; cpu: number[] }

function ratio(a: number[] | undefined, b: number[] | undefined, f: (x: number[]) => number): string {
  return a?.length && b?.length ? (f(a) / f(b)).toFixed(2) : '—';
}

export async function runSideBySide(o: SideBySideOptions): Promise<void> {
  if (!existsSync(MODEL)) { log(`finetune side by side: skipped, ${MODEL} is absent (the demo bank)`); return; }
  const dir = mkdtempSync(join(tmpdir(), 'tl-ft-sbs-'));
  const bytes = new Uint8Array(readFileSync(MODEL));
  const data = syntheticSlices(12, H, W);
  const la0 = loadavg();
  log(`Fine-tuning step side by side (issue 8): demo U-Net colin_t1_ax_brain (base 8), ${H}×${W}, batch ${BATCH}, ${o.rounds} rounds × ${o.steps} steps per runtime and kind, interleaved`);
  const runtimes: Runtime[] = [];
  try {
    const failed = (e: unknown) => `setup failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    const torch = o.torch ? await torchRuntime(dir, data).catch(failed) : 'not asked for (--no-torch)';
    if (typeof torch === 'string') log(`  PyTorch: skipped, ${torch}`); else runtimes.push(torch);
    const br = o.browser ? await browserRuntimes(bytes, data, o.outDir ?? join(dir, 'page')).catch(failed) : 'not asked for (--no-browser)';
    if (typeof br === 'string') log(`  browser: skipped, ${br}`); else runtimes.push(...br.runtimes);
    runtimes.push(await nodeRuntime(bytes, data));

    const rows = new Map<string, Row>();
    for (let r = 0; r < o.rounds; r++) {
      for (const kind of KINDS) {
        for (let i = 0; i < runtimes.length; i++) {
          const rt = runtimes[(i + r) % runtimes.length];
          const s = await rt.steps(kind, o.steps);
          const key = `${rt.label}|${kind}`;
          const row = rows.get(key) ?? { runtime: rt.label, kind, wall: [], cpu: [] };
          row.wall.push(...s.wall); row.cpu.push(...s.cpu);
          rows.set(key, row);
        }
      }
      log(`  round ${r + 1}/${o.rounds} done (load average ${loadavg()[0].toFixed(2)})`);
    }
    const la1 = loadavg();
    log(`\nseconds per step (${o.rounds * o.steps} steps each; load average ${la0.map((x) => x.toFixed(2)).join(' ')} at start, ${la1.map((x) => x.toFixed(2)).join(' ')} at end)`);
    log(`${'runtime'.padEnd(62)} ${'kind'.padEnd(7)} ${'wall min'.padStart(9)} ${'wall med'.padStart(9)} ${'cpu min'.padStart(9)} ${'cpu med'.padStart(9)}`);
    for (const row of rows.values()) {
      log(`${row.runtime.padEnd(62)} ${row.kind.padEnd(7)} ${Math.min(...row.wall).toFixed(3).padStart(9)} ${median(row.wall).toFixed(3).padStart(9)} ${Math.min(...row.cpu).toFixed(3).padStart(9)} ${median(row.cpu).toFixed(3).padStart(9)}`);
    }
    const get = (rt: Runtime | undefined, kind: Kind) => (rt ? rows.get(`${rt.label}|${kind}`) : undefined);
    const torchRt = runtimes.find((r) => r.label.startsWith('PyTorch')), brRt = runtimes.find((r) => r.label.startsWith('browser') && r.label.includes('wasm')),
      gpuRt = runtimes.find((r) => r.label.startsWith('browser') && r.label.includes('webgpu')), nodeRt = runtimes[runtimes.length - 1];
    const line = (name: string, a: Row | undefined, b: Row | undefined, target: string) => a && b &&
      log(`  ${name.padEnd(34)} wall min ${ratio(a?.wall, b?.wall, (x) => Math.min(...x)).padStart(5)}  wall med ${ratio(a?.wall, b?.wall, median).padStart(5)}  cpu med ${ratio(a?.cpu, b?.cpu, median).padStart(5)}   ${target}`);
    log('\nratios');
    for (const kind of KINDS) line(`browser / PyTorch, ${kind}`, get(brRt, kind), get(torchRt, kind), 'target ≤ 3');
    for (const kind of KINDS) line(`node / PyTorch, ${kind}`, get(nodeRt, kind), get(torchRt, kind), '');
    line('MetaLR / plain, browser', get(brRt, 'metalr'), get(brRt, 'plain'), 'target ≤ 2.2');
    line('MetaLR / plain, node', get(nodeRt, 'metalr'), get(nodeRt, 'plain'), 'target ≤ 2.2');
    line('MetaLR / plain, PyTorch', get(torchRt, 'metalr'), get(torchRt, 'plain'), '');
    if (brRt) log('  (browser CPU: all Chromium processes over the K steps of a job, divided by K)');
    for (const kind of KINDS) line(`browser WebGPU / PyTorch, ${kind}`, get(gpuRt, kind), get(torchRt, kind), '');
    line('MetaLR / plain, browser WebGPU', get(gpuRt, 'metalr'), get(gpuRt, 'plain'), 'target ≤ 2.2');
    log(`  WebGPU: ${typeof br === 'string' ? 'not measured (no browser)' : `${gpuRt ? 'measured' : 'not measured'}; ${br.webgpu}`}`);

    for (const kind of KINDS) {
      const ls = runtimes.filter((r) => r.firstLoss[kind] !== undefined).map((r) => [r.label.split(' ')[0], r.firstLoss[kind]!] as const);
      const spread = ls.length ? (Math.max(...ls.map((l) => l[1])) - Math.min(...ls.map((l) => l[1]))) / Math.abs(ls[0][1]) : NaN;
      log(`  same network and batch (${kind}): first step's CE loss ${ls.map(([n, l]) => `${n} ${l.toFixed(6)}`).join(', ')} (spread ${spread.toExponential(1)} of the loss)`);
    }
    log(`\npeak tfjs memory of one batch-${BATCH} step, MiB (tf.profile peakBytes; in brackets: held before the step / wasm heap after it) — target ≤ 1024`);
    log(`${'runtime'.padEnd(62)} ${'kind'.padEnd(7)} ${ACCUMULATE.map((a) => `accumulate ${a}`.padStart(20)).join('')}`);
    for (const rt of runtimes.filter((r) => r.memory)) {
      for (const kind of KINDS) {
        const cells: string[] = [];
        for (const a of ACCUMULATE) {
          const m = await rt.memory!(kind, a);
          cells.push(`${mb(m.peakBytes)} (${mb(m.startBytes)}/${mb(m.wasmHeapBytes)})`.padStart(20));
          if (m.newTensors !== 0) log(`  note: ${rt.label} ${kind} accumulate ${a}: the step left ${m.newTensors} tensors (${m.newBytes} bytes)`);
        }
        log(`${rt.label.padEnd(62)} ${kind.padEnd(7)} ${cells.join('')}`);
      }
    }
    log('  (node: one process for every configuration, so its wasm heap is the high-water mark so far; browser: a fresh worker each)');
  } finally {
    for (const rt of runtimes) await rt.close().catch((e) => log(`  close ${rt.label}: ${e}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const argv = process.argv.slice(2);
  const opt = (name: string, dflt: number) => { const i = argv.indexOf(name); return i >= 0 ? Number(argv[i + 1]) : dflt; };
  await runSideBySide({ rounds: opt('--rounds', 5), steps: opt('--steps', 3), browser: !argv.includes('--no-browser'), torch: !argv.includes('--no-torch') });
}
