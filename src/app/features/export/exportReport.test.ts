// Tests of the export builders: the report wrapper has the CLI's schema fields, and the ranking CSV has one row
// per model with value, interval and rank per estimator (a comma in a name is quoted).
import { describe, expect, it } from 'vitest';
import type { StudyReport } from '../../../core/pipeline/report.ts';
import { rankingCsv, reportJson } from './exportReport.ts';
import { parseDice, diceFor } from '../load/diceFile.ts';

const study = {
  target: 't', models: [{ id: 'a,1', provider: 'wasm', seconds: 1.5, scores: { k: { value: 2, ci: [1, 3], rank: 1 } } }],
  dice: { 'a,1': { mean: 0.9 } },
} as unknown as StudyReport;

describe('export', () => {
  it('wraps the study in the CLI report schema', () => {
    expect(reportJson(study, 'browser', '2026-01-01T00:00:00Z')).toEqual({ schema: 'transferlens-report', version: 1, created: '2026-01-01T00:00:00Z', tool: { name: 'transferlens', version: '0.1.0', runtime: 'browser' }, studies: [study] });
  });
  it('writes the ranking CSV', () => {
    expect(rankingCsv(study)).toBe('target,model,provider,seconds,finetuned_dice,k,k_ci_low,k_ci_high,k_rank\nt,"a,1",wasm,1.500,0.9,2,1,3,1\n');
  });
});

describe('Dice files', () => {
  it('reads the CLI formats and picks a target’s own table before a target-less one', () => {
    const csv = parseDice('d.csv', 'model,dice\nm1,0.5,0.7\nm2,0.4\n');
    expect(csv['*'].m1).toEqual({ mean: 0.6, dice: [0.5, 0.7] });
    const json = parseDice('d.json', JSON.stringify({ targets: { t1: { m1: { mean: 0.8, sd: 0.1 } } } }));
    expect(json.t1.m1.mean).toBe(0.8);
    expect(parseDice('e.json', JSON.stringify({ m1: 0.3 }))['*'].m1).toEqual({ mean: 0.3 });
    expect(diceFor([{ tables: csv }, { tables: json }], 't1')!.m1.mean).toBe(0.8);
    expect(diceFor([{ tables: csv }, { tables: json }], 'other')!.m1.mean).toBe(0.6);
    expect(() => parseDice('bad.csv', 'model,dice\nm1,x\n')).toThrow(/bad\.csv: row "m1,x" has no Dice value/);
    expect(() => parseDice('bad.json', JSON.stringify({ m1: 'high' }))).toThrow(/bad\.json/);
  });
});
