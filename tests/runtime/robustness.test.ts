// Robustness: runaway recursion, runaway loops under fuel, throwing imports and traps inside nested wasm → JS → wasm
// calls each end in the right error, never a crash; afterwards the instance keeps working. Also the RuntimeError's
// message, trap code and stack with wasm frames.
import { describe, expect, it } from 'vitest';
import { Engine, Instance, Module, RuntimeError, Store } from '../../src/index.js';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { wat } from './wat.js';

const SOURCE = `(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "env" "host64" (func $host64 (param i64) (result i64)))
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func $wide (export "wide") (param i32 i64 f32 f64 i32 i64 f32 f64 i32 i64 f32 f64 i32 i64) (result i64)
    (call $wide (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6)
      (local.get 7) (local.get 8) (local.get 9) (local.get 10) (local.get 11) (local.get 12) (local.get 13)))
  (func $depth (export "depth") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.add (call $depth (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))) (else (i32.const 0))))
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "callHost") (param i32) (result i32) (i32.add (call $host (local.get 0)) (i32.const 1)))
  (func (export "callHost64") (param i64) (result i64) (call $host64 (local.get 0)))
  (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $middle (export "middle") (param i32) (result i32) (call $divide (i32.const 10) (local.get 0)))
)`;

let hostImpl: (x: number) => unknown = (x) => x;
let host64Impl: (x: bigint) => unknown = (x) => x;

async function make(engine?: Engine, store?: Store): Promise<Record<string, any>> {
  const module = new Module(await wat(SOURCE), engine ? { engine } : undefined);
  const imports = { env: { host: (x: number) => hostImpl(x), host64: (x: bigint) => host64Impl(x) } };
  return new Instance(module, imports, store ? { store } : undefined).exports as Record<string, any>;
}

describe('runaway recursion', () => {
  it('is a stack-overflow trap, and the instance keeps working afterwards', async () => {
    const e = await make();
    for (let i = 0; i < 3; i++) {
      try {
        e.recurse(0);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(RuntimeError);
        expect((error as RuntimeError).trap).toBe(TrapCode.stack_overflow);
        expect((error as Error).message).toBe('call stack exhausted');
      }
    }
    expect(e.depth(1000)).toBe(1000);
  });

  it('also with stack arguments in every frame', async () => {
    const e = await make();
    expect(() => e.wide(1, 2n, 3, 4, 5, 6n, 7, 8, 9, 10n, 11, 12, 13, 14n)).toThrow(/call stack exhausted/);
  });

  it('through JS: wasm → JS → wasm → … ends in an error thrown to the caller, never a crash', async () => {
    const e = await make();
    hostImpl = (x) => e.callHost(x + 1);
    let caught: unknown;
    try {
      e.callHost(0);
    } catch (error) {
      caught = error;
    }
    hostImpl = (x) => x;
    // Either V8's own stack limit (RangeError) or wasm's (RuntimeError) is hit first; both are errors, not crashes.
    expect(caught instanceof RangeError || caught instanceof RuntimeError).toBe(true);
    expect(e.callHost(41)).toBe(42);
  });
});

describe('runaway loops', () => {
  it('an infinite loop under a fuel budget stops with out of fuel, having used exactly the budget', async () => {
    const engine = new Engine({ consumeFuel: true });
    const store = new Store(engine);
    const e = await make(engine, store);
    for (const budget of [1, 1000, 250_000]) {
      store.setFuel(budget);
      const before = store.fuelConsumed();
      expect(() => e.spin()).toThrow(/all fuel consumed/);
      expect(store.fuelConsumed() - before).toBe(BigInt(budget));
      expect(store.getFuel()).toBe(0n);
    }
    store.setFuel(100);
    expect(e.callHost(1)).toBe(2);
  });
});

