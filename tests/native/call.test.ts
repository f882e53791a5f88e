import { afterAll, describe, expect, it } from 'vitest';
import { nativeFunction } from '../../native/call.js';
import { mapCode, type CodeRegion } from '../../native/code-memory.js';
import { allocateNative, freeNative, readU32 } from '../../native/raw-memory.js';
import {
  ADD_F32, ADD_F64, ADD_I32, ADD_I64, IDENTITY_32, IDENTITY_64, LOAD_U32, MUL_F64, NEG_I64, STORE_U32,
} from './stubs.js';

const regions: CodeRegion[] = [];
function code(bytes: number[]): bigint {
  const region = mapCode(bytes);
  regions.push(region);
  return region.address;
}
afterAll(() => {
  for (const r of regions) r.free();
});

describe('nativeFunction: integers', () => {
  it('adds i32 with wrap-around and negative values', () => {
    const add = nativeFunction(code(ADD_I32), { params: ['i32', 'i32'], result: 'i32' });
    expect(add(2, 3)).toBe(5);
    expect(add(-5, 2)).toBe(-3);
    expect(add(-1, -1)).toBe(-2);
    expect(add(0x7fffffff, 1)).toBe(-0x80000000);
    expect(add(-0x80000000, -1)).toBe(0x7fffffff);
  });

  it('returns u32 results unsigned', () => {
    const id = nativeFunction(code(IDENTITY_32), { params: ['u32'], result: 'u32' });
    expect(id(0xffffffff)).toBe(0xffffffff);
    expect(id(0x80000000)).toBe(0x80000000);
    const asI32 = nativeFunction(code(IDENTITY_32), { params: ['u32'], result: 'i32' });
    expect(asI32(0xffffffff)).toBe(-1);
  });

  it('passes and returns i64 as bigint, always (large, negative, small)', () => {
    const add = nativeFunction(code(ADD_I64), { params: ['i64', 'i64'], result: 'i64' });
    expect(add(1n, 2n)).toBe(3n);
    expect(add(5, 7)).toBe(12n); // numbers are accepted as arguments; the result is still bigint
    expect(add(0x7fff_ffff_ffff_ffffn, 1n)).toBe(-0x8000_0000_0000_0000n);
    expect(add(-(2n ** 62n), -(2n ** 62n))).toBe(-(2n ** 63n));
    expect(add(2n ** 53n, 1n)).toBe(2n ** 53n + 1n); // beyond double precision: no rounding
    const neg = nativeFunction(code(NEG_I64), { params: ['i64'], result: 'i64' });
    expect(neg(1n)).toBe(-1n);
    expect(neg(-(2n ** 63n))).toBe(-(2n ** 63n));
    const u = nativeFunction(code(IDENTITY_64), { params: ['u64'], result: 'u64' });
    expect(u(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(u(0n)).toBe(0n);
  });
});

describe('nativeFunction: floats', () => {
  const addF64 = nativeFunction(code(ADD_F64), { params: ['f64', 'f64'], result: 'f64' });

  it('adds f64 including NaN, infinities and signed zeros', () => {
    expect(addF64(1.5, 2.25)).toBe(3.75);
    expect(addF64(0.1, 0.2)).toBe(0.1 + 0.2);
    expect(addF64(Number.NaN, 1)).toBeNaN();
    expect(addF64(Infinity, -Infinity)).toBeNaN();
    expect(Object.is(addF64(-0, -0), -0)).toBe(true);
    expect(Object.is(addF64(-0, 0), 0)).toBe(true);
    expect(addF64(Number.MAX_VALUE, Number.MAX_VALUE)).toBe(Infinity);
  });

  it('keeps the sign of -0 through multiplication', () => {
    const mul = nativeFunction(code(MUL_F64), { params: ['f64', 'f64'], result: 'f64' });
    expect(Object.is(mul(-0, 5), -0)).toBe(true);
    expect(Object.is(mul(-1, 0), -0)).toBe(true);
    expect(mul(3, 4)).toBe(12);
  });

  it('adds f32 with f32 rounding', () => {
    const add = nativeFunction(code(ADD_F32), { params: ['f32', 'f32'], result: 'f32' });
    expect(add(1.5, 2.25)).toBe(3.75);
    expect(add(0.1, 0.2)).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(add(Number.NaN, 0)).toBeNaN();
    expect(Object.is(add(-0, -0), -0)).toBe(true);
  });
});

describe('nativeFunction: pointers and void', () => {
  it('passes native addresses and typed arrays as ptr (no copy) and returns void as undefined', () => {
    const store = nativeFunction(code(STORE_U32), { params: ['ptr', 'i32'], result: 'void' });
    const load = nativeFunction(code(LOAD_U32), { params: ['ptr'], result: 'u32' });
    const block = allocateNative(16);
    expect(store(block + 4n, 0x12345678)).toBeUndefined();
    expect(readU32(block + 4n)).toBe(0x12345678);
    expect(load(block + 4n)).toBe(0x12345678);
    freeNative(block);

    const words = new Uint32Array(4);
    store(words.subarray(2), -1);
    expect(Array.from(words)).toEqual([0, 0, 0xffffffff, 0]);
    words[1] = 77;
    expect(load(new Uint32Array(words.buffer, 4, 1))).toBe(77);
  });

  it('returns ptr as bigint, with NULL as 0n', () => {
    const id = nativeFunction(code(IDENTITY_64), { params: ['ptr'], result: 'ptr' });
    expect(id(0x1234n)).toBe(0x1234n);
    expect(id(0n)).toBe(0n);
    expect(id(null)).toBe(0n);
    expect(id(4096)).toBe(4096n);
  });
});

describe('nativeFunction: errors', () => {
  it('rejects bad signatures and addresses with clear messages', () => {
    const address = code(ADD_I32);
    expect(() => nativeFunction(address, { params: ['i32', 'void'] as never, result: 'i32' })).toThrow(
      /nativeFunction: parameter 1 has invalid type void/,
    );
    expect(() => nativeFunction(address, { params: ['int'] as never, result: 'i32' })).toThrow(/parameter 0 has invalid type int/);
    expect(() => nativeFunction(address, { params: [], result: 'double' as never })).toThrow(/result has invalid type double/);
    expect(() => nativeFunction(0n, { params: [], result: 'void' })).toThrow(/nativeFunction: 0x0 is not a code address/);
    expect(() => nativeFunction(-5, { params: [], result: 'void' })).toThrow(/-5 is not a code address/);
  });

  it('rejects wrong argument counts and types without calling', () => {
    const add = nativeFunction(code(ADD_I32), { params: ['i32', 'i32'], result: 'i32' });
    expect(() => (add as (...a: unknown[]) => number)(1)).toThrow(/Expected 2 arguments, got 1/);
    expect(() => (add as (...a: unknown[]) => number)('x', 1)).toThrow(/expected number/);
  });
});
