// Exact fuel: for hand-written modules (loops, recursion, br_table, calls, traps), the fuel kindling consumes equals
// the count of an independent interpreter applying the cost model (fuel-interpreter.ts), for both fuel strategies;
// running out stops at the same point every time (same count, same side effects); addFuel then calling again
// continues the count.
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, Module, Instance, RuntimeError, Store, type FuelStrategy } from '../../src/index.js';
import { trapCodeName } from '../../src/ir/trapcodes.js';
import { FuelInterpreter, InterpTrap } from './fuel-interpreter.js';
import { wat } from './wat.js';

const SOURCE = `(module
  (memory 1)
  (global $ticks (mut i32) (i32.const 0))
  (func $tick (global.set $ticks (i32.add (global.get $ticks) (i32.const 1))))
  (func (export "ticks") (result i32) (global.get $ticks))

  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (block $exit (loop $top
      (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $acc (i32.add (local.get $acc) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (call $tick)
      (br $top)))
    (local.get $acc))

  (func $fib (export "fib") (param $n i32) (result i32)
    (call $tick)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "machine") (param $steps i32) (result i32) (local $state i32) (local $acc i32)
    (loop $run
      (block $done
        (block $s2 (block $s1 (block $s0
          (br_table $s0 $s1 $s2 $done (local.get $state)))
          (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
          (local.set $state (i32.const 1))
          (br $done))
        (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
        (local.set $state (i32.const 2))
        (br $done))
       (local.set $acc (i32.xor (local.get $acc) (i32.const 0x55)))
       (local.set $state (i32.rem_u (local.get $acc) (i32.const 3))))
      (call $tick)
      (local.set $steps (i32.sub (local.get $steps) (i32.const 1)))
      (br_if $run (local.get $steps)))
    (local.get $acc))

  (func (export "divloop") (param $n i32) (result i32) (local $i i32) (local $acc i32)
    (loop $top
      (local.set $acc (i32.add (local.get $acc) (i32.div_s (i32.const 1000) (i32.sub (local.get $n) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (call $tick)
      (br $top))
    (local.get $acc))

  (func $deep (param $d i32) (result i32)
    (call $tick)
    (if (result i32) (local.get $d)
      (then (i32.add (call $deep (i32.sub (local.get $d) (i32.const 1))) (i32.const 1)))
      (else (unreachable))))
  (func (export "unreach") (param i32) (result i32) (call $deep (local.get 0)))

  (func (export "oob") (param $stride i32) (local $p i32)
    (loop $top
      (i32.store (local.get $p) (local.get $p))
      (local.set $p (i32.add (local.get $p) (local.get $stride)))
      (call $tick)
      (br $top)))

  (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $acc i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $inner
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
)`;

type Outcome = { value: number | null; trap: string | null };

const STRATEGIES: FuelStrategy[] = ['variable', 'memory'];
let bytes: Uint8Array<ArrayBuffer>;
const modules = new Map<FuelStrategy, { engine: Engine; module: Module }>();

beforeAll(async () => {
  bytes = await wat(SOURCE);
  for (const strategy of STRATEGIES) {
    const engine = new Engine({ consumeFuel: true, fuelStrategy: strategy });
    modules.set(strategy, { engine, module: new Module(bytes, { engine }) });
  }
});

/** A fresh kindling instance (own store) of the module compiled with `strategy`. */
function kindling(strategy: FuelStrategy): { store: Store; exports: Record<string, (...a: number[]) => number> } {
  const { engine, module } = modules.get(strategy)!;
  const store = new Store(engine);
  return { store, exports: new Instance(module, {}, { store }).exports as Record<string, (...a: number[]) => number> };
}

function runKindling(fn: (...a: number[]) => number, args: number[]): Outcome {
  try {
    return { value: fn(...args), trap: null };
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    return { value: null, trap: trapCodeName(error.trap) };
  }
}

function runReference(interp: FuelInterpreter, name: string, args: number[]): Outcome {
  try {
    return { value: interp.invoke(name, args)[0] ?? 0, trap: null };
  } catch (error) {
    if (!(error instanceof InterpTrap)) throw error;
    return { value: null, trap: error.trap };
  }
}

const BIG = 1_000_000_000;

