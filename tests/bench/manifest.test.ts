import { describe, expect, it } from 'vitest';
import { formatChecksum, ManifestError, selectPrograms, validateManifest } from '../../bench/harness/manifest.js';

const goodProgram = () => ({
  name: 'fib',
  description: 'recursive fib',
  source: 'fib.c',
  wasm: 'fib.wasm',
  sha256: 'ab'.repeat(32),
  entry: 'run',
  result: 'i32',
  sizes: { tiny: { n: 20, checksum: '0x0000abcd' }, quick: { n: 30, checksum: '0x0000abce' }, default: { n: 35, checksum: '0x0000abcf' } },
});

describe('manifest', () => {
  it('formats i32 results as unsigned 8-digit hex and i64 as 16 digits', () => {
    expect(formatChecksum(-1, 'i32')).toBe('0xffffffff');
    expect(formatChecksum(0x1234, 'i32')).toBe('0x00001234');
    expect(formatChecksum(-2n, 'i64')).toBe('0xfffffffffffffffe');
    expect(formatChecksum(0x12n, 'i64')).toBe('0x0000000000000012');
    expect(() => formatChecksum(1.5, 'i32')).toThrow(ManifestError);
    expect(() => formatChecksum(1, 'i64')).toThrow(/BigInt/);
  });

  it('accepts a well-formed manifest', () => {
    const m = validateManifest({ schema: 1, programs: [goodProgram()] });
    expect(m.programs[0]!.sizes.quick).toEqual({ n: 30, checksum: '0x0000abce' });
  });

  it('rejects bad shapes with the place and the problem', () => {
    expect(() => validateManifest({ schema: 2, programs: [goodProgram()] })).toThrow('manifest root: unsupported schema 2 (expected 1)');
    expect(() => validateManifest({ schema: 1, programs: [goodProgram(), goodProgram()] })).toThrow(/duplicate program "fib"/);
    const noQuick = goodProgram() as { sizes: Record<string, unknown> };
    delete noQuick.sizes.quick;
    expect(() => validateManifest({ schema: 1, programs: [noQuick] })).toThrow('manifest fib.sizes: missing size "quick"');
    const badChecksum = goodProgram();
    badChecksum.sizes.tiny.checksum = '0xABCD';
    expect(() => validateManifest({ schema: 1, programs: [badChecksum] })).toThrow(/fib\.sizes\.tiny\.checksum.*run bench\/build\.sh/);
    const negative = goodProgram();
    negative.sizes.default.n = -1;
    expect(() => validateManifest({ schema: 1, programs: [negative] })).toThrow(/fib\.sizes\.default\.n/);
  });

  it('accepts empty checksums and hashes only when not required (before build.sh records them)', () => {
    const fresh = goodProgram();
    fresh.sha256 = '';
    fresh.sizes.tiny.checksum = '';
    expect(() => validateManifest({ schema: 1, programs: [fresh] })).toThrow(/sha256/);
    expect(validateManifest({ schema: 1, programs: [fresh] }, false).programs[0]!.sizes.tiny.checksum).toBe('');
  });

  it('selects programs by name in manifest order and names unknown ones', () => {
    const second = { ...goodProgram(), name: 'sieve' };
    const m = validateManifest({ schema: 1, programs: [goodProgram(), second] });
    expect(selectPrograms(m, undefined).map((p) => p.name)).toEqual(['fib', 'sieve']);
    expect(selectPrograms(m, ['sieve', 'fib']).map((p) => p.name)).toEqual(['fib', 'sieve']);
    expect(() => selectPrograms(m, ['fib', 'nope'])).toThrow('unknown program(s) nope; known: fib, sieve');
  });
});
