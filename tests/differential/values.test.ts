import { describe, expect, it } from 'vitest';
import { ValType } from '../../src/frontend/index.js';
import { Prng, deriveSeed } from './prng.js';
import { chooseArgument, encodeResults, encodeValue, ExternTokens, f64BitsHex } from './values.js';

/** A NaN Number with the given f64 bits. */
function nanWithBits(bits: bigint): number {
  const b = new BigUint64Array([bits]);
  return new Float64Array(b.buffer)[0];
}

describe('encodeValue', () => {
  const externs = new ExternTokens();

  it('writes integers exactly, i64 as signed BigInt', () => {
    expect(encodeValue(ValType.I32, -2147483648, externs)).toBe('i32:-2147483648');
    expect(encodeValue(ValType.I64, 0xffffffffffffffffn, externs)).toBe('i64:-1');
    expect(encodeValue(ValType.I64, 5, externs)).toBe('i64:bad(number)');
    expect(encodeValue(ValType.I32, 1.5, externs)).toBe('i32:bad(number 1.5)');
  });

  it('keeps -0, and NaN sign and payload bits', () => {
    expect(encodeValue(ValType.F64, -0, externs)).toBe('f64:-0');
    expect(encodeValue(ValType.F64, 0, externs)).toBe('f64:0');
    expect(encodeValue(ValType.F32, 0.1, externs)).toBe('f32:0.1');
    expect(encodeValue(ValType.F64, nanWithBits(0x7ff8000000000001n), externs)).toBe('f64:nan:0x7ff8000000000001');
    expect(encodeValue(ValType.F64, nanWithBits(0xfff8000000000000n), externs)).toBe('f64:nan:0xfff8000000000000');
    expect(f64BitsHex(1)).toBe('3ff0000000000000');
  });

  it('names references by identity (externref tokens) or by function name and arity', () => {
    const tokens = new ExternTokens();
    expect(encodeValue(ValType.EXTERNREF, tokens.token(2), tokens)).toBe('externref:token#2');
    expect(encodeValue(ValType.EXTERNREF, {}, tokens)).toBe('externref:foreign(object)');
    expect(encodeValue(ValType.EXTERNREF, null, tokens)).toBe('externref:null');
    function f3(a: number, b: number) {
      return a + b;
    }
    expect(encodeValue(ValType.FUNCREF, f3, tokens)).toBe('funcref:func(name=f3,length=2)');
    expect(encodeValue(ValType.FUNCREF, null, tokens)).toBe('funcref:null');
  });

  it('encodes no, one and several results (the JS API returns an array for several)', () => {
    expect(encodeResults(Uint8Array.of(), undefined, externs)).toEqual([]);
    expect(encodeResults(Uint8Array.of(ValType.I32), 7, externs)).toEqual(['i32:7']);
    expect(encodeResults(Uint8Array.of(ValType.I32, ValType.I64), [7, 8n], externs)).toEqual(['i32:7', 'i64:8']);
    expect(encodeResults(Uint8Array.of(ValType.I32, ValType.I64), 7, externs)).toEqual(['unexpected(number)']);
  });
});

describe('arguments', () => {
  it('are deterministic per seed, of the right JS type, and never NaN', () => {
    const draw = (seed: number) => {
      const prng = new Prng(seed);
      const externs = new ExternTokens();
      const out: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        for (const t of [ValType.I32, ValType.I64, ValType.F32, ValType.F64]) out.push(chooseArgument(t, prng, externs));
      }
      return out;
    };
    const a = draw(9);
    expect(draw(9)).toEqual(a);
    expect(draw(10)).not.toEqual(a);
    for (let i = 0; i < a.length; i += 4) {
      expect(Number.isInteger(a[i]) && (a[i] as number) >= -(2 ** 31) && (a[i] as number) < 2 ** 31).toBe(true);
      expect(typeof a[i + 1]).toBe('bigint');
      expect(Math.fround(a[i + 2] as number)).toBe(a[i + 2]);
      expect(Number.isNaN(a[i + 3])).toBe(false);
    }
    expect(new Set(a.filter((_, i) => i % 4 === 0)).size).toBeGreaterThan(50);
  });

  it('derive well-spread seeds', () => {
    const seeds = new Set(Array.from({ length: 1000 }, (_, i) => deriveSeed(1, i)));
    expect(seeds.size).toBe(1000);
    expect(deriveSeed(1, 0)).not.toBe(deriveSeed(2, 0));
  });
});
