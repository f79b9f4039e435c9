// E2E helpers of the pipeline specs: records any request to a host other than localhost (workers included,
// then aborted), console errors and page errors, so each test can assert that all three lists stay empty.
import { chromium, expect, test, type Browser, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

export interface Guard { offOrigin: string[]; consoleErrors: string[]; pageErrors: string[] }

export async function guardContext(context: BrowserContext): Promise<Guard> {
  const g: Guard = { offOrigin: [], consoleErrors: [], pageErrors: [] };
  await context.route((url) => url.hostname !== 'localhost', (route) => {
    g.offOrigin.push(route.request().url());
    return route.abort();
  });
  return g;
}

export function watchPage(page: Page, g: Guard): void {
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') g.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => g.pageErrors.push(err.message));
}

/**
 * Registers the guard for every test of the calling spec file: off-origin requests and page errors always fail the
 * test; console errors too unless `consoleErrors: false`. Returns a getter for the current test's guard.
 */
export function useGuard(opts: { consoleErrors?: boolean } = {}): () => Guard {
  let guard: Guard;
  test.beforeEach(async ({ page, context }) => {
    guard = await guardContext(context);
    watchPage(page, guard);
  });
  test.afterEach(() => {
    expect(guard.offOrigin).toEqual([]);
    expect(guard.pageErrors).toEqual([]);
    if (opts.consoleErrors ?? true) expect(guard.consoleErrors).toEqual([]);
  });
  return () => guard;
}

/**
 * A Chromium with the project's launch options, with or without --enable-unsafe-webgpu (tests that need a given WebGPU
 * state start their own browser), and `open()`: the app in a fresh guarded context, once its test API is up.
 */
export async function launchApp(webgpu: boolean, baseURL: string | undefined): Promise<{ browser: Browser; open: () => Promise<{ page: Page; guard: Guard }> }> {
  const o = test.info().project.use.launchOptions ?? {};
  const args = (o.args ?? []).filter((a) => a !== '--enable-unsafe-webgpu').concat(webgpu ? ['--enable-unsafe-webgpu'] : []);
  const browser = await chromium.launch({ ...o, args });
  const open = async () => {
    const context = await browser.newContext({ baseURL });
    const guard = await guardContext(context);
    const page = await context.newPage();
    watchPage(page, guard);
    await page.goto('/');
    await page.waitForFunction(() => window.__transferlens !== undefined);
    return { page, guard };
  };
  return { browser, open };
}

export const b64 = (bytes: Uint8Array, name: string) => ({ name, base64: Buffer.from(bytes).toString('base64') });

/** A 5×4×3 int16 volume with a rotated, anisotropic grid, as hand-written MetaImage (.mha) and NRRD files. */
export const GRID = {
  size: [5, 4, 3],
  spacing: [0.5, 0.75, 2],
  origin: [10, -20, 30],
  // Axis directions (columns of the direction matrix): x → +y, y → −x, z → +z. Row-major 3×3 below.
  direction: [0, -1, 0, 1, 0, 0, 0, 0, 1],
};

export function gridVoxels(): Int16Array {
  const n = GRID.size[0] * GRID.size[1] * GRID.size[2];
  return Int16Array.from({ length: n }, (_, i) => (i * 37) % 251 - 100);
}

function withRaw(header: string): Uint8Array {
  const head = Buffer.from(header, 'latin1');
  const raw = Buffer.from(gridVoxels().buffer);
  return new Uint8Array(Buffer.concat([head, raw]));
}

export function handWrittenMha(): Uint8Array {
  return withRaw([
    'ObjectType = Image', 'NDims = 3', 'BinaryData = True', 'BinaryDataByteOrderMSB = False', 'CompressedData = False',
    // MetaIO TransformMatrix: row i is the direction of axis i.
    'TransformMatrix = 0 1 0 -1 0 0 0 0 1', 'Offset = 10 -20 30', 'CenterOfRotation = 0 0 0', 'AnatomicalOrientation = RAI',
    'ElementSpacing = 0.5 0.75 2', 'DimSize = 5 4 3', 'ElementType = MET_SHORT', 'ElementDataFile = LOCAL', '',
  ].join('\n'));
}

export function handWrittenNrrd(): Uint8Array {
  return withRaw([
    'NRRD0004', 'type: short', 'dimension: 3', 'space: left-posterior-superior', 'sizes: 5 4 3',
    'space directions: (0,0.5,0) (-0.75,0,0) (0,0,2)', 'kinds: domain domain domain', 'endian: little', 'encoding: raw',
    'space origin: (10,-20,30)', '', '',
  ].join('\n'));
}

/**
 * tiny_a's graph with every Conv attribute written out (kernel_shape, strides, dilations, group), as exporters
 * such as torch.onnx write them; built with Debian's python3-onnx. Returns null when that is not installed.
 */
export function explicitConvModel(): Uint8Array | null {
  const script = `
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
rng = np.random.default_rng(0)
w = lambda n, s, k=0.5: numpy_helper.from_array((rng.standard_normal(s) * k).astype(np.float32), n)
inits = [w('w0', (4, 1, 3, 3)), w('b0', (4,), 0.1), w('w1', (6, 4, 3, 3)), w('b1', (6,), 0.1), w('wh', (2, 4, 1, 1)), w('bh', (2,), 0.1)]
conv = lambda i, o, k, p: helper.make_node('Conv', i, o, kernel_shape=[k, k], strides=[1, 1], dilations=[1, 1], group=1, pads=[p] * 4)
nodes = [conv(['image', 'w0', 'b0'], ['c0'], 3, 1), helper.make_node('Relu', ['c0'], ['dec0']),
         helper.make_node('MaxPool', ['dec0'], ['p0'], kernel_shape=[2, 2], strides=[2, 2]),
         conv(['p0', 'w1', 'b1'], ['c1'], 3, 1), helper.make_node('Relu', ['c1'], ['dec1']), conv(['dec0', 'wh', 'bh'], ['logits'], 1, 0)]
vi = lambda n, c, h, w_: helper.make_tensor_value_info(n, TensorProto.FLOAT, ['N', c, h, w_])
g = helper.make_graph(nodes, 'tiny2d_explicit', [vi('image', 1, 'H', 'W')], [vi('logits', 2, 'H', 'W'), vi('dec0', 4, 'H', 'W'), vi('dec1', 6, 'H2', 'W2')], inits)
m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)])
m.ir_version = 8
onnx.checker.check_model(m)
sys.stdout.buffer.write(m.SerializeToString())
`;
  try {
    return new Uint8Array(execFileSync('/usr/bin/python3', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] }));
  } catch {
    return null;
  }
}
