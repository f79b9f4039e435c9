// DICOM series in Node (fixtures made by test/fixtures/dicom/make_dicom_series.py): a good series stacks in
// spatial order with the right spacing; missing positions and uneven spacing are refused, naming the files.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readVolumeNode } from './nodePorts.ts';

const DIR = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'dicom');
const series = (name: string) => readdirSync(join(DIR, name)).sort().map((f) => ({ name: `${name}/${f}`, bytes: readFileSync(join(DIR, name, f)) }));

describe('DICOM series (Node)', () => {
  it('stacks a good series by position, not by file name', async () => {
    const v = await readVolumeNode(series('good'));
    expect(v.size).toEqual([8, 8, 4]);
    expect(v.spacing[0]).toBeCloseTo(0.5, 6);
    expect(v.spacing[2]).toBeCloseTo(2.5, 6);
    expect(v.origin.map((x) => +x.toFixed(4))).toEqual([-2, -2, 0]);
    // Slice n (at z = 2.5 n) holds 100 n + pixel index; files are named in reverse order.
    for (let k = 0; k < 4; k++) expect(v.data[k * 64 + 9]).toBe(100 * k + 9);
  });

  it('refuses uneven spacing and missing positions, naming the files', async () => {
    await expect(readVolumeNode(series('uneven'))).rejects.toThrow(/uneven slice spacing: 3\.500 mm between uneven\/img02\.dcm and uneven\/img03\.dcm|uneven slice spacing/);
    await expect(readVolumeNode(series('missing'))).rejects.toThrow(/missing\/img02\.dcm: missing or invalid ImagePositionPatient/);
  });

  it('refuses a file that is not DICOM', async () => {
    await expect(readVolumeNode([{ name: 'scan.dcm', bytes: new TextEncoder().encode('hello') }])).rejects.toThrow(/scan\.dcm: not a readable DICOM file/);
  });
});
