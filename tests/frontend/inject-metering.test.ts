/**
 * injectMetering on hand-written modules: exact counts by formula and against the counting oracle, out-of-gas traps,
 * the bytes it writes, the module-level rewrite (globals, exports, custom sections, start) and the options.
 */
import { describe, expect, it } from 'vitest';
import { CompileError, parseModule, validate } from '../../src/frontend/index.js';
import { DEFAULT_GAS_EXPORT, injectMetering, OPERATOR_COST } from '../../src/frontend/inject-metering.js';
import { call, describeOutcome, instantiate, MeteredInstance, OracleInstance } from './inject-metering-run.js';
import { body, funcType, I32, module, name, section, simpleModule, u32, vec, wat } from './wasm-builder.js';

async function metered(text: string, options = {}) {
  return new MeteredInstance(await wat(text), {}, options);
}

function expectValid(bytes: Uint8Array): void {
  expect(validate(bytes)).toBe(true);
  expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)).toBe(true);
}

const COUNTING_LOOP = `(module
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i)))`;

describe('exact counts', () => {
  it('counting loop: 8 per iteration (local.get i32.const i32.add local.set local.get local.get i32.lt_u br_if) + 1', async () => {
    const m = await metered(COUNTING_LOOP);
    for (const n of [1, 2, 10, 1000, 123457]) {
      const r = m.run('count', [n]);
      expect(r.error).toBeNull();
      expect(r.result).toBe(n);
      expect(r.consumed).toBe(BigInt(8 * n + 1));
    }
    // n = 0: the do-while body still runs once.
    expect(m.run('count', [0]).consumed).toBe(9n);
  });

  it('a call completes with exactly its cost in gas and traps with one less', async () => {
    const m = await metered(COUNTING_LOOP);
    const n = 50;
    const cost = BigInt(8 * n + 1);
    const exact = m.run('count', [n], cost);
    expect(exact.error).toBeNull();
    expect(exact.left).toBe(0n);
    const short = m.run('count', [n], cost - 1n);
    expect(short.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(short.error!.message).toMatch(/unreachable/);
    // The final charge (1, for the local.get after the loop) could not be paid: the global went negative.
    expect(short.left).toBe(-1n);
    // Gas 0: the first loop iteration (cost 8) cannot start.
    const none = m.run('count', [n], 0n);
    expect(none.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(none.left).toBe(-8n);
  });

  it('if/else: each arm charges its own run', async () => {
    const m = await metered(`(module (func (export "abs") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
        (then (i32.sub (i32.const 0) (local.get 0)))
        (else (local.get 0)))))`);
    // local.get i32.const i32.lt_s if = 4; then: i32.const local.get i32.sub = 3; else: local.get = 1.
    expect(m.run('abs', [-5])).toMatchObject({ result: 5, consumed: 7n });
    expect(m.run('abs', [5])).toMatchObject({ result: 5, consumed: 5n });
  });

  it('a branch to a block ends the run before the block end: the skipped operators are not charged', async () => {
    const m = await metered(`(module (func (export "f") (param i32) (result i32)
      (block $b
        (br_if $b (local.get 0))
        (nop) (i32.const 1) (drop))
      (i32.const 7)))`);
    // local.get br_if = 2; nop i32.const drop = 1; after the block: i32.const = 1.
    expect(m.run('f', [1])).toMatchObject({ result: 7, consumed: 3n });
    expect(m.run('f', [0])).toMatchObject({ result: 7, consumed: 4n });
  });

  it('br_table, return and unreachable end runs; dead code after them costs nothing', async () => {
    const m = await metered(`(module (func (export "sw") (param i32) (result i32)
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (local.get 0))
        (i32.const 99) (drop) (block (i32.const 1) (drop)) (br 0))
        (return (i32.const 10)))
        (return (i32.add (i32.const 20) (i32.const 0))))
        (unreachable) (i32.const 5) (drop))
      (i32.const 40)))`);
    // entry: local.get br_table = 2. a: i32.const return = 1 (return costs 0). b: i32.const i32.const i32.add = 3.
    // c: unreachable = 0 (traps). d (default): i32.const = 1.
    expect(m.run('sw', [0])).toMatchObject({ result: 10, consumed: 3n });
    expect(m.run('sw', [1])).toMatchObject({ result: 20, consumed: 5n });
    const c = m.run('sw', [2]);
    expect(c.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(c.consumed).toBe(2n);
    expect(m.run('sw', [3])).toMatchObject({ result: 40, consumed: 3n });
    expect(m.run('sw', [7])).toMatchObject({ result: 40, consumed: 3n });
  });

  it('an arm that ends in return: the other arm and the code after the if are still charged', async () => {
    const m = await metered(`(module (func (export "g") (param i32) (result i32)
      (if (local.get 0) (then (return (i32.const 7))) (else (local.set 0 (i32.const 5))))
      (local.get 0)))`);
    // local.get if = 2; then: i32.const = 1 (return is free); else: i32.const local.set = 2; after: local.get = 1.
    expect(m.run('g', [1])).toMatchObject({ result: 7, consumed: 3n });
    expect(m.run('g', [0])).toMatchObject({ result: 5, consumed: 5n });
  });

  it('calls: each function charges its own runs (recursive fib: cost(n) = cost(n-1) + cost(n-2) + 13, cost(0|1) = 5)', async () => {
    const m = await metered(`(module (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add
          (call $fib (i32.sub (local.get 0) (i32.const 1)))
          (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`);
    // local.get i32.const i32.lt_u if = 4; then: local.get = 1; else: (local.get i32.const i32.sub call) × 2 + i32.add = 9.
    const cost = [5n, 5n];
    for (let n = 2; n <= 20; n++) cost.push(cost[n - 1] + cost[n - 2] + 13n);
    const fib = [0, 1];
    for (let n = 2; n <= 20; n++) fib.push(fib[n - 1] + fib[n - 2]);
    for (const n of [0, 1, 2, 3, 10, 20]) expect(m.run('fib', [n])).toMatchObject({ result: fib[n], consumed: cost[n] });
  });

  it('a program trap (division by zero) mid-run: the rest of its run was charged already', async () => {
    const m = await metered(`(module (func (export "d") (param i32) (result i32)
      (i32.add (i32.div_u (i32.const 10) (local.get 0)) (i32.const 1))))`);
    expect(m.run('d', [2])).toMatchObject({ result: 6, consumed: 5n });
    const r = m.run('d', [0]);
    expect(r.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(r.error!.message).toMatch(/divide by zero/);
    expect(r.consumed).toBe(5n); // kindling would count 3 (up to and including the div)
  });

  it('blocks with parameters and multi-value results keep their operands across the inserted code', async () => {
    const m = await metered(`(module (func (export "mv") (param i32) (result i32 i32)
      (i32.const 3)
      (if (param i32) (result i32 i32) (local.get 0)
        (then (i32.const 1) (i32.add) (i32.const 100))
        (else (i32.const 2) (i32.mul) (i32.const 200)))
      (loop (param i32 i32) (result i32 i32))))`);
    // i32.const local.get if = 3; then: i32.const i32.add i32.const = 3; else likewise = 3.
    expect(m.run('mv', [1])).toMatchObject({ result: [4, 100], consumed: 6n });
    expect(m.run('mv', [0])).toMatchObject({ result: [6, 200], consumed: 6n });
  });
});

/** Programs whose counts are checked against the counting oracle on several inputs (results against plain V8). */
const ORACLE_PROGRAMS: { name: string; text: string; calls: [string, unknown[]][] }[] = [
  {
    name: 'nested loops with early exits',
    text: `(module (func (export "f") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
      (block $out (loop $outer
        (local.set $j (i32.const 0))
        (block $next (loop $inner
          (br_if $next (i32.ge_u (local.get $j) (local.get $i)))
          (if (i32.eq (i32.rem_u (i32.add (local.get $i) (local.get $j)) (i32.const 7)) (i32.const 3))
            (then
              (local.set $s (i32.add (local.get $s) (i32.const 2)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $inner)))
          (local.set $s (i32.add (local.get $s) (local.get $j)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $out (i32.gt_u (local.get $s) (i32.const 100000)))
          (br $inner)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get $i) (local.get $n)))))
      (local.get $s)))`,
    calls: [['f', [0]], ['f', [1]], ['f', [5]], ['f', [40]], ['f', [2000]]],
  },
  {
    name: 'memory, select, call_indirect, br_table in a loop',
    text: `(module
      (memory 1)
      (type $t (func (param i32) (result i32)))
      (table 3 funcref)
      (elem (i32.const 0) $dbl $inc $neg)
      (func $dbl (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
      (func (export "f") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        (loop $l
          (i32.store (i32.shl (local.get $i) (i32.const 2))
            (call_indirect (type $t) (local.get $i) (i32.rem_u (local.get $i) (i32.const 3))))
          (block $z (block $y (block $x
            (br_table $x $y $z (i32.and (local.get $i) (i32.const 3))))
            (local.set $acc (i32.add (local.get $acc) (i32.load (i32.shl (local.get $i) (i32.const 2)))))
            (br $z))
            (local.set $acc (select (local.get $acc) (i32.const 1) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
        (local.get $acc)))`,
    calls: [['f', [0]], ['f', [1]], ['f', [9]], ['f', [300]]],
  },
  {
    name: 'dead code after br/return/unreachable, nested blocks and ifs inside it',
    text: `(module (func (export "f") (param i32) (result i32)
      (block $b (result i32)
        (if (local.get 0) (then (br $b (i32.const 1)) (block (loop (br 0))) (if (i32.const 1) (then (nop)) (else (nop)))))
        (block (return (i32.const 2)) (i32.const 3) (drop) (loop (i32.const 4) (drop)))
        (unreachable))))`,
    calls: [['f', [0]], ['f', [1]]],
  },
  {
    name: 'traps inside callees (the caller paid up to the call only)',
    text: `(module
      (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "f") (param i32) (result i32)
        (i32.add (call $div (i32.const 100) (local.get 0)) (i32.mul (local.get 0) (i32.const 3)))))`,
    calls: [['f', [5]], ['f', [0]]],
  },
  {
    name: 'if without else, bulk memory, globals, i64 arithmetic',
    text: `(module (memory 1) (global $g (mut i64) (i64.const 5))
      (func (export "f") (param $n i32) (result i64) (local $i i32)
        (memory.fill (i32.const 0) (i32.const 7) (i32.const 64))
        (loop $l
          (if (i32.and (local.get $i) (i32.const 1))
            (then (global.set $g (i64.add (global.get $g) (i64.load8_u (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
        (global.get $g)))`,
    calls: [['f', [1]], ['f', [2]], ['f', [64]]],
  },
];

describe('counts equal the counting oracle (a counter increment before every cost-1 operator)', () => {
  for (const p of ORACLE_PROGRAMS) {
    it(p.name, async () => {
      const bytes = await wat(p.text);
      for (const [splitAtCalls, checks] of [
        [true, 'every-run'],
        [false, 'every-run'],
        [true, 'entry-and-loops'],
      ] as const) {
        const out = injectMetering(bytes, { splitAtCalls, checks });
        expectValid(out.bytes);
        const plain = instantiate(bytes);
        const m = new MeteredInstance(bytes, {}, { splitAtCalls, checks });
        const o = new OracleInstance(bytes);
        for (const [fn, args] of p.calls) {
          const expected = call(plain, fn, args);
          const got = m.run(fn, args);
          const ref = o.run(fn, args);
          expect(describeOutcome(got)).toBe(describeOutcome(expected));
          expect(describeOutcome(ref)).toBe(describeOutcome(expected));
          if (expected.error === null) expect(got.consumed).toBe(ref.count);
          else {
            expect(got.consumed).toBeGreaterThanOrEqual(ref.count);
            // With calls ending runs, a trap inside a callee leaves the counts exact (the trapping div is last in its run).
            if (splitAtCalls) expect(got.consumed).toBe(ref.count);
          }
        }
        if (checks === 'every-run') {
          // Call i, after calls 0 … i-1 (programs keep state in globals and memory), on fresh instances: it completes
          // with exactly its cost in gas, and traps with one less.
          const fromStart = new OracleInstance(bytes);
          const counts = p.calls.map(([fn, args]) => fromStart.run(fn, args));
          for (let i = 0; i < p.calls.length; i++) {
            const [fn, args] = p.calls[i];
            if (counts[i].error !== null || counts[i].count === 0n) continue;
            for (const gas of [counts[i].count, counts[i].count - 1n]) {
              const fresh = new MeteredInstance(bytes, {}, { splitAtCalls, checks });
              for (const [f, a] of p.calls.slice(0, i)) fresh.run(f, a);
              const r = fresh.run(fn, args, gas);
              if (gas === counts[i].count) expect(r).toMatchObject({ error: null, left: 0n });
              else expect(r.error).toBeInstanceOf(WebAssembly.RuntimeError);
            }
          }
        }
      }
    });
  }
});

describe('the code it writes', () => {
  it('exact bytes: charge and check at the loop header and after br_if, nothing for zero-cost runs', async () => {
    const bytes = await wat(COUNTING_LOOP);
    const out = injectMetering(bytes);
    const m = parseModule(out.bytes);
    expect(out.gasGlobalIndex).toBe(0);
    expect(out.chargeSites).toBe(2);
    expect(out.checkSites).toBe(2);
    const decl = m.definedFunction(0);
    const charge = (cost: number) => [0x23, 0, 0x42, cost, 0x7d, 0x24, 0, 0x23, 0, 0x42, 0, 0x53, 0x04, 0x40, 0x00, 0x0b];
    expect(Array.from(out.bytes.subarray(decl.bodyStart, decl.bodyEnd))).toEqual([
      0x01, 0x01, 0x7f, // one local i32
      0x03, 0x40, // loop
      ...charge(8),
      0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x20, 0x01, 0x20, 0x00, 0x49, 0x0d, 0x00,
      ...charge(1),
      0x0b, 0x20, 0x01, 0x0b,
    ]);
  });

  it("'entry-and-loops' checks only at entries and loop headers; straight-line code may overrun", async () => {
    const text = `(module (func (export "f") (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))
      (loop $l (br_if $l (i32.const 0)))))`;
    const out = injectMetering(await wat(text), { checks: 'entry-and-loops' });
    // Runs: entry (local.get if = 2), then (1), else (1), after if + loop header (i32.const br_if = 2), after br_if (0).
    expect(out.chargeSites).toBe(4);
    expect(out.checkSites).toBe(2); // the entry run and the loop header (the loop's run starts after `loop`)
    const m = await metered(text, { checks: 'entry-and-loops' });
    expect(m.run('f', [1])).toMatchObject({ result: 1, consumed: 5n });
    // 2 gas: the entry run passes its check, the arm overruns unchecked, the loop header's check catches it.
    const r = m.run('f', [1], 2n);
    expect(r.error).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(r.left).toBe(-3n);
  });

  it('splitAtCalls: false charges the code after a call with the code before it', async () => {
    const text = `(module (func $g) (func (export "f") (call $g) (call $g) (nop)))`;
    expect(injectMetering(await wat(text)).chargeSites).toBe(2);
    expect(injectMetering(await wat(text), { splitAtCalls: false }).chargeSites).toBe(1);
  });

  it('every operator costs 1 except nop, drop, block, loop, unreachable, return, else, end', () => {
    const free = [0x01, 0x1a, 0x02, 0x03, 0x00, 0x0f, 0x05, 0x0b];
    for (const op of free) expect(OPERATOR_COST[op]).toBe(0);
    let ones = 0;
    for (let op = 0; op < OPERATOR_COST.length; op++) if (!free.includes(op)) ones += OPERATOR_COST[op];
    expect(ones).toBe(OPERATOR_COST.length - free.length);
  });
});

describe('the module around the code', () => {
  it('appends the gas global after imported and defined globals; existing indices keep their meaning', async () => {
    const bytes = await wat(`(module
      (import "env" "a" (global $a i32))
      (import "env" "b" (global $b (mut i64)))
      (global $c i32 (i32.const 30))
      (func (export "sum") (result i64)
        (i64.add (global.get $b) (i64.extend_i32_u (i32.add (global.get $a) (global.get $c))))))`);
    const out = injectMetering(bytes);
    expect(out.gasGlobalIndex).toBe(3);
    expectValid(out.bytes);
    const m = parseModule(out.bytes);
    expect(m.globals[3]).toMatchObject({ type: 1 /* i64 */, mutable: true, imported: false });
    expect(m.exports.at(-1)).toEqual({ name: DEFAULT_GAS_EXPORT, kind: 3, index: 3 });
    const env = { a: 12, b: new WebAssembly.Global({ value: 'i64', mutable: true }, 100n) };
    const inst = new MeteredInstance(bytes, { env });
    expect(inst.run('sum', [])).toMatchObject({ result: 142n, consumed: 6n });
  });

  it('creates the global and export sections, in order, when the module has none; keeps custom sections', () => {
    const custom = (text: string) => section(0, [...name(text), 1, 2, 3]);
    const bytes = module(
      custom('first'),
      section(1, vec([funcType([], [I32])])),
      section(3, vec([u32(0)])),
      custom('middle'),
      section(10, vec([body([], [0x41, 0x2a])])),
      custom('last'),
    );
    const out = injectMetering(bytes);
    expectValid(out.bytes);
    const ids: number[] = [];
    for (let pos = 8; pos < out.bytes.length; ) {
      ids.push(out.bytes[pos]);
      let size = 0;
      let shift = 1;
      for (pos++; ; pos++) {
        size += (out.bytes[pos] & 0x7f) * shift;
        shift *= 128;
        if (out.bytes[pos] < 0x80) break;
      }
      pos += 1 + size;
    }
    expect(ids).toEqual([0, 1, 3, 0, 6, 7, 10, 0]);
    const wasmModule = new WebAssembly.Module(out.bytes as Uint8Array<ArrayBuffer>);
    for (const n of ['first', 'middle', 'last']) {
      expect(Array.from(new Uint8Array(WebAssembly.Module.customSections(wasmModule, n)[0]))).toEqual([1, 2, 3]);
    }
    expect(WebAssembly.Module.exports(wasmModule)).toEqual([{ name: DEFAULT_GAS_EXPORT, kind: 'global' }]);
  });

  it('a module without functions still gets its gas global', () => {
    const out = injectMetering(module());
    expectValid(out.bytes);
    expect(out.chargeSites).toBe(0);
    expect(instantiate(out.bytes).exports[DEFAULT_GAS_EXPORT]).toBeInstanceOf(WebAssembly.Global);
  });

  it('a start function runs on initialGas (and traps without enough)', async () => {
    const text = `(module (global $x (export "x") (mut i32) (i32.const 0))
      (func $s (global.set $x (i32.const 9))) (start $s))`;
    const bytes = await wat(text);
    expect(() => instantiate(injectMetering(bytes).bytes)).toThrow(WebAssembly.RuntimeError);
    const inst = instantiate(injectMetering(bytes, { initialGas: 10 }).bytes);
    expect((inst.exports.x as WebAssembly.Global).value).toBe(9);
    expect((inst.exports[DEFAULT_GAS_EXPORT] as WebAssembly.Global).value).toBe(8n);
  });

  it('exportName and initialGas (up to the i64 limits)', async () => {
    const bytes = await wat(COUNTING_LOOP);
    for (const initialGas of [0n, 1n, -1n, 63n, 64n, -64n, -65n, (1n << 63n) - 1n, -(1n << 63n), 123456789012345n]) {
      const out = injectMetering(bytes, { exportName: 'fuel', initialGas });
      expect(out.gasGlobalExport).toBe('fuel');
      expect((instantiate(out.bytes).exports.fuel as WebAssembly.Global).value).toBe(initialGas);
    }
    const inst = instantiate(injectMetering(bytes, { initialGas: 1000 }).bytes);
    (inst.exports.count as (n: number) => number)(10);
    expect((inst.exports[DEFAULT_GAS_EXPORT] as WebAssembly.Global).value).toBe(1000n - 81n);
  });

  it('larger costs and gas global indices use multi-byte LEB128', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `(global i32 (i32.const ${i}))`).join(' ');
    const adds = 'i32.const 1 ' + 'i32.const 1 i32.add '.repeat(40);
    const text = `(module ${many} (func (export "f") (result i32) ${adds}))`;
    const out = injectMetering(await wat(text));
    expect(out.gasGlobalIndex).toBe(200);
    expectValid(out.bytes);
    const m = await metered(text);
    expect(m.run('f', [])).toMatchObject({ result: 41, consumed: 81n });
    expect(m.run('f', [], 80n).error).toBeInstanceOf(WebAssembly.RuntimeError);
  });
});

describe('errors', () => {
  it('an invalid module is a CompileError naming the function', async () => {
    const bytes = await wat('(module (func (result i32) (i64.const 1)))');
    expect(() => injectMetering(bytes)).toThrow(CompileError);
    expect(() => injectMetering(bytes)).toThrow(/type mismatch.*\(function 0\)/);
    expect(() => injectMetering(Uint8Array.of(0, 0x61, 0x73))).toThrow(CompileError);
  });

  it('without validation, broken control structure is still a CompileError, never a crash', () => {
    const bad = simpleModule([{ code: [0x0b, 0x0b] }]); // an extra end
    expect(() => injectMetering(bad, { validate: false })).toThrow(CompileError);
    const badLabel = simpleModule([{ code: [0x0c, 0x05] }]); // br 5
    expect(() => injectMetering(badLabel, { validate: false })).toThrow(/unknown label 5/);
    const elseAlone = simpleModule([{ code: [0x05] }]);
    expect(() => injectMetering(elseAlone, { validate: false })).toThrow(/else without a matching if/);
  });

  it('a clashing export name, bad checks or initialGas are clear errors', async () => {
    const bytes = await wat('(module (func (export "__kindling_gas")))');
    expect(() => injectMetering(bytes)).toThrow(/already exports "__kindling_gas"/);
    expect(injectMetering(bytes, { exportName: 'gas' }).gasGlobalExport).toBe('gas');
    expect(() => injectMetering(bytes, { exportName: 'gas', initialGas: 1.5 })).toThrow(/initialGas/);
    expect(() => injectMetering(bytes, { exportName: 'gas', initialGas: 1n << 63n })).toThrow(/does not fit in an i64/);
    expect(() => injectMetering(bytes, { exportName: 'gas', checks: 'sometimes' as 'every-run' })).toThrow(/options.checks/);
  });
});
