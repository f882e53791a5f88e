/** LEB128 edge cases (overlong, unused bits, extremes), fixed words, names and UTF-8, bounds. */
import { describe, expect, it } from 'vitest';
import { BinaryReader } from '../../src/frontend/binary-reader.js';
import { CompileError } from '../../src/frontend/errors.js';
import { isWellFormedUtf8, decodeUtf8 } from '../../src/frontend/utf8.js';

const reader = (bytes: number[], end?: number) => new BinaryReader(Uint8Array.from(bytes), 0, end);

function errorOf(fn: () => unknown): CompileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw new Error(`expected CompileError, got ${String(e)}`);
  }
  throw new Error('expected CompileError, nothing thrown');
}

describe('u32 LEB128', () => {
  it.each([
    [[0x00], 0],
    [[0x7f], 127],
    [[0x80, 0x01], 128],
    [[0xe5, 0x8e, 0x26], 624485],
    [[0x80, 0x80, 0x80, 0x80, 0x00], 0], // 5-byte zero: long but legal
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
    [[0x80, 0x80, 0x80, 0x80, 0x08], 0x80000000],
  ])('%j → %d', (bytes, value) => {
    const r = reader(bytes);
    expect(r.readVarU32()).toBe(value);
    expect(r.pos).toBe(bytes.length);
  });

  it('rejects a sixth byte (representation too long) and unused bits in the fifth (too large)', () => {
    expect(errorOf(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).readVarU32()).reason).toBe('integer representation too long');
    const e = errorOf(() => reader([0xff, 0xff, 0xff, 0xff, 0x1f]).readVarU32());
    expect(e.reason).toBe('integer too large');
    expect(e.offset).toBe(4); // the offending byte
    expect(errorOf(() => reader([0x82, 0x80, 0x80, 0x80, 0x70]).readVarU32()).reason).toBe('integer too large');
  });

  it('stops at the reader end, not the buffer end', () => {
    const e = errorOf(() => reader([0x80, 0x80, 0x01], 2).readVarU32());
    expect(e.reason).toBe('unexpected end of section or function');
    expect(e.offset).toBe(2);
    expect(errorOf(() => reader([0x80]).readVarU32()).reason).toBe('unexpected end');
  });
});

describe('s32 LEB128', () => {
  it.each([
    [[0x00], 0],
    [[0x3f], 63],
    [[0x40], -64],
    [[0x7f], -1],
    [[0x80, 0x7f], -128],
    [[0xff, 0x00], 127],
    [[0xff, 0xff, 0xff, 0xff, 0x07], 0x7fffffff],
    [[0x80, 0x80, 0x80, 0x80, 0x78], -0x80000000],
    [[0xff, 0xff, 0xff, 0xff, 0x7f], -1], // 5-byte -1
    [[0x80, 0x80, 0x80, 0x80, 0x00], 0],
  ])('%j → %d', (bytes, value) => {
    expect(reader(bytes).readVarS32()).toBe(value);
  });

  it('requires the fifth byte to sign-extend bit 31', () => {
    // From the spec's binary-leb128 tests: 0 with unused bits set, -1 with unused bits unset.
    for (const bytes of [[0x80, 0x80, 0x80, 0x80, 0x70], [0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x1f], [0xff, 0xff, 0xff, 0xff, 0x4f]]) {
      expect(errorOf(() => reader(bytes).readVarS32()).reason).toBe('integer too large');
    }
    expect(errorOf(() => reader([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]).readVarS32()).reason).toBe('integer representation too long');
  });
});

describe('s33 LEB128 (block type indices)', () => {
  it.each([
    [[0x00], 0],
    [[0x40], -64],
    [[0x80, 0x01], 128],
    [[0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff], // largest type index: needs the 33rd bit
    [[0x80, 0x80, 0x80, 0x80, 0x70], -(2 ** 32)],
  ])('%j → %d', (bytes, value) => {
    expect(reader(bytes).readVarS33()).toBe(value);
  });

  it('rejects unused bits that do not repeat bit 32', () => {
    expect(errorOf(() => reader([0x80, 0x80, 0x80, 0x80, 0x20]).readVarS33()).reason).toBe('integer too large');
    expect(errorOf(() => reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).readVarS33()).reason).toBe('integer representation too long');
  });
});