describe('throwing imports', () => {
  it('the very same JS exception object reaches the caller, whatever was thrown', async () => {
    const e = await make();
    const thrown: unknown[] = [new Error('boom'), new TypeError('bad'), 'a string', 42, undefined, null, { any: 'object' }];
    for (const value of thrown) {
      hostImpl = () => {
        throw value;
      };
      host64Impl = hostImpl as unknown as (x: bigint) => unknown;
      for (const call of [() => e.callHost(1), () => e.callHost64(1n)]) {
        let caught: unknown = Symbol('nothing');
        try {
          call();
        } catch (error) {
          caught = error;
        }
        expect(caught).toBe(value);
      }
    }
    hostImpl = (x) => x;
    host64Impl = (x) => x;
    expect(e.callHost(1)).toBe(2);
    expect(e.callHost64(5n)).toBe(5n);
  });

  it('a result JS cannot convert (BigInt for i32) is a TypeError at the caller', async () => {
    const e = await make();
    hostImpl = () => 1n;
    expect(() => e.callHost(0)).toThrow(TypeError);
    hostImpl = () => 'not a bigint';
    host64Impl = () => 'x';
    expect(() => e.callHost64(0n)).toThrow(SyntaxError);
    hostImpl = (x) => x;
    host64Impl = (x) => x;
  });
});

describe('traps inside nested calls', () => {
  it('a trap in wasm called from a host function reaches the outer caller as the same RuntimeError', async () => {
    const e = await make();
    let inner: unknown;
    hostImpl = (x) => {
      try {
        return e.divide(1, x);
      } catch (error) {
        inner = error;
        throw error;
      }
    };
    let outer: unknown;
    try {
      e.callHost(0);
    } catch (error) {
      outer = error;
    }
    expect(outer).toBeInstanceOf(RuntimeError);
    expect(outer).toBe(inner);
    expect((outer as RuntimeError).trap).toBe(TrapCode.int_divz);
    hostImpl = (x) => x;
    expect(e.callHost(2)).toBe(3);
  });

  it('a host function may catch the inner trap and return normally: the outer call completes', async () => {
    const e = await make();
    hostImpl = (x) => {
      try {
        return e.divide(1, x);
      } catch {
        return -100;
      }
    };
    expect(e.callHost(0)).toBe(-99);
    expect(e.callHost(1)).toBe(2);
    hostImpl = (x) => x;
  });
});

describe('RuntimeError', () => {
  it('names the trap and carries a backtrace: function names, wasm byte offsets, innermost first', async () => {
    const bytes = await wat(SOURCE);
    const e = await make();
    try {
      e.middle(0);
      expect.unreachable();
    } catch (error) {
      const trap = error as RuntimeError;
      expect(trap.message).toBe('integer divide by zero');
      expect(trap.wasmFrames.map((f) => [f.name, f.funcIndex])).toEqual([
        ['divide', 8],
        ['middle', 9],
      ]);
      // The innermost offset is the i32.div_s, the outer one the call.
      expect(bytes[trap.wasmFrames[0]!.moduleOffset]).toBe(0x6d);
      expect(bytes[trap.wasmFrames[1]!.moduleOffset]).toBe(0x10);
      const lines = trap.stack!.split('\n');
      expect(lines[0]).toBe('RuntimeError: integer divide by zero');
      expect(lines[1]).toMatch(/^ {4}at divide \(wasm-module-\d+:wasm-function\[8\]:0x[0-9a-f]+\)$/);
      expect(lines[2]).toMatch(/^ {4}at middle \(wasm-module-\d+:wasm-function\[9\]:0x[0-9a-f]+\)$/);
      // Then the JS caller (this test), not the runtime's internals.
      expect(lines[3]).toMatch(/robustness\.test\.ts/);
    }
  });
});

describe('epoch interruption', () => {
  it('a loop that never ends on its own is interrupted once the engine epoch reaches the store deadline', async () => {
    const engine = new Engine({ epochInterruption: true });
    const store = new Store(engine);
    const bytes = await wat(`(module (import "env" "tick" (func $tick))
      (global $n (mut i32) (i32.const 0))
      (func (export "run") (loop $l (call $tick) (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
      (func (export "count") (result i32) (global.get $n)))`);
    let ticks = 0;
    const e = new Instance(new Module(bytes, { engine }), { env: { tick: () => { if (++ticks % 10 === 0) engine.incrementEpoch(); } } }, { store })
      .exports as Record<string, () => number>;
    store.setEpochDeadline(3);
    expect(() => e.run!()).toThrow(/interrupted/);
    // Interrupted at the first loop-header check after the third increment (tick 30), in the iteration it started.
    expect(ticks).toBe(30);
    // Every function entry checks too: until the deadline moves, even a loop-free call is interrupted.
    expect(() => e.count!()).toThrow(/interrupted/);
    store.setEpochDeadline(1);
    expect(e.count!()).toBe(30);
  });
});
