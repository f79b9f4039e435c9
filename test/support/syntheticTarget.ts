// A small synthetic labelled volume for pipeline tests: a bright disc (class 1) and, optionally, a ring
// (class 2) whose radius changes from slice to slice, plus seeded noise; written as NIfTI bytes.
import { createRng } from '../../src/core/sampling/rng.ts';
import { writeNifti } from './niftiWriter.ts';

export function syntheticTarget(opts: { nx?: number; ny?: number; nz?: number; classes?: 2 | 3; seed?: number } = {}) {
  const nx = opts.nx ?? 16, ny = opts.ny ?? 16, nz = opts.nz ?? 6, classes = opts.classes ?? 2;
  const rng = createRng(opts.seed ?? 1);
  const img: number[] = [], lab: number[] = [];
  for (let k = 0; k < nz; k++) {
    const r = 3 + (k % 3);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const d = Math.hypot(i - nx / 2, j - ny / 2);
        const l = d < r ? 1 : classes === 3 && d < r + 2 ? 2 : 0;
        lab.push(l);
        img.push(100 * l + 20 * rng.normal() + 50);
      }
    }
  }
  const geometry = { dims: [nx, ny, nz], pixdim: [1, 1, 2] };
  return {
    image: writeNifti({ ...geometry, data: img, datatype: 16, gzip: true }),
    label: writeNifti({ ...geometry, data: lab, datatype: 2, gzip: true }),
    classNames: classes === 3 ? ['background', 'disc', 'ring'] : ['background', 'disc'],
  };
}
