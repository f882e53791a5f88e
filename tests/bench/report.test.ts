import { describe, expect, it } from 'vitest';
import { geomeans, programReport } from '../../bench/harness/report.js';
import { formatMs, formatRatio, geomeanRows, programRows, tableHeader } from '../../bench/harness/table.js';
import { fakeOutcome } from './fixtures.js';

describe('program report', () => {
  const outcome = fakeOutcome('alpha', {
    'v8-liftoff': { run: [21, 20, 30], compile: [1, 1, 2] },
    'v8-turbofan': { run: [10, 12, 11], compile: [4, 4, 4] },
    kindling: { run: [40, 44, 42], compile: [8, 8, 8] },
    'kindling+fuel:variable': { run: [63, 63, 63], compile: [9, 9, 9], fuel: '123456' },
  });
  const report = programReport(outcome);

  it('summarises samples and computes ratios against TurboFan and kindling without fuel', () => {
    const liftoff = report.engines['v8-liftoff']!;
    expect(liftoff.runMs).toEqual({ count: 3, median: 21, min: 20, max: 30, mean: 71 / 3 });
    expect(liftoff.runVsTurbofan).toBeCloseTo(21 / 11, 12);
    expect(liftoff.compileVsTurbofan).toBeCloseTo(1 / 4, 12);
    expect(liftoff.runVsKindling).toBeCloseTo(21 / 42, 12);
    expect(report.engines['v8-turbofan']!.runVsTurbofan).toBe(1);
    expect(report.engines['kindling+fuel:variable']!.runVsKindling).toBeCloseTo(1.5, 12);
    expect(report.engines['kindling+fuel:variable']!.fuel).toBe('123456');
  });

  it('geomeans per engine over programs', () => {
    const other = programReport(
      fakeOutcome('beta', { 'v8-liftoff': { run: [80], compile: [1] }, 'v8-turbofan': { run: [10], compile: [1] } }),
    );
    const g = geomeans([report, other], ['v8-liftoff', 'kindling']);
    expect(g['v8-liftoff']!.runVsTurbofan).toBeCloseTo(Math.sqrt((21 / 11) * 8), 12);
    expect(g['v8-liftoff']!.programs).toBe(2);
    expect(g.kindling!.programs).toBe(1);
    expect(g.kindling!.runVsTurbofan).toBeCloseTo(42 / 11, 12);
  });

  it('a failed engine has no summaries, keeps its error, and gives others no ratio against it', () => {
    const failed = programReport(fakeOutcome('gamma', { 'v8-liftoff': { run: [5], compile: [1] }, 'v8-turbofan': { run: [3], compile: [1], error: 'child crashed' } }));
    expect(failed.engines['v8-turbofan']).toMatchObject({ ok: false, error: 'child crashed' });
    expect(failed.engines['v8-turbofan']!.runMs).toBeUndefined();
    expect(failed.engines['v8-liftoff']!.runVsTurbofan).toBeUndefined();
  });
});

describe('terminal table', () => {
  it('formats numbers to about three significant digits', () => {
    expect([formatMs(0.4567), formatMs(12.345), formatMs(1234.5), formatMs(undefined)]).toEqual(['0.46', '12.3', '1235', '–']);
    expect([formatRatio(1.234), formatRatio(12.34), formatRatio(undefined)]).toEqual(['1.23', '12.3', '–']);
  });

  it('prints one aligned row per engine, the program name on the first, failures with their error', () => {
    const report = programReport(
      fakeOutcome('alpha', { 'v8-liftoff': { run: [21, 20, 30], compile: [1, 1, 2] }, 'v8-turbofan': { run: [10, 12, 11], compile: [4, 4, 4] }, kindling: { run: [], compile: [], error: 'CHECKSUM MISMATCH: x' } }),
    );
    const rows = programRows(report, ['v8-liftoff', 'v8-turbofan', 'kindling']);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^alpha\s+v8-liftoff\s+1\.00\s+21\.0\s+\[20\.0 – 30\.0\]\s+1\.91\s+–\s+–$/);
    expect(rows[1]).toMatch(/^\s+v8-turbofan\s+4\.00\s+11\.0\s+\[10\.0 – 12\.0\]\s+1\.00/);
    expect(rows[2]).toMatch(/kindling\s+FAILED\s+CHECKSUM MISMATCH: x$/);
    const header = tableHeader()[0]!;
    expect(rows[0]!.indexOf('v8-liftoff')).toBe(header.indexOf('engine'));
  });

  it('geomean rows', () => {
    const rows = geomeanRows({ 'v8-liftoff': { programs: 2, runVsTurbofan: 2.5, compileVsTurbofan: 0.2 } }, ['v8-liftoff'], 2);
    expect(rows[0]).toContain('geomean over 2 program(s)');
    expect(rows[1]).toMatch(/^\s+v8-liftoff\s+0\.20\s+2\.50\s+–$/);
  });
});