describe('s64 LEB128 as int32 halves (no BigInt)', () => {
  const halves = (v: bigint) => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
  const encode = (v: bigint) => {
    const out: number[] = [];
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) return [...out, b];
      out.push(b | 0x80);
    }
  };
  const values = [0n, 1n, -1n, 63n, -64n, 64n, 0x7fffffffn, 0x80000000n, -0x80000000n, 0xffffffffn, 0x100000000n,
    -0x100000000n, 0x123456789abcdefn, -0x123456789abcdefn, (1n << 62n) - 1n, 1n << 62n, -(1n << 62n),
    0x7fffffffffffffffn, -0x8000000000000000n, 1n << 34n, 1n << 35n, -(1n << 34n), 1n << 55n, 1n << 56n, -(1n << 56n)];

  it.each(values.map((v) => [v.toString(), v] as const))('%s', (_, v) => {
    const r = reader(encode(v));
    r.readVarS64();
    expect([r.i64lo, r.i64hi]).toEqual(halves(v));
  });

  it('decodes every length with the sign extended, incl. padded 10-byte forms', () => {
    const r = reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]); // -1 in 10 bytes
    r.readVarS64();
    expect([r.i64lo, r.i64hi]).toEqual([-1, -1]);
    const z = reader([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]); // 0 in 10 bytes
    z.readVarS64();
    expect([z.i64lo, z.i64hi]).toEqual([0, 0]);
  });

  it('rejects unused bits in the tenth byte and an eleventh byte', () => {
    const tenth = (b: number, fill: number) => [...new Array(9).fill(fill), b];
    expect(errorOf(() => reader(tenth(0x7e, 0x80)).readVarS64()).reason).toBe('integer too large'); // 0 with unused bits set
    expect(errorOf(() => reader(tenth(0x01, 0xff)).readVarS64()).reason).toBe('integer too large'); // -1 with unused bits unset
    expect(errorOf(() => reader(tenth(0x02, 0x80)).readVarS64()).reason).toBe('integer too large');
    expect(errorOf(() => reader(tenth(0x41, 0xff)).readVarS64()).reason).toBe('integer too large');
    expect(errorOf(() => reader([...new Array(10).fill(0x80), 0x00]).readVarS64()).reason).toBe('integer representation too long');
  });
});

describe('fixed words, vectors, names', () => {
  it('reads little-endian words as int32', () => {
    const r = reader([0x00, 0x00, 0xc0, 0xff, 0x01, 0x02]);
    expect(r.readFixedI32()).toBe(0xffc00000 | 0);
    expect(errorOf(() => r.readFixedI32()).reason).toBe('unexpected end');
  });

  it('rejects a vector length larger than the bytes left, before allocating', () => {
    const e = errorOf(() => reader([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]).readVecLength(1));
    expect(e.reason).toMatch(/^unexpected end of section or function: 4294967295 elements declared, only 1 bytes left/);
    expect(e.offset).toBe(0);
  });

  it('reads UTF-8 names and rejects malformed ones', () => {
    const nameBytes = (bytes: number[]) => [bytes.length, ...bytes];
    expect(reader(nameBytes([0x68, 0x69])).readName()).toBe('hi');
    expect(reader(nameBytes([0xef, 0xbb, 0xbf, 0x61])).readName()).toBe('\ufeffa'); // a BOM is kept
    expect(reader(nameBytes([0xf0, 0x9f, 0x94, 0xa5])).readName()).toBe('🔥');
    const e = errorOf(() => reader(nameBytes([0x61, 0xc0, 0x80])).readName());
    expect(e.reason).toBe('malformed UTF-8 encoding');
    expect(errorOf(() => reader([5, 0x61]).readName()).reason).toMatch(/^length out of bounds/);
  });
});

describe('strict UTF-8', () => {
  const ok = (bytes: number[]) => isWellFormedUtf8(Uint8Array.from(bytes), 0, bytes.length);
  it('accepts well-formed text at every length and boundary', () => {
    for (const bytes of [[], [0x00], [0x7f], [0xc2, 0x80], [0xdf, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xee, 0x80, 0x80],
      [0xef, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf]]) {
      expect(ok(bytes), JSON.stringify(bytes)).toBe(true);
    }
  });
  it('rejects overlong forms, surrogates, code points above U+10FFFF, stray and truncated sequences', () => {
    for (const bytes of [[0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80],
      [0xff], [0xc2], [0xe1, 0x80], [0xf1, 0x80, 0x80], [0xc2, 0x41], [0xe1, 0x80, 0xc0]]) {
      expect(ok(bytes), JSON.stringify(bytes)).toBe(false);
    }
  });
  it('decodes what it accepts exactly as TextDecoder does', () => {
    const text = 'aé中🔥\u0000\ufeff';
    const bytes = new TextEncoder().encode(text);
    expect(decodeUtf8(bytes, 0, bytes.length)).toBe(text);
  });
});
