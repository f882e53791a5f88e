// The direct call paths (direct-entry.ts, direct-import.ts) used for i32/f32/f64 signatures: the JS API's value
// conversions, the out-of-band trap and exception flags, reentrancy, and agreement with the generic slot paths.
import { describe, expect, it } from 'vitest';
import { Instance, Module, RuntimeError } from '../../src/index.js';
import { hasDirectShape } from '../../src/runtime/signature-shape.js';
import { ValType } from '../../src/frontend/value-types.js';
import { wat } from './wat.js';

const SOURCE = `(module
  (import "env" "host" (func $host (param i32 f32 f64) (result f64)))
  (import "env" "i" (func $i (result i32)))
  (func (export "id") (param i32) (result i32) (local.get 0))
  (func (export "f32") (param f32) (result f32) (local.get 0))
  (func (export "mix") (param f32 f64 i32) (result f64)
    (f64.add (f64.add (f64.promote_f32 (local.get 0)) (local.get 1)) (f64.convert_i32_s (local.get 2))))
  (func (export "sum5") (param i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)) (local.get 4)))
  (func (export "sum6") (param i32 i32 i32 i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.add (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)) (local.get 4)) (local.get 5)))
  (func (export "floats8") (param f64 f64 f64 f64 f64 f64 f64 f64) (result f64)
    (f64.add (f64.add (f64.add (local.get 0) (local.get 1)) (f64.add (local.get 2) (local.get 3)))
             (f64.add (f64.add (local.get 4) (local.get 5)) (f64.add (local.get 6) (local.get 7)))))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "div64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
  (func (export "callHost") (param i32 f32 f64) (result f64) (call $host (local.get 0) (local.get 1) (local.get 2)))
  (func (export "callI") (result i32) (i32.add (call $i) (i32.const 1)))
  (func (export "nothing")))`;

let hostImpl: (...args: number[]) => unknown = () => 0;
let iImpl: () => unknown = () => 0;
const receivers: unknown[] = [];

async function make(): Promise<Record<string, any>> {
  const imports = {
    env: {
      host(this: unknown, ...args: number[]) {
        receivers.push(this);
        return hostImpl(...args);
      },
      i: () => iImpl(),
    },
  };
  return new Instance(new Module(await wat(SOURCE)), imports).exports as Record<string, any>;
}

describe('which signatures go direct', () => {
  it('i32/f32/f64 with everything in registers and at most one result', () => {
    const t = (params: number[], results: number[]) => hasDirectShape({ params: Uint8Array.from(params), results: Uint8Array.from(results) });
    const [I32, I64, F32, F64, EXTERNREF] = [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.EXTERNREF];
    expect(t([I32], [I32])).toBe(true);
    expect(t([], [])).toBe(true);
    expect(t([F32, F64, I32], [F64])).toBe(true);
    expect(t([I32, I32, I32, I32, I32], [I32])).toBe(true);
    expect(t([I32, I32, I32, I32, I32, I32], [I32])).toBe(false);
    expect(t(Array(8).fill(F64), [F64])).toBe(true);
    expect(t(Array(9).fill(F64), [F64])).toBe(false);
    expect(t([I64], [])).toBe(false);
    expect(t([I32], [I32, I32])).toBe(false);
    expect(t([EXTERNREF], [])).toBe(false);
  });
});

describe('JS → wasm', () => {
  it('converts arguments like the JS API (ToInt32, ToNumber) and rejects BigInt and Symbol', async () => {
    const e = await make();
    expect(e.id('5')).toBe(5);
    expect(e.id({ valueOf: () => 7 })).toBe(7);
    expect(e.id(2 ** 32 + 3)).toBe(3);
    expect(e.id(-1.9)).toBe(-1);
    expect(e.id(NaN)).toBe(0);
    expect(e.id(undefined)).toBe(0);
    expect(e.id()).toBe(0);
    expect(() => e.id(1n)).toThrow(TypeError);
    expect(() => e.id(Symbol('s'))).toThrow(TypeError);
    expect(e.f32(0.1)).toBe(Math.fround(0.1));
    expect(e.f32('2.5')).toBe(2.5);
    expect(Number.isNaN(e.f32(NaN))).toBe(true);
    expect(e.mix(1.5, 2.25, -4)).toBe(-0.25);
    expect(e.nothing()).toBeUndefined();
  });

  it('agrees with the generic path at the register limits', async () => {
    const e = await make();
    expect(e.sum5(1, 2, 3, 4, 5)).toBe(15);
    expect(e.sum6(1, 2, 3, 4, 5, 6)).toBe(21); // six i32: the generic slot path
    expect(e.floats8(1, 2, 3, 4, 5, 6, 7, 8.5)).toBe(36.5);
  });

  it('a conversion that calls wasm in between does not disturb the outer call', async () => {
    const e = await make();
    const sneaky = { valueOf: () => e.id(100) + e.sum5(1, 1, 1, 1, 1) };
    expect(e.div(sneaky, 5)).toBe(21);
  });

  it('a trap is reported once, and neither path sees a stale trap afterwards', async () => {
    const e = await make();
    expect(() => e.div(1, 0)).toThrow(RuntimeError);
    expect(e.div(9, 3)).toBe(3);
    expect(() => e.div64(1n, 0n)).toThrow(/integer divide by zero/);
    expect(e.id(4)).toBe(4);
    expect(() => e.div(-2147483648, -1)).toThrow(/integer overflow/);
    expect(e.div64(9n, 3n)).toBe(3n);
  });
});

describe('wasm → JS', () => {
  it('passes i32/f32/f64 as numbers, calls with this = undefined, converts the result', async () => {
    const e = await make();
    receivers.length = 0;
    let seen: number[] = [];
    hostImpl = (...args) => {
      seen = args;
      return '0.5';
    };
    expect(e.callHost(-3, 1.25, 1e300)).toBe(0.5);
    expect(seen).toEqual([-3, 1.25, 1e300]);
    expect(receivers).toEqual([undefined]);
    iImpl = () => ({ valueOf: () => 41 });
    expect(e.callI()).toBe(42);
  });

  it('an exception in the host function reaches the caller unchanged; later calls are unaffected', async () => {
    const e = await make();
    const boom = new Error('boom');
    iImpl = () => {
      throw boom;
    };
    expect(() => e.callI()).toThrow(boom);
    iImpl = () => 1n; // ToInt32 of a BigInt: TypeError, raised through wasm
    expect(() => e.callI()).toThrow(TypeError);
    iImpl = () => 1;
    expect(e.callI()).toBe(2);
    expect(e.id(8)).toBe(8);
  });

  it('nests: wasm → JS → wasm → JS', async () => {
    const e = await make();
    iImpl = () => e.callHost(2, 0, 0);
    hostImpl = (x) => x * 10;
    expect(e.callI()).toBe(21);
  });
});
