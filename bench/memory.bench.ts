// Peak memory of the CLI on a 512 × 512 × 300 volume (issue 4 target: under the volume's float32 size + 1 GiB).
// Writes a synthetic int16 CT-sized NIfTI + label to a temp folder, runs `bin/transferlens rank` under
// /usr/bin/time and prints the maximum resident set size next to the budget. Part of `npm run bench`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNifti } from '../test/support/niftiWriter.ts';
import type { BenchCase } from './types.ts';

function measure(): void {

const [nx, ny, nz] = [512, 512, 300];
const dir = mkdtempSync(join(tmpdir(), 'tl-mem-'));
const img = new Int16Array(nx * ny * nz), lab = new Uint8Array(nx * ny * nz);
for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
  const p = i + nx * (j + ny * k), d = Math.hypot(i - 256, j - 256);
  img[p] = d < 200 ? 40 + ((i * 7 + j * 3 + k) % 50) : -1000;
  lab[p] = d < 120 + (k % 40) ? 1 : 0;
}
writeFileSync(join(dir, 'ct.nii.gz'), writeNifti({ dims: [nx, ny, nz], data: img, datatype: 4, pixdim: [0.7, 0.7, 1], gzip: true }));
writeFileSync(join(dir, 'ct-label.nii.gz'), writeNifti({ dims: [nx, ny, nz], data: lab, datatype: 2, pixdim: [0.7, 0.7, 1], gzip: true }));
const bin = join(import.meta.dirname, '..', 'bin', 'transferlens');
const model = join(import.meta.dirname, '..', 'test', 'fixtures', 'models', 'tiny_a.onnx');
const slices = Array.from({ length: 10 }, (_, i) => 20 + 25 * i).join(',');
const r = spawnSync('/usr/bin/time', ['-f', '%M %e', bin, 'rank', '--models', model, '--images', join(dir, 'ct.nii.gz'), '--labels', join(dir, 'ct-label.nii.gz'),
  '--slices', slices, '--resamples', '50', '--quiet', '--out', join(dir, 'r.json')], { encoding: 'utf8' });
const [kb, secs] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
const volumeMiB = (nx * ny * nz * 4) / 1024 ** 2;
process.stderr.write(`  CLI peak RSS on ${nx}×${ny}×${nz} (int16 NIfTI, 10 slice cases): ${(kb / 1024).toFixed(0)} MiB in ${secs} s; budget = float32 volume ${volumeMiB.toFixed(0)} MiB + 1024 MiB = ${(volumeMiB + 1024).toFixed(0)} MiB (exit ${r.status})\n`);
process.stderr.write(`  peak RSS ${(kb / 1024).toFixed(0)} MiB vs budget ${(volumeMiB + 1024).toFixed(0)} MiB\n`);
rmSync(dir, { recursive: true, force: true });
}

export const cases: BenchCase[] = [{ name: 'CLI peak memory, 512×512×300 volume (bin/transferlens rank under /usr/bin/time)', params: {}, setup: () => null, run: measure, repeats: 1 }];
