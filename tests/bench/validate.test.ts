import { describe, expect, it } from 'vitest';
import { agreedFuel, checksumProblem, fuelProblem } from '../../bench/harness/validate.js';

describe('checksum validation', () => {
  it('passes the expected checksum and names everything in a mismatch', () => {
    expect(checksumProblem('fib', 'v8-liftoff', 20, '0x0000abcd', '0x0000abcd')).toBeUndefined();
    const problem = checksumProblem('fib', 'kindling', 20, '0x0000abcd', '0x0000abce');
    expect(problem).toBe('CHECKSUM MISMATCH: fib n=20 on kindling returned 0x0000abce, the manifest expects 0x0000abcd');
  });
});

describe('fuel consistency', () => {
  const obs = (engine: string, iteration: number, fuel: string | null) => ({ engine, iteration, fuel });

  it('accepts one identical count across strategies and runs', () => {
    const all = [obs('kindling+fuel:variable', 0, '123456789012345678'), obs('kindling+fuel:memory', 0, '123456789012345678'), obs('kindling+fuel:variable', 1, '123456789012345678')];
    expect(fuelProblem('fib', all)).toBeUndefined();
    expect(agreedFuel(all)).toBe('123456789012345678');
    expect(fuelProblem('fib', [])).toBeUndefined();
    expect(agreedFuel([])).toBeNull();
  });

  it('fails loudly when strategies disagree, listing who reported what', () => {
    const problem = fuelProblem('sieve', [obs('kindling+fuel:variable', 0, '1000'), obs('kindling+fuel:memory', 0, '1001'), obs('kindling+fuel:variable', 1, '1000')]);
    expect(problem).toBe('FUEL MISMATCH: sieve: fuel consumed must be identical across strategies and runs, got 1000 (kindling+fuel:variable#0, kindling+fuel:variable#1); 1001 (kindling+fuel:memory#0)');
  });

  it('fails when runs of one strategy disagree, or a metering engine reports no fuel', () => {
    expect(fuelProblem('fib', [obs('kindling+fuel:memory', 0, '7'), obs('kindling+fuel:memory', 1, '8')])).toMatch(/^FUEL MISMATCH: fib/);
    expect(fuelProblem('fib', [obs('kindling+fuel:memory', 0, null)])).toMatch(/none \(kindling\+fuel:memory#0\)/);
  });
});