describe('fuel consumed equals the cost model, both strategies', () => {
  const cases: [string, number[]][] = [
    ['sum', [0]],
    ['sum', [1]],
    ['sum', [1000]],
    ['fib', [0]],
    ['fib', [15]],
    ['machine', [1]],
    ['machine', [777]],
    ['nested', [30]],
    ['ticks', []],
  ];
  for (const [name, args] of cases) {
    it(`${name}(${args.join(', ')})`, () => {
      const interp = new FuelInterpreter(bytes);
      interp.setFuel(BIG);
      const expected = runReference(interp, name, args);
      expect(expected.trap).toBeNull();
      expect(interp.consumed).toBeGreaterThan(name === 'ticks' ? 0 : 1);
      for (const strategy of STRATEGIES) {
        const k = kindling(strategy);
        k.store.setFuel(BIG);
        expect(runKindling(k.exports[name]!, args), strategy).toEqual(expected);
        expect(k.store.fuelConsumed(), strategy).toBe(BigInt(interp.consumed));
        expect(k.exports.ticks!(), strategy).toBe(interp.globals[0]);
      }
    });
  }

  it('a function of straight-line code has the exact hand-counted cost (global.get = 1)', () => {
    const k = kindling('memory');
    k.store.setFuel(10);
    k.exports.ticks!();
    expect(k.store.fuelConsumed()).toBe(1n);
    expect(k.store.getFuel()).toBe(9n);
  });
});

describe('traps count every operator executed, the trapping one included', () => {
  const cases: [string, number[], string][] = [
    ['divloop', [7], 'int_divz'],
    ['unreach', [12], 'unreachable'],
    ['oob', [4096], 'heap_oob'],
    ['oob', [65533], 'heap_oob'],
  ];
  for (const [name, args, trap] of cases) {
    it(`${name}(${args.join(', ')}) traps with ${trap}`, () => {
      const interp = new FuelInterpreter(bytes);
      interp.setFuel(BIG);
      expect(runReference(interp, name, args)).toEqual({ value: null, trap });
      for (const strategy of STRATEGIES) {
        const k = kindling(strategy);
        k.store.setFuel(BIG);
        expect(runKindling(k.exports[name]!, args), strategy).toEqual({ value: null, trap });
        expect(k.store.fuelConsumed(), strategy).toBe(BigInt(interp.consumed));
        expect(k.exports.ticks!(), strategy).toBe(interp.globals[0]);
      }
    });
  }
});

describe('running out of fuel', () => {
  const budgets = [0, 1, 2, 3, 4, 7, 10, 23, 64, 101, 999, 4321];
  const programs: [string, number[]][] = [
    ['sum', [300]],
    ['fib', [12]],
    ['machine', [200]],
    ['nested', [25]],
    ['divloop', [40]],
  ];
  for (const [name, args] of programs) {
    it(`${name}(${args.join(', ')}) stops where the model stops, for every budget, every time`, () => {
      for (const budget of budgets) {
        const interp = new FuelInterpreter(bytes);
        interp.setFuel(budget);
        const expected = runReference(interp, name, args);
        for (const strategy of STRATEGIES) {
          for (let run = 0; run < 2; run++) {
            const k = kindling(strategy);
            k.store.setFuel(budget);
            const where = `${strategy}, budget ${budget}, run ${run}`;
            expect(runKindling(k.exports[name]!, args), where).toEqual(expected);
            expect(k.store.fuelConsumed(), where).toBe(BigInt(interp.consumed));
            expect(k.store.getFuel(), where).toBe(BigInt(interp.fuelLeft));
            // Side effects up to the stopping point are the model's too (the tick counter).
            k.store.setFuel(BIG);
            expect(k.exports.ticks!(), where).toBe(interp.globals[0]);
          }
        }
      }
    });
  }

  it('a store with no fuel traps at the first function entry, before any operator', () => {
    for (const strategy of STRATEGIES) {
      const k = kindling(strategy);
      expect(runKindling(k.exports.sum!, [10])).toEqual({ value: null, trap: 'out_of_fuel' });
      expect(k.store.fuelConsumed()).toBe(0n);
    }
  });

  it('addFuel after running out, then calling again, continues the count exactly', () => {
    for (const strategy of STRATEGIES) {
      const interp = new FuelInterpreter(bytes);
      const k = kindling(strategy);
      interp.setFuel(150);
      k.store.setFuel(150);
      const steps: [number, number[]][] = [[0, [120]], [90, [120]], [400, [120]], [BIG, [120]]];
      for (const [add, args] of steps) {
        if (add > 0) {
          interp.addFuel(add);
          k.store.addFuel(add);
        }
        const expected = runReference(interp, 'sum', args);
        expect(runKindling(k.exports.sum!, args), `${strategy} after adding ${add}`).toEqual(expected);
        expect(k.store.fuelConsumed()).toBe(BigInt(interp.consumed));
        expect(k.store.getFuel()).toBe(BigInt(interp.fuelLeft));
      }
      // The last call completed: the sum of 0..119.
      expect(runReference(interp, 'ticks', [])).toEqual({ value: interp.globals[0], trap: null });
      expect(k.exports.ticks!()).toBe(interp.globals[0]);
    }
  });
});
