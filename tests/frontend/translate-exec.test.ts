/**
 * The translator tested by execution: translated IR runs on the IR reference interpreter inside a miniature
 * runtime (translate-runtime.ts) that lays out VMContexts, memories, tables and globals as vm-offsets.ts says.
 *
 * - The spec suite's assert_return / assert_trap / assert_uninstantiable commands (non-SIMD), with fuel on, and
 *   per action the fuel consumed compared with an independent count: the same module instrumented operator by
 *   operator and run in V8 (fuel-instrument.ts). Exact, including at traps.
 * - Out of fuel, refilling, epoch interruption, memory that moves when it grows, on hand-written modules.
 *
 * The default run covers every script but five slow ones in one configuration and a subset in the others;
 * `TRANSLATE_EXEC_FULL=1` runs every script in every configuration (minutes: the interpreter is the cost).
 */
import { describe, expect, it } from 'vitest';
import { parseAndValidate, type ModuleInfo } from '../../src/frontend/index.js';
import type { TranslateOptions } from '../../src/frontend/translate.js';
import { runPasses } from '../../src/ir/passes/index.js';
import { verifyOrThrow, type IrFunction } from '../../src/ir/index.js';
import { v8FuelCounts } from './fuel-v8-runner.js';
import { SPEC_AVAILABLE, specJsonFiles } from './spec-dir.js';
import { runSpecScript, type ScriptResult } from './translate-spec-runner.js';
import { TestInstance, TestStore, TrapCode, type RuntimeConfig } from './translate-runtime.js';
import { wat } from './wasm-builder.js';

const FULL = process.env.TRANSLATE_EXEC_FULL === '1';
/** Scripts whose loops make the interpreter slow (seconds each): only with TRANSLATE_EXEC_FULL=1. */
const HEAVY = new Set(['memory_grow.json', 'memory_copy.json', 'memory_fill.json', 'call_indirect.json', 'skip-stack-guard-page.json']);
/** A cross-section of the suite for the other configurations. */
const SUBSET = new Set([
  'block.json', 'br.json', 'br_if.json', 'br_table.json', 'call.json', 'conversions.json', 'f32.json', 'f64_cmp.json',
  'float_exprs.json', 'i32.json', 'i64.json', 'if.json', 'int_exprs.json', 'left-to-right.json', 'local_tee.json',
  'loop.json', 'memory.json', 'memory_trap.json', 'return.json', 'select.json', 'stack.json', 'switch.json',
  'table_copy.json', 'table_init.json', 'traps.json', 'unreachable.json', 'unwind.json', 'global.json', 'linking.json',
  'ref_func.json', 'table_grow.json', 'bulk.json', 'address.json', 'func.json', 'fac.json', 'forward.json',
]);

const passes = (f: IrFunction, level: number) => {
  runPasses(f, level);
  verifyOrThrow(f);
};

interface Config {
  label: string;
  config: RuntimeConfig;
  /** Scripts to run (all non-SIMD ones when undefined). */
  only?: Set<string>;
  compareWithV8: boolean;
}

const CONFIGS: Config[] = [
  { label: 'fuel memory', config: { translate: { fuel: 'memory' } }, compareWithV8: true },
  { label: 'fuel variable + epoch', config: { translate: { fuel: 'variable', epoch: true } }, only: FULL ? undefined : SUBSET, compareWithV8: true },
  {
    label: 'fuel memory, trap fuel annotated, IR passes level 2',
    config: { translate: { fuel: 'memory', trapFuel: 'annotate' }, optLevel: 2 },
    only: FULL ? undefined : SUBSET,
    compareWithV8: true,
  },
  { label: 'fuel off, IR passes level 2', config: { translate: {}, optLevel: 2 }, only: FULL ? undefined : SUBSET, compareWithV8: false },
];

