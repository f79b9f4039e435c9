// runStudy with the validation additions (tiny seeded ONNX models, synthetic target): HOCS scored with an
// interval, collapse diagnostics per model and layer, and case-bootstrap replicates aligned with the intervals.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStudy, type StudySpec } from '../../src/core/pipeline/runStudy.ts';
import { nodePorts } from '../../src/adapters/nodePorts.ts';
import { percentileSorted } from '../../src/core/stats/bootstrap.ts';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const MODELS = join(import.meta.dirname, '..', 'fixtures', 'models');
const model = (id: string) => ({
  manifest: JSON.parse(readFileSync(join(MODELS, `${id}.json`), 'utf8')),
  file: { name: `${id}.onnx`, bytes: readFileSync(join(MODELS, `${id}.onnx`)) },
});
const t = syntheticTarget();
const spec: StudySpec = {
  target: { id: 'synth', image: [{ name: 'img.nii.gz', bytes: t.image }], label: [{ name: 'lab.nii.gz', bytes: t.label }], classNames: t.classNames, axis: 2 },
  models: [model('tiny_a'), model('tiny_b')],
  seed: 0, caseUnit: 'slice', sampling: 'official', bootstrapResamples: 40, embeddingPoints: 10,
};

describe('study report: own estimator, diagnostics, replicates', () => {
  it('scores hocs with an interval, diagnoses every layer and keeps replicates matching the intervals', async () => {
    const s = await runStudy(spec, nodePorts());
    for (const m of s.models) {
      const h = m.scores.hocs;
      expect(h.value).toBeGreaterThan(0);
      expect(h.value).toBeLessThanOrEqual(1);
      expect(h.ci).not.toBeNull();
      expect(m.scores.hocs_finest.value).not.toBeNull();
      const d = m.diagnostics!;
      expect(d.layers.map((l) => l.layer)).toEqual(m.layers.map((l) => l.name));
      for (const l of d.layers) expect(l.dead_channel_share).toBeGreaterThanOrEqual(0);
      expect(typeof d.collapsed).toBe('boolean');
      expect(d.source_head_dice === null || (d.source_head_dice >= 0 && d.source_head_dice <= 1)).toBe(true);
      // replicate b is the score on bootstrap resample b: their percentiles are the reported interval
      for (const k of ['hocs', 'hscore', 'ccfv_official', 'leep']) {
        const r = m.replicates![k];
        expect(r).toHaveLength(40);
        const sorted = Float64Array.from(r.filter((v): v is number => v !== null)).sort();
        expect(percentileSorted(sorted, 0.025)).toBeCloseTo(m.scores[k].ci![0], 5);
        expect(percentileSorted(sorted, 0.975)).toBeCloseTo(m.scores[k].ci![1], 5);
      }
    }
  });
});
