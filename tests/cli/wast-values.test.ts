// Value parsing, formatting, NaN classes, lane packing, trap-kind matching and JS API conversions of the spec-test
// runner: the pieces every verdict rests on.
import { describe, expect, test } from 'vitest';
import {
  compareResults,
  formatValue,
  isNanOfKind,
  isQuietedNan,
  JsValueCodec,
  matchesExpected,
  parseExpected,
  parseValue,
  trapKindOfSpecText,
  trapKindsOfMessage,
  WastValueError,
  type WastValue,
} from '../../src/cli/wast/index.js';
import { f32Bits, f32FromBits, f64Bits, f64FromBits, packLanes, unpackLanes } from '../../src/cli/wast/values.js';
import { isSignallingNan } from '../../src/cli/wast/expected.js';

const i32 = (bits: bigint): WastValue => ({ type: 'i32', bits });
const f32 = (bits: bigint): WastValue => ({ type: 'f32', bits });
const f64 = (bits: bigint): WastValue => ({ type: 'f64', bits });

describe('parseValue', () => {
  test('integers are unsigned decimal bit patterns', () => {
    expect(parseValue({ type: 'i32', value: '4294967295' }, 'a')).toEqual({ type: 'i32', bits: 0xffffffffn });
    expect(parseValue({ type: 'i64', value: '18446744073709551615' }, 'a')).toEqual({ type: 'i64', bits: (1n << 64n) - 1n });
    expect(parseValue({ type: 'i32', value: '0' }, 'a')).toEqual({ type: 'i32', bits: 0n });
  });

  test('floats are the decimal of their bit pattern, kept exactly (signalling NaN, -0)', () => {
    expect(parseValue({ type: 'f32', value: '2141192192' }, 'a')).toEqual({ type: 'f32', bits: 0x7fa00000n });
    expect(parseValue({ type: 'f64', value: '9223372036854775808' }, 'a')).toEqual({ type: 'f64', bits: 1n << 63n });
  });

  test('v128 lanes pack little-endian, lane 0 lowest', () => {
    const v = parseValue({ type: 'v128', lane_type: 'i32', value: ['1', '2', '3', '4294967295'] }, 'a');
    expect(v).toEqual({ type: 'v128', bits: 0xffffffff_00000003_00000002_00000001n });
    const bytes = parseValue({ type: 'v128', lane_type: 'i8', value: [...Array(16).keys()].map(String) }, 'a');
    expect(bytes).toEqual({ type: 'v128', bits: 0x0f0e0d0c_0b0a0908_07060504_03020100n });
    expect(unpackLanes('i16', packLanes('i16', [1n, 2n, 3n, 4n, 5n, 6n, 7n, 0xffffn]))).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 0xffffn]);
  });

  test('references: null or a host-reference number', () => {
    expect(parseValue({ type: 'externref', value: '42' }, 'a')).toEqual({ type: 'externref', ref: 42 });
    expect(parseValue({ type: 'funcref', value: 'null' }, 'a')).toEqual({ type: 'funcref', ref: null });
  });

  test('bad values say what and where', () => {
    expect(() => parseValue({ type: 'i32', value: '4294967296' }, 'line 7 arg 0')).toThrow(
      new WastValueError('line 7 arg 0: 4294967296 does not fit in 32 bits'),
    );
    expect(() => parseValue({ type: 'i32', value: '-1' }, 'x')).toThrow(/unsigned decimal/);
    expect(() => parseValue({ type: 'i16', value: '1' }, 'x')).toThrow(/unknown value type "i16"/);
    expect(() => parseValue({ type: 'v128', lane_type: 'i32', value: ['1'] }, 'x')).toThrow(/needs 4 lane strings/);
    expect(() => parseValue({ type: 'f32', value: 'nan:canonical' }, 'x')).toThrow(/unsigned decimal/);
  });
});

describe('float bits', () => {
  test('round trips through DataView', () => {
    expect(f32Bits(1.5)).toBe(0x3fc00000n);
    expect(f32FromBits(0x3fc00000n)).toBe(1.5);
    expect(f64Bits(-0)).toBe(1n << 63n);
    expect(Object.is(f64FromBits(1n << 63n), -0)).toBe(true);
    expect(f64Bits(f64FromBits(0x7ff8_0000_dead_beefn))).toBe(0x7ff8_0000_dead_beefn);
  });
});

