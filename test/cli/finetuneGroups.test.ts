// `transferlens finetune --groups G.json` on the tiny U-Net fixture: a parameter moved into a new group gives that
// group its own LR curve and (last-layer) makes it the only trained one; bad JSON, a non-object and an unknown
// parameter are refused with the file and the parameter named.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { syntheticTarget } from '../support/syntheticTarget.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'transferlens');

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tl-ftg-'));
  const t = syntheticTarget({ nx: 32, ny: 32, nz: 9 });
  writeFileSync(join(dir, 'img.nii.gz'), t.image);
  writeFileSync(join(dir, 'lab.nii.gz'), t.label);
  copyFileSync(join(ROOT, 'test', 'fixtures', 'finetune', 'tiny_unet.onnx'), join(dir, 'm.onnx'));
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ id: 'm', name: 'm', dim: 2, in_channels: 1, num_classes: 3, class_names: ['a', 'b', 'c'],
    normalization: 'percentile_0.5_99.5_to_0_1', input_multiple: 16, input_name: 'image', logits_name: 'logits', features: [{ name: 'dec0', stride: 1, channels: 2 }] }));
  return dir;
}
const run = (args: string[]) => spawnSync(BIN, ['finetune', ...args], { encoding: 'utf8', timeout: 180_000 });

describe('transferlens finetune --groups', () => {
  const dir = setup();
  const base = ['--model', join(dir, 'm.onnx'), '--images', join(dir, 'img.nii.gz'), '--labels', join(dir, 'lab.nii.gz'), '--train-cases', '1,5', '--iterations', '2', '--batch', '2', '--quiet'];
  const file = (name: string, text: string) => { const f = join(dir, name); writeFileSync(f, text); return f; };

  it('moves parameters: head.bias in its own last group is the only one last-layer trains; the first conv into enc.1', () => {
    const g = file('g.json', JSON.stringify({ 'head.bias': 'head-bias', ...Object.fromEntries(['enc.0.net.0.weight', 'enc.0.net.0.bias'].map((p) => [p, 'enc.1'])) }));
    const r = run([...base, '--scheme', 'last-layer', '--groups', g]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    // groups are ordered by first use: the model's first conv now belongs to enc.1, so enc.1 comes before enc.0
    // (which keeps enc.0.net.1/3/4)
    expect(out.provenance.groups).toEqual(['enc.1', 'enc.0', 'enc.2', 'enc.3', 'bott', 'up.3', 'dec.3', 'up.2', 'dec.2', 'up.1', 'dec.1', 'up.0', 'dec.0', 'head', 'head-bias']);
    expect(out.provenance.trainable).toEqual([...new Array(14).fill(false), true]);
    expect(Object.keys(out.curves.lrs)).toEqual(out.provenance.groups);
    expect(out.provenance.groupOverrides['head.bias']).toBe('head-bias');
  });

  it('names the file and the problem: bad JSON, not an object, an unknown parameter, no such file', () => {
    const cases: [string, RegExp][] = [
      [file('bad.json', '{"head.bias": '), /--groups .*bad\.json: not valid JSON/],
      [file('arr.json', '["head.bias"]'), /--groups .*arr\.json: must be a JSON object/],
      [file('unk.json', '{"head.bias": "h", "enc.9.conv.weight": "x"}'), /--groups .*unk\.json \(model m\): unknown parameter "enc\.9\.conv\.weight"/],
      [join(dir, 'missing.json'), /--groups .*missing\.json: no such file/],
    ];
    for (const [f, re] of cases) {
      const r = run([...base, '--groups', f]);
      expect(r.status, f).not.toBe(0);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
    }
    expect(readFileSync(join(dir, 'unk.json'), 'utf8')).toContain('enc.9');
  });
});
