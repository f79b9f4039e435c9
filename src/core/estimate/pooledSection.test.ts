// The pooled section through the reference vectors (basic, imbalanced, single_class at their own tolerance)
// and its key rules: which keys a given input allows, and typed errors on invalid input.
import { describe, expect, it } from 'vitest';
import { TeError } from '../errors.ts';
import { compareNested, loadVector } from '../../../test/support/referenceVectors.ts';
import { estimatePooled } from './pooledSection.ts';
import type { VectorInput } from './schema.ts';

const PROB_KEYS = ['leep', 'nce'];
const FEATURE_KEYS = ['logme_fixed_point', 'logme_icml', 'logme_tllib', 'transrate_appendix_eps1e-4',
  'transrate_official_eig_eps1e-4', 'gbc_diagonal', 'gbc_spherical', 'hscore'];
const POOLED = new Set([...PROB_KEYS, ...FEATURE_KEYS, 'gbc_diagonal_pca8']);

describe('estimatePooled on the reference vectors', () => {
  for (const name of ['basic', 'imbalanced', 'single_class']) {
    it(`${name}: the pooled keys of expected, within the vector's tolerance`, () => {
      const v = loadVector(name);
      const want = Object.fromEntries(Object.entries(v.expected).filter(([k]) => POOLED.has(k)));
      const got = estimatePooled(v.input as VectorInput, () => {});
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      expect(compareNested(got, want, v.tolerance)).toEqual([]);
    });
  }

  it('single_class: warns about the single class; the class-separation scores are 0 (up to rounding)', () => {
    const v = loadVector('single_class');
    const warnings: string[] = [];
    const got = estimatePooled(v.input as VectorInput, (m) => warnings.push(m)) as Record<string, number>;
    expect(warnings.some((m) => m.includes('only one target class'))).toBe(true);
    for (const k of ['nce', 'transrate_appendix_eps1e-4', 'transrate_official_eig_eps1e-4', 'gbc_diagonal', 'gbc_spherical']) expect(Math.abs(got[k])).toBe(0);
    expect(Math.abs(got.leep)).toBeLessThan(1e-7); // rounded stored probabilities: −2.7e-8, spec §3
    expect(Math.abs(got.hscore)).toBeLessThan(1e-20);
    expect(Number.isFinite(got.logme_fixed_point) && got.logme_fixed_point !== 0).toBe(true);
  });
});

describe('estimatePooled key rules', () => {
  const features = [[0, 1, 2], [1, 0, 1], [2, 2, 0], [0, 2, 1], [3, 1, 1], [1, 1, 3]];
  const labels = [0, 0, 0, 1, 1, 1];
  const probs = features.map((_, i) => (i % 2 ? [0.3, 0.7] : [0.6, 0.4]));

  it('computes only what the present keys allow', () => {
    expect(estimatePooled({}, () => {})).toEqual({});
    expect(estimatePooled({ features }, () => {})).toEqual({});
    expect(estimatePooled({ source_probs: probs }, () => {})).toEqual({});
    expect(Object.keys(estimatePooled({ source_probs: probs, labels }, () => {})).sort()).toEqual(PROB_KEYS);
    // D = 3 ≤ 8: no gbc_diagonal_pca8 (as in single_class, D = 8).
    expect(Object.keys(estimatePooled({ features, labels }, () => {})).sort()).toEqual([...FEATURE_KEYS].sort());
  });

  it('adds gbc_diagonal_pca8 when D > 8 and N ≥ 8', () => {
    const wide = Array.from({ length: 12 }, (_, i) => Array.from({ length: 9 }, (_, j) => Math.sin(i * 9 + j)));
    const y = wide.map((_, i) => i % 2);
    expect(estimatePooled({ features: wide, labels: y }, () => {})).toHaveProperty('gbc_diagonal_pca8');
    const warnings: string[] = [];
    const short = estimatePooled({ features: wide.slice(0, 6), labels: y.slice(0, 6) }, (m) => warnings.push(m));
    expect(short).not.toHaveProperty('gbc_diagonal_pca8');
    expect(warnings.some((m) => m.includes('gbc_diagonal_pca8'))).toBe(true);
  });

  it('remaps non-contiguous labels with a warning and gives the same numbers', () => {
    const warnings: string[] = [];
    const gapped = estimatePooled({ features, labels: labels.map((l) => l * 4 + 1), source_probs: probs }, (m) => warnings.push(m));
    expect(gapped).toEqual(estimatePooled({ features, labels, source_probs: probs }, () => {}));
    expect(warnings.some((m) => m.includes('remapped'))).toBe(true);
  });

  it('throws typed errors on invalid input', () => {
    const bad: [VectorInput, string][] = [
      [{ features: [[1, 2], [3]], labels: [0, 1] }, 'invalid-input'],
      [{ features: [[1, 2], [3, 'x']], labels: [0, 1] } as unknown as VectorInput, 'invalid-input'],
      [{ features, labels: labels.slice(1) }, 'shape-mismatch'],
      [{ features, labels: labels.map((l) => l + 0.5) }, 'invalid-input'],
      [{ source_probs: probs, labels: [0, 1] }, 'shape-mismatch'],
      [{ features: [[1, 2]], labels: [0] }, 'too-few-samples'],
    ];
    for (const [input, code] of bad) {
      let caught: unknown;
      try {
        estimatePooled(input, () => {});
      } catch (e) {
        caught = e;
      }
      expect(caught, JSON.stringify(input)).toBeInstanceOf(TeError);
      expect((caught as TeError).code).toBe(code);
    }
  });
});