describe('NaN classes', () => {
  test('canonical: only the quiet bit in the fraction, either sign', () => {
    expect(isNanOfKind(0x7fc00000n, 32, 'canonical')).toBe(true);
    expect(isNanOfKind(0xffc00000n, 32, 'canonical')).toBe(true);
    expect(isNanOfKind(0x7fc00001n, 32, 'canonical')).toBe(false);
    expect(isNanOfKind(0x7fa00000n, 32, 'canonical')).toBe(false);
    expect(isNanOfKind(0x7ff8000000000000n, 64, 'canonical')).toBe(true);
    expect(isNanOfKind(0xfff8000000000000n, 64, 'canonical')).toBe(true);
    expect(isNanOfKind(0x7ff8000000000001n, 64, 'canonical')).toBe(false);
  });

  test('arithmetic: quiet bit set, any payload, either sign; never a signalling NaN or infinity', () => {
    expect(isNanOfKind(0x7fc00001n, 32, 'arithmetic')).toBe(true);
    expect(isNanOfKind(0xffffffffn, 32, 'arithmetic')).toBe(true);
    expect(isNanOfKind(0x7fa00000n, 32, 'arithmetic')).toBe(false);
    expect(isNanOfKind(0x7f800000n, 32, 'arithmetic')).toBe(false);
    expect(isNanOfKind(0x7ffc000000000000n, 64, 'arithmetic')).toBe(true);
    expect(isNanOfKind(0x7ff4000000000000n, 64, 'arithmetic')).toBe(false);
  });

  test('signalling NaN: quiet bit clear, payload non-zero', () => {
    expect(isSignallingNan(0x7fa00000n, 32)).toBe(true);
    expect(isSignallingNan(0x7f800000n, 32)).toBe(false); // infinity
    expect(isSignallingNan(0x7fc00000n, 32)).toBe(false);
    expect(isSignallingNan(0xfff4000000000000n, 64)).toBe(true);
  });
});

describe('matching expected results', () => {
  test('floats compare by bits: -0 is not +0, a NaN payload must be exact', () => {
    const zero = parseExpected({ type: 'f32', value: '0' }, 'e');
    expect(matchesExpected(zero, f32(0n))).toBe(true);
    expect(matchesExpected(zero, f32(0x80000000n))).toBe(false);
    const nan = parseExpected({ type: 'f64', value: String(0x7ff4000000000000n) }, 'e');
    expect(matchesExpected(nan, f64(0x7ff4000000000000n))).toBe(true);
    expect(matchesExpected(nan, f64(0x7ff8000000000000n))).toBe(false);
  });

  test('NaN patterns', () => {
    const canonical = parseExpected({ type: 'f32', value: 'nan:canonical' }, 'e');
    expect(matchesExpected(canonical, f32(0xffc00000n))).toBe(true);
    expect(matchesExpected(canonical, f32(0x7fc00001n))).toBe(false);
    expect(matchesExpected(canonical, f64(0x7ff8000000000000n))).toBe(false); // wrong type
    const arithmetic = parseExpected({ type: 'f64', value: 'nan:arithmetic' }, 'e');
    expect(matchesExpected(arithmetic, f64(0xfff8000000000123n))).toBe(true);
    expect(() => parseExpected({ type: 'i32', value: 'nan:canonical' }, 'e')).toThrow(/not a NaN class of i32/);
  });

  test('v128 lanes, with NaN classes per lane', () => {
    const expected = parseExpected(
      { type: 'v128', lane_type: 'f32', value: ['nan:canonical', '1065353216', 'nan:arithmetic', '0'] },
      'e',
    );
    const vector = (lanes: bigint[]): WastValue => ({ type: 'v128', bits: packLanes('f32', lanes) });
    expect(matchesExpected(expected, vector([0x7fc00000n, 0x3f800000n, 0xffc01234n, 0n]))).toBe(true);
    expect(matchesExpected(expected, vector([0x7fc00000n, 0x3f800000n, 0x7fa00000n, 0n]))).toBe(false);
    expect(matchesExpected(expected, vector([0x7fc00000n, 0x3f800000n, 0x7fc00000n, 0x80000000n]))).toBe(false);
  });

  test('references: exact, null, or any non-null', () => {
    const any = parseExpected({ type: 'externref' }, 'e');
    expect(matchesExpected(any, { type: 'externref', ref: 3 })).toBe(true);
    expect(matchesExpected(any, { type: 'externref', ref: null })).toBe(false);
    const three = parseExpected({ type: 'externref', value: '3' }, 'e');
    expect(matchesExpected(three, { type: 'externref', ref: 3 })).toBe(true);
    expect(matchesExpected(three, { type: 'externref', ref: 4 })).toBe(false);
    expect(matchesExpected(parseExpected({ type: 'funcref', value: 'null' }, 'e'), { type: 'funcref', ref: null })).toBe(true);
  });

  test('compareResults names the first difference; quieted NaNs only when allowed', () => {
    const expected = [parseExpected({ type: 'i32', value: '1' }, 'e'), parseExpected({ type: 'f32', value: String(0x7fa00000) }, 'e')];
    expect(compareResults(expected, [i32(1n), f32(0x7fa00000n)])).toEqual({ mismatch: null, quieted: [] });
    expect(compareResults(expected, [i32(2n), f32(0x7fa00000n)]).mismatch).toBe('result 0: expected i32:1, got i32:2');
    expect(compareResults(expected, [i32(1n)]).mismatch).toBe('expected 2 result(s), got 1: [i32:1]');
    const quieted = [i32(1n), f32(0x7fe00000n)];
    expect(compareResults(expected, quieted).mismatch).toBe(
      'result 1: expected f32:NaN (0x7fa00000), got f32:NaN (0x7fe00000)',
    );
    expect(compareResults(expected, quieted, true)).toEqual({ mismatch: null, quieted: [1] });
    // Another payload is still a mismatch, even on the JS-number channel.
    expect(compareResults(expected, [i32(1n), f32(0x7fe00001n)], true).mismatch).toMatch(/^result 1:/);
    expect(isQuietedNan(expected[1]!, f32(0x7fc00000n))).toBe(false);
  });
});

