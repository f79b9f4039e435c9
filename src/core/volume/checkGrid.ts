// Checks that a label map lies on its image's grid (size, spacing, origin, direction within tolerance)
// and that its values are the declared classes (issue 4 §1). Errors name both files and what differs.
import { TeError } from '../errors.ts';
import type { Volume } from '../types.ts';

/** Tolerances: spacing/origin relative to the voxel size, direction cosines absolute. */
export const GRID_TOLERANCE = { spacingRel: 1e-4, originVoxels: 1e-3, direction: 1e-4 };

export function checkSameGrid(image: Volume, label: Volume): void {
  const fail = (what: string) => {
    throw new TeError('shape-mismatch', `${label.name} does not lie on the grid of ${image.name}: ${what}`, { image: image.name, label: label.name });
  };
  if (image.size.some((s, i) => s !== label.size[i])) fail(`size ${label.size.join('×')} vs ${image.size.join('×')}`);
  for (let i = 0; i < 3; i++) {
    if (Math.abs(image.spacing[i] - label.spacing[i]) > GRID_TOLERANCE.spacingRel * image.spacing[i]) {
      fail(`spacing ${label.spacing.map((v) => +v.toFixed(5)).join('×')} mm vs ${image.spacing.map((v) => +v.toFixed(5)).join('×')} mm`);
    }
  }
  const minSpacing = Math.min(...image.spacing);
  for (let i = 0; i < 3; i++) {
    if (Math.abs(image.origin[i] - label.origin[i]) > GRID_TOLERANCE.originVoxels * minSpacing) {
      fail(`origin (${label.origin.map((v) => +v.toFixed(3)).join(', ')}) vs (${image.origin.map((v) => +v.toFixed(3)).join(', ')}) mm`);
    }
  }
  for (let i = 0; i < 9; i++) {
    if (Math.abs(image.direction[i] - label.direction[i]) > GRID_TOLERANCE.direction) fail('direction (orientation) differs');
  }
}

/**
 * Validates label values (integers 0..numClasses−1) and returns voxel counts per class.
 * Non-integer or out-of-range values are an error naming the file, the value and one voxel.
 */
export function countLabels(label: Volume, numClasses: number, classNames?: string[]): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < label.data.length; i++) {
    const v = label.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= numClasses) {
      const declared = classNames ? `declared classes 0..${numClasses - 1} (${classNames.join(', ')})` : `declared classes 0..${numClasses - 1}`;
      throw new TeError('invalid-input', `${label.name}: label value ${v} at voxel ${i} is outside the ${declared}`, { file: label.name, value: v });
    }
    counts[v]++;
  }
  return counts;
}