describe.skipIf(!SPEC_AVAILABLE)('spec assertions on translated IR, fuel compared with V8', () => {
  const scripts = SPEC_AVAILABLE ? specJsonFiles().filter((f) => !f.startsWith('simd_')) : [];
  const v8Counts = new Map<string, Map<number, bigint>>();

  it.each(CONFIGS)('$label', ({ label, config, only, compareWithV8 }) => {
    const totals = { scripts: 0, passed: 0, skipped: 0, unquietedNaNs: 0, hugeBrTables: 0, compared: 0, fuel: 0n };
    const failures: string[] = [];
    for (const file of scripts) {
      if (only !== undefined && !only.has(file)) continue;
      if (HEAVY.has(file) && !FULL) continue;
      let r: ScriptResult;
      try {
        r = runSpecScript(file, config, passes);
      } catch (e) {
        failures.push(`${file}: ${(e as Error).stack}`);
        continue;
      }
      totals.scripts++;
      totals.passed += r.passed;
      totals.skipped += r.skipped;
      totals.unquietedNaNs += r.unquietedNaNs;
      totals.hugeBrTables += r.hugeBrTables;
      failures.push(...r.failures);
      if (!compareWithV8) continue;
      let reference = v8Counts.get(file);
      if (reference === undefined) v8Counts.set(file, (reference = v8FuelCounts(file)));
      for (const [line, consumed] of r.fuel) {
        const expected = reference.get(line);
        if (expected === undefined) continue;
        totals.compared++;
        totals.fuel += consumed;
        if (consumed !== expected) failures.push(`${file}:${line}: consumed ${consumed} fuel, V8 counted ${expected} operators`);
      }
    }
    console.log(
      `${label}: ${totals.scripts} scripts, ${totals.passed} assertions passed, ${totals.skipped} skipped` +
        (compareWithV8 ? `; fuel of ${totals.compared} actions (${totals.fuel} in all) equal to V8's operator count` : '') +
        `; ${totals.unquietedNaNs} f64 results were a signalling NaN where an arithmetic NaN was expected (IR interpreter, see ` +
        `ScriptResult.unquietedNaNs); ${totals.hugeBrTables} actions skipped for a huge br_table`,
    );
    expect(failures.slice(0, 30)).toEqual([]);
    expect(totals.passed).toBeGreaterThan(only === undefined ? 15_000 : 3_000);
    if (compareWithV8) expect(totals.compared).toBeGreaterThan(only === undefined ? 15_000 : 3_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hand-written programs
// ---------------------------------------------------------------------------------------------------------------

async function instantiate(text: string, translate: TranslateOptions, optLevel = 0): Promise<{ store: TestStore; inst: TestInstance; module: ModuleInfo }> {
  const module = parseAndValidate(await wat(text));
  const store = new TestStore({ translate, optLevel }, passes);
  const inst = store.instantiate(module, () => undefined);
  if (!(inst instanceof TestInstance)) throw new Error('instantiation trapped');
  return { store, inst, module };
}

function exportIndex(module: ModuleInfo, name: string): number {
  return module.exports.find((e) => e.name === name)!.index;
}

/** sum 0..n-1: before the loop `i32.const 0, local.set` … costs are spelled out in the test. */
const COUNTING_LOOP = `(module
  (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s)))`;
// Per iteration: get, get, ge_u, br_if (4) + get, get, add, set, get, const, add, set, br (9) = 13.
// The last test: 4. After the loop: get (1). So sum(n) consumes 13n + 4 + 1.

describe.each(['variable', 'memory'] as const)('fuel exhaustion, %s strategy', (fuel) => {
  it('consumes exactly the operators it runs', async () => {
    const { store, inst, module } = await instantiate(COUNTING_LOOP, { fuel });
    const f = exportIndex(module, 'sum');
    for (const n of [0, 1, 10]) {
      store.setFuel(1000n);
      expect(store.invoke(inst, f, [BigInt(n)])).toEqual({ kind: 'return', values: [BigInt((n * (n - 1)) / 2)] });
      expect(store.fuelCounter()).toBe(-1000n + BigInt(13 * n + 5));
    }
  });

  it('with no fuel the entry check traps before any operator runs', async () => {
    const { store, inst, module } = await instantiate(COUNTING_LOOP, { fuel });
    store.setFuel(0n);
    expect(store.invoke(inst, exportIndex(module, 'sum'), [3n])).toEqual({ kind: 'trap', code: TrapCode.out_of_fuel });
    expect(store.fuelCounter()).toBe(0n);
    expect(store.outOfFuelCalls).toBe(1);
  });

  it('traps at the first loop check that finds the fuel used up, with the exact count', async () => {
    const { store, inst, module } = await instantiate(COUNTING_LOOP, { fuel });
    const f = exportIndex(module, 'sum');
    // Checks run at the loop entry (0 consumed), then after each back edge (13, 26, 39, …).
    for (const [given, consumedAtTrap] of [[1n, 13n], [13n, 13n], [14n, 26n], [26n, 26n], [27n, 39n]]) {
      store.setFuel(given);
      expect(store.invoke(inst, f, [1000n])).toEqual({ kind: 'trap', code: TrapCode.out_of_fuel });
      expect(store.fuelCounter()).toBe(consumedAtTrap - given);
    }
    // Enough for 3 iterations and the exit: runs to the end.
    store.setFuel(13n * 3n + 5n + 1n);
    expect(store.invoke(inst, f, [3n])).toEqual({ kind: 'return', values: [3n] });
  });

  it('continues when the out-of-fuel builtin refills, and still counts everything', async () => {
    const { store, inst, module } = await instantiate(COUNTING_LOOP, { fuel });
    store.setFuel(20n);
    let refills = 0;
    let given = 20n;
    store.onOutOfFuel = () => {
      refills++;
      given += 50n;
      return 50n - BigInt.asIntN(64, store.fuelCounter()); // remaining after refill: 50 minus what is overdrawn
    };
    expect(store.invoke(inst, exportIndex(module, 'sum'), [100n])).toEqual({ kind: 'return', values: [4950n] });
    expect(refills).toBeGreaterThan(20);
    // Remaining = given − consumed, with consumed = 13·100 + 5.
    expect(-store.fuelCounter()).toBe(given - 1305n);
  });

  it('counts the trapping operator at a trap, also through a call', async () => {
    const { store, inst, module } = await instantiate(`(module (memory 1)
      (func $load (param i32) (result i32) (i32.load offset=4 (local.get 0)))
      (func (export "f") (param i32) (result i32)
        (i32.add (i32.const 1) (call $load (local.get 0)))))`, { fuel });
    store.setFuel(100n);
    expect(store.invoke(inst, exportIndex(module, 'f'), [65534n])).toEqual({ kind: 'trap', code: TrapCode.heap_oob });
    // caller: const, get, call = 3; callee: get, load = 2
    expect(store.fuelCounter()).toBe(-100n + 5n);
  });
});

describe('epoch interruption', () => {
  it('traps at the function entry once the deadline has passed', async () => {
    const { store, inst, module } = await instantiate(COUNTING_LOOP, { epoch: true });
    store.setEpoch(5n, 5n);
    expect(store.invoke(inst, exportIndex(module, 'sum'), [3n])).toEqual({ kind: 'trap', code: TrapCode.interrupted });
    store.setEpoch(4n, 5n);
    expect(store.invoke(inst, exportIndex(module, 'sum'), [3n])).toEqual({ kind: 'return', values: [3n] });
  });

  it('traps at a loop header when the epoch advances while the loop runs', async () => {
    const module = parseAndValidate(await wat(`(module
      (import "host" "tick" (func $tick (param i32)))
      (func (export "spin") (param $n i32) (result i32)
        (loop $l (call $tick (local.get $n))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $n)))`));
    for (const fuel of ['off', 'variable', 'memory'] as const) {
      const store = new TestStore({ translate: { fuel, epoch: true } });
      let ticks = 0;
      const tick = store.hostFunction({ params: Uint8Array.of(0), results: new Uint8Array(0) }, () => {
        if (++ticks === 3) store.setEpoch(10n, 10n);
        return [];
      });
      store.setEpoch(0n, 10n);
      const inst = store.instantiate(module, () => tick) as TestInstance;
      expect(store.invoke(inst, exportIndex(module, 'spin'), [100n])).toEqual({ kind: 'trap', code: TrapCode.interrupted });
      expect(ticks).toBe(3);
      expect(store.epochCalls).toBe(1);
    }
  });
});

describe('linear memory that moves when it grows', () => {
  it.each([0, 2])('reloads the heap base after memory.grow (IR passes level %i)', async (optLevel) => {
    const { store, inst, module } = await instantiate(`(module (memory 1)
      (func (export "f") (param $p i32) (result i32)
        (i32.store (local.get $p) (i32.const 1234))
        (drop (memory.grow (i32.const 40)))
        (i32.add (i32.load (local.get $p)) (i32.load (i32.const 2621440)))))`, { fuel: 'memory' }, optLevel);
    expect(store.invoke(inst, exportIndex(module, 'f'), [100n])).toEqual({ kind: 'return', values: [1234n] });
    expect(store.relocations).toBe(1);
  });
});

describe('IR passes on translated code', () => {
  // A bounds-checked load is `notrap` only behind its check. LICM (src/ir/passes/licm.ts) hoists `notrap` loads
  // out of loops that do not write their region, above the check: the load then runs even when the check would
  // have trapped or (as here) when it never runs at all. Natively that is an out-of-bounds read — a crash. Reported;
  it('a guarded heap load in a loop is not hoisted above its bounds check (LICM)', async () => {
    const text = `(module (memory 1)
      (func (export "f") (param $c i32) (param $n i32) (result i32) (local $s i32)
        (loop $l
          (if (local.get $c) (then (local.set $s (i32.load offset=0xfff00000 (i32.const 0)))))
          (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
        (local.get $s)))`;
    const plain = await instantiate(text, {}, 0);
    expect(plain.store.invoke(plain.inst, 0, [0n, 3n])).toEqual({ kind: 'return', values: [0n] });
    const optimized = await instantiate(text, {}, 2);
    expect(optimized.store.invoke(optimized.inst, 0, [0n, 3n])).toEqual({ kind: 'return', values: [0n] });
  });
});