describe('formatValue', () => {
  test('integers unsigned with the signed reading, floats with bits, vectors by lane', () => {
    expect(formatValue(i32(0xffffffffn))).toBe('i32:4294967295 (-1)');
    expect(formatValue(f32(0x3fc00000n))).toBe('f32:1.5 (0x3fc00000)');
    expect(formatValue(f64(1n << 63n))).toBe('f64:-0 (0x8000000000000000)');
    expect(formatValue({ type: 'v128', bits: packLanes('i32', [1n, 2n, 3n, 4n]) })).toBe('v128:i32x4[1 2 3 4]');
    expect(formatValue({ type: 'externref', ref: null })).toBe('externref:null');
  });
});

describe('trap kinds', () => {
  test('spec texts', () => {
    expect(trapKindOfSpecText('integer divide by zero')).toBe('int_divz');
    expect(trapKindOfSpecText('uninitialized element 2')).toBe('indirect_null');
    expect(trapKindOfSpecText('undefined element')).toBe('table_oob');
    expect(trapKindOfSpecText('indirect call type mismatch')).toBe('bad_sig');
    expect(trapKindOfSpecText('something new')).toBeNull();
  });

  test("V8's and kindling's messages", () => {
    expect(trapKindsOfMessage('divide by zero')).toEqual(['int_divz']);
    expect(trapKindsOfMessage('memory access out of bounds')).toEqual(['heap_oob']);
    expect(trapKindsOfMessage('table index is out of bounds')).toEqual(['table_oob']);
    expect(trapKindsOfMessage('null function or function signature mismatch')).toEqual(['indirect_null', 'bad_sig']);
    expect(trapKindsOfMessage('float unrepresentable in integer range')).toEqual(['bad_conversion', 'int_ovf']);
    expect(trapKindsOfMessage('Maximum call stack size exceeded')).toEqual(['stack_overflow']);
    expect(trapKindsOfMessage('indirect call to null')).toEqual(['indirect_null']);
    expect(trapKindsOfMessage('indirect call signature mismatch')).toEqual(['bad_sig']);
    expect(trapKindsOfMessage('out of bounds memory access')).toEqual(['heap_oob']);
    expect(trapKindsOfMessage('no idea')).toEqual([]);
  });
});

describe('JsValueCodec (JS API conversions)', () => {
  test('i32 signed Number, i64 signed BigInt, floats from bits', () => {
    const codec = new JsValueCodec();
    expect(codec.toJs(i32(0xffffffffn))).toBe(-1);
    expect(codec.toJs({ type: 'i64', bits: (1n << 64n) - 2n })).toBe(-2n);
    expect(codec.toJs(f32(0x3fc00000n))).toBe(1.5);
    expect(codec.fromJs('i32', -1)).toEqual(i32(0xffffffffn));
    expect(codec.fromJs('i64', -2n)).toEqual({ type: 'i64', bits: (1n << 64n) - 2n });
    expect(codec.fromJs('f64', -0)).toEqual(f64(1n << 63n));
    expect(() => codec.fromJs('i64', 1)).toThrow(TypeError);
    expect(() => codec.toJs({ type: 'v128', bits: 0n })).toThrow(/v128/);
  });

  test('host references keep their identity both ways', () => {
    const codec = new JsValueCodec();
    const ref = codec.toJs({ type: 'externref', ref: 7 });
    expect(codec.toJs({ type: 'externref', ref: 7 })).toBe(ref);
    expect(codec.fromJs('externref', ref)).toEqual({ type: 'externref', ref: 7 });
    expect(codec.fromJs('externref', null)).toEqual({ type: 'externref', ref: null });
    const fn = (): void => {};
    const id = (codec.fromJs('funcref', fn) as { ref: number }).ref;
    expect(codec.fromJs('funcref', fn)).toEqual({ type: 'funcref', ref: id });
    expect(codec.toJs({ type: 'funcref', ref: id })).toBe(fn);
  });
});
