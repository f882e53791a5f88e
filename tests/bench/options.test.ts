import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from '../../bench/harness/options.js';

describe('bench options', () => {
  it('defaults: default sizes, 5 runs, 1 warm-up, all engines and programs', () => {
    expect(parseBenchArgs([])).toEqual({
      size: 'default', engines: undefined, programs: undefined, runs: 5, warmup: 1, outDir: undefined, programsDir: undefined, timeoutMs: 300_000, write: true, userModule: undefined,
    });
  });

  it('--quick selects quick sizes and 3 runs unless --runs says otherwise', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ size: 'quick', runs: 3 });
    expect(parseBenchArgs(['--quick', '--runs', '7'])).toMatchObject({ size: 'quick', runs: 7 });
    expect(parseBenchArgs(['--runs=2', '--size=tiny', '--warmup', '0'])).toMatchObject({ size: 'tiny', runs: 2, warmup: 0 });
  });

  it('parses engine and program lists', () => {
    const o = parseBenchArgs(['--engines', 'v8-turbofan,kindling+fuel:memory', '--programs', 'fib, sieve', '--no-write', '--timeout', '9']);
    expect(o).toMatchObject({ engines: ['v8-turbofan', 'kindling+fuel:memory'], programs: ['fib', 'sieve'], write: false, timeoutMs: 9000 });
  });

  it('rejects unknown options, unknown engines and bad numbers', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(new UsageError('unknown option "--fast"'));
    expect(() => parseBenchArgs(['--engines', 'v8,spidermonkey'])).toThrow('unknown engine(s) v8, spidermonkey');
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow('--runs needs a positive integer, got "0"');
    expect(() => parseBenchArgs(['--runs'])).toThrow('--runs needs a positive integer, got nothing');
    expect(() => parseBenchArgs(['--size', 'huge'])).toThrow(/--size must be one of tiny, quick, default/);
  });

  it('--help', () => {
    expect(parseBenchArgs(['--runs', '3', '--help'])).toBe('help');
  });
});
