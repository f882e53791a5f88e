import { afterAll, describe, expect, it } from 'vitest';
import { nativeFunction } from '../../native/call.js';
import { registerCallback, type NativeCallback } from '../../native/callback.js';
import { allocateCode, mapCode, type CodeRegion } from '../../native/code-memory.js';
import type { NativeSignature } from '../../native/signature.js';
import { ADD_I32, CALL_ARG_FN, THUNK, THUNK_TARGET_OFFSET } from './stubs.js';

const regions: CodeRegion[] = [];
const callbacks: NativeCallback[] = [];
afterAll(() => {
  for (const c of callbacks) c.unregister();
  for (const r of regions) r.free();
});

/** Machine code that forwards its arguments to `target` (embedded as imm64) and returns its result. */
function thunkTo(target: bigint): bigint {
  const region = allocateCode(THUNK.length);
  region.write(0, THUNK);
  region.writeU64(THUNK_TARGET_OFFSET, target);
  region.seal();
  regions.push(region);
  return region.address;
}

function register<const S extends NativeSignature>(fn: Parameters<typeof registerCallback<S>>[0], sig: S): NativeCallback {
  const callback = registerCallback(fn, sig);
  callbacks.push(callback);
  return callback;
}

describe('registerCallback', () => {
  it('machine code calls a JS callback through a pointer passed in rsi and uses its result', () => {
    const sig = { params: ['i32', 'i32'], result: 'i32' } as const;
    const seen: Array<[number, number]> = [];
    const multiply = register((a, b) => {
      seen.push([a, b]);
      return a * b;
    }, sig);
    expect(typeof multiply.address).toBe('bigint');
    expect(multiply.addressNumber).toBe(Number(multiply.address));
    const callIt = nativeFunction(mapCode(CALL_ARG_FN).address, { params: ['i32', 'ptr'], result: 'i32' });
    expect(callIt(7, multiply.address)).toBe(71); // 7 * 10 + 1
    expect(callIt(-3, multiply.address)).toBe(-29);
    expect(seen).toEqual([[7, 10], [-3, 10]]);
  });

  it('a callback embedded as imm64 gets i32 arguments and returns through the machine code', () => {
    const sig = { params: ['i32', 'i32', 'i32'], result: 'i32' } as const;
    const cb = register((a, b, c) => a - b * c, sig);
    const f = nativeFunction(thunkTo(cb.address), sig);
    expect(f(100, 3, 4)).toBe(88);
    expect(f(-2147483648, 1, 1)).toBe(2147483647); // the i32 result wraps on the way back
  });

  it('passes i64 as bigint both ways, whatever the magnitude', () => {
    const sig = { params: ['i64', 'i64'], result: 'i64' } as const;
    const types: string[] = [];
    const cb = register((a, b) => {
      types.push(typeof a, typeof b);
      return a * b - 1n;
    }, sig);
    const f = nativeFunction(thunkTo(cb.address), sig);
    expect(f(3n, 4n)).toBe(11n);
    expect(f(2n ** 40n, 2n ** 20n)).toBe(2n ** 60n - 1n);
    expect(f(-(2n ** 62n), 2n)).toBe(-(2n ** 63n) - 1n + 2n ** 64n); // wraps to i64 max
    expect(new Set(types)).toEqual(new Set(['bigint']));
  });

  it('passes f64 and f32 with NaN and -0 intact', () => {
    const sig = { params: ['f64', 'f32'], result: 'f64' } as const;
    const cb = register((x, y) => x * 2 + y, sig);
    const f = nativeFunction(thunkTo(cb.address), sig);
    expect(f(1.25, 0.5)).toBe(3);
    expect(f(Number.NaN, 0)).toBeNaN();
    expect(Object.is(f(-0, -0), -0)).toBe(true);
    const passF32 = register((x: number) => x, { params: ['f32'], result: 'f32' });
    const g = nativeFunction(thunkTo(passF32.address), { params: ['f32'], result: 'f32' });
    expect(g(0.1)).toBe(Math.fround(0.1));
  });

  it('passes pointers as bigint (NULL as 0n) and void results', () => {
    const got: bigint[] = [];
    const sig = { params: ['ptr', 'u32'], result: 'void' } as const;
    const cb = register((p, n) => {
      got.push(p, BigInt(n));
    }, sig);
    const f = nativeFunction(thunkTo(cb.address), sig);
    expect(f(0xdead0000n, 0xffffffff)).toBeUndefined();
    expect(f(null, 1)).toBeUndefined();
    expect(got).toEqual([0xdead0000n, 0xffffffffn, 0n, 1n]);
  });

  it('a callback can call back into machine code (nested)', () => {
    const add = nativeFunction(mapCode(ADD_I32).address, { params: ['i32', 'i32'], result: 'i32' });
    const sig = { params: ['i32', 'i32'], result: 'i32' } as const;
    const cb = register((a, b) => add(a, b) * 2, sig);
    const outer = nativeFunction(thunkTo(cb.address), sig);
    expect(outer(20, 1)).toBe(42);
  });

  it('recursion machine code → JS → machine code → JS … 120 levels deep', () => {
    const sig = { params: ['i32'], result: 'i32' } as const;
    let entry: (n: number) => number = () => 0;
    let maxDepth = 0;
    const cb = register((n) => {
      maxDepth = Math.max(maxDepth, n);
      return n === 0 ? 0 : entry(n - 1) + 2;
    }, sig);
    entry = nativeFunction(thunkTo(cb.address), sig);
    expect(entry(120)).toBe(240);
    expect(maxDepth).toBe(120);
    // Far too deep: V8's stack limit stops it with a catchable RangeError, and the bridge still works afterwards.
    expect(() => entry(100_000)).toThrow(RangeError);
    expect(entry(3)).toBe(6);
  });

  it('unregister is idempotent and flips registered', () => {
    const cb = registerCallback(() => 1, { params: [], result: 'i32' });
    expect(cb.registered).toBe(true);
    cb.unregister();
    cb.unregister();
    expect(cb.registered).toBe(false);
  });

  it('a throwing callback: machine code sees 0, the exception surfaces from the outer call', () => {
    const sig = { params: ['i32'], result: 'i32' } as const;
    const cb = register(() => {
      throw new Error('boom from JS');
    }, sig);
    // CALL_ARG_FN returns fn(a, 10) + 1: seeing 1 would mean the machine code went on with 0; koffi rethrows instead.
    const callIt = nativeFunction(mapCode(CALL_ARG_FN).address, { params: ['i32', 'ptr'], result: 'i32' });
    expect(() => callIt(5, cb.address)).toThrow('boom from JS');
    // And the bridge keeps working afterwards.
    const ok = register((a: number, b: number) => a + b, { params: ['i32', 'i32'], result: 'i32' });
    expect(callIt(5, ok.address)).toBe(16);
  });

  it('rejects bad input with clear messages', () => {
    expect(() => registerCallback(42 as never, { params: [], result: 'void' })).toThrow(/registerCallback: expected a function, got number/);
    expect(() => registerCallback(() => 0, { params: ['x'] as never, result: 'i32' })).toThrow(
      /registerCallback: parameter 0 has invalid type x/,
    );
  });
});
