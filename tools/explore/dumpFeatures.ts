// Third-round exploration (docs/estimators/hocs.md): dumps the demo study's sampled decoder features of every 2-D demo
// model on every demo target to .scratch/explore/<target>.bin/.json for tools/explore/round3.py. Not part of the product.
//   npx tsx tools/explore/dumpFeatures.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { nodePorts } from '../../src/adapters/nodePorts.ts';
import { demoModels, demoTargets } from '../../src/cli/demoBank.ts';
import { runStudy, type StudySpec } from '../../src/core/pipeline/runStudy.ts';
const ports = nodePorts();
mkdirSync('.scratch/explore', { recursive: true });
for (const target of demoTargets()) {
  const models = demoModels();
  const spec: StudySpec = { target, models, seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 0, embeddingPoints: 0, dice: target.dice, estimators: ['hocs'] };
  const index: Record<string, string | number>[] = []; const bufs: Buffer[] = []; let off = 0;
  await runStudy(spec, ports, { onFeatures: (id, f) => {
    for (const l of f.layers) for (const c of l.cases) {
      const x = Buffer.from(Float32Array.from(c.features).buffer); const y = Buffer.from(c.labels.buffer.slice(c.labels.byteOffset, c.labels.byteOffset + c.labels.byteLength));
      index.push({ model: id, layer: l.name, stride: l.stride, ch: l.channels, case: c.caseId, n: c.labels.length, xoff: off, yoff: off + x.length });
      bufs.push(x, y); off += x.length + y.length;
    }
    f.sourceProbs.forEach((p, i) => { const b = Buffer.from(Float32Array.from(p).buffer); index.push({ model: id, probs: i, k: f.numSourceClasses, off }); bufs.push(b); off += b.length; });
  } });
  writeFileSync(`.scratch/explore/${target.id}.bin`, Buffer.concat(bufs));
  writeFileSync(`.scratch/explore/${target.id}.json`, JSON.stringify(index));
  console.log(target.id, index.length);
}
