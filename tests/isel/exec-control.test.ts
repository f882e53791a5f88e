// Execution tests, control flow, memory and calls: loops, br_table, calls between functions (register and stack
// arguments, multi-value results through the return area), heap access with folded addresses, read-modify-write,
// register pressure (spills) across calls, stack overflow, and the fuel counter in memory.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readU64, writeU64, readU32 } from '../../native/index.js';
import { ExecModule, bitsF64, i32Of, i64Of } from './exec-harness.js';

const LOOPS = `
function %sum_to(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iconst.i32 0
    jump block1(v1, v2)

block1(v3: i32, v4: i32):
    v5 = iadd v4, v3
    v6 = iadd_imm v3, -1
    v7 = icmp_imm sgt v6, 0
    brif v7, block1(v6, v5), block2

block2:
    return v5
}
function %fact(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 1
    jump block1(v1, v2)

block1(v3: i64, v4: i64):
    v5 = icmp_imm sle v3, 1
    brif v5, block3, block2

block2:
    v6 = imul v4, v3
    v7 = iadd_imm v3, -1
    jump block1(v7, v6)

block3:
    return v4
}
function %swap_loop(i64 vmctx, i32, i64, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64, v3: i64):
    jump block1(v1, v2, v3)

block1(v4: i32, v5: i64, v6: i64):
    v7 = iadd_imm v4, -1
    v8 = icmp_imm ne v4, 0
    brif v8, block1(v7, v6, v5), block2

block2:
    v9 = imul_imm v5, 10
    v10 = iadd v9, v6
    return v10
}
function %br_table(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v9 = iconst.i32 100
    br_table v1, block4(v9), [block1, block2, block3, block1, block4(v1)]

block1:
    v2 = iconst.i32 10
    return v2

block2:
    v3 = iconst.i32 20
    return v3

block3:
    v4 = iconst.i32 30
    return v4

block4(v5: i32):
    v6 = iadd_imm v5, 1000
    return v6
}
function %cold_trap(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = icmp_imm slt v1, 0
    brif v2, block2, block1

block2 cold:
    trap unreachable

block1:
    v3 = imul_imm v1, 3
    return v3
}
`;

const ENTRY_LOOP = `function %entry_is_loop(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = icmp_imm eq v1, 0
    brif v3, block1, block2

block2:
    v4 = iadd_imm v1, -1
    v5 = iadd_imm v2, 3
    jump block0(v0, v4, v5)

block1:
    return v2
}
`;

describe('loops, diamonds, br_table, cold blocks', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(LOOPS);
  });
  afterAll(() => m.free());

  it('counting loops with block parameters', () => {
    for (const n of [1, 2, 10, 1000, 65535]) expect(i32Of(m.call(0, [n]).results[0])).toBe(((n * (n + 1)) / 2) | 0);
    let f = 1n;
    for (let n = 0n; n <= 25n; n++) {
      if (n > 1n) f = BigInt.asIntN(64, f * n);
      expect(i64Of(m.call(1, [n]).results[0]), `fact ${n}`).toBe(f);
    }
  });

  it('the entry block as a loop header (the verifier rejects it; the backend copes with a pre-entry block)', () => {
    const e = ExecModule.build(ENTRY_LOOP, { verify: false });
    try {
      expect(i32Of(e.call(0, [0, 5]).results[0])).toBe(5);
      expect(i32Of(e.call(0, [10, 5]).results[0])).toBe(35);
    } finally {
      e.free();
    }
  });

  it('block parameters swapped on the back edge (a parallel-move cycle)', () => {
    for (const n of [0, 1, 2, 3, 10, 11]) {
      // n swaps of (7, 9), then 10 * first + second.
      expect(i64Of(m.call(2, [n, 7n, 9n]).results[0]), `n=${n}`).toBe(n % 2 === 0 ? 79n : 97n);
    }
  });

  it('br_table: every target, duplicates, default with arguments, out of range', () => {
    const want = (i: number): number => (i === 0 || i === 3 ? 10 : i === 1 ? 20 : i === 2 ? 30 : i === 4 ? 1004 : 1100);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 100, -1, 0x7fffffff]) expect(i32Of(m.call(3, [i]).results[0]), `index ${i}`).toBe(want(i));
  });

  it('cold trap block', () => {
    expect(m.call(4, [-1]).trap).toBe('unreachable');
    expect(i32Of(m.call(4, [4]).results[0])).toBe(12);
  });
});

const CALLS = `
function %callee(i64 vmctx, i32, i64) -> i64 {
block0(v0: i64, v1: i32, v2: i64):
    v3 = sextend.i64 v1
    v4 = imul v3, v2
    return v4
}
function %caller(i64 vmctx, i32, i64) -> i64 {
    sig0 = (i64 vmctx, i32, i64) -> i64
    fn0 = func 0 sig0
block0(v0: i64, v1: i32, v2: i64):
    v3 = iadd_imm v2, 1
    v4 = call fn0(v0, v1, v2)
    v5 = iadd v4, v3
    return v5
}
function %fib(i64 vmctx, i32) -> i32 {
    sig0 = (i64 vmctx, i32) -> i32
    fn0 = func 2 sig0
block0(v0: i64, v1: i32):
    v2 = icmp_imm slt v1, 2
    brif v2, block1, block2

block1:
    return v1

block2:
    v3 = iadd_imm v1, -1
    v4 = call fn0(v0, v3)
    v5 = iadd_imm v1, -2
    v6 = call fn0(v0, v5)
    v7 = iadd v4, v6
    return v7
}
function %many_args(i64 vmctx, i32, i64, i32, i64, i32, i64, i32, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> i64, f64 {
block0(v0: i64, v1: i32, v2: i64, v3: i32, v4: i64, v5: i32, v6: i64, v7: i32, v8: i64, v9: f64, v10: f64, v11: f64, v12: f64, v13: f64, v14: f64, v15: f64, v16: f64, v17: f64, v18: f64):
    v20 = sextend.i64 v1
    v21 = imul_imm v2, 2
    v22 = sextend.i64 v3
    v23 = imul_imm v4, 4
    v24 = sextend.i64 v5
    v25 = imul_imm v6, 6
    v26 = sextend.i64 v7
    v27 = imul_imm v8, 8
    v28 = iadd v20, v21
    v29 = iadd v28, v22
    v30 = iadd v29, v23
    v31 = iadd v30, v24
    v32 = iadd v31, v25
    v33 = iadd v32, v26
    v34 = iadd v33, v27
    v40 = fadd v9, v10
    v41 = fmul v40, v11
    v42 = fsub v41, v12
    v43 = fadd v42, v13
    v44 = fmul v43, v14
    v45 = fadd v44, v15
    v46 = fsub v45, v16
    v47 = fmul v46, v17
    v48 = fadd v47, v18
    return v34, v48
}
function %call_many(i64 vmctx, i64) -> i64, f64 {
    sig0 = (i64 vmctx, i32, i64, i32, i64, i32, i64, i32, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> i64, f64
    fn0 = func 3 sig0
block0(v0: i64, v1: i64):
    v2 = iconst.i32 1
    v3 = iconst.i32 -3
    v4 = f64const 0.5
    v5 = f64const 2.0
    v6 = f64const -1.25
    v7 = fcvt_from_sint.f64 v1
    v8, v9 = call fn0(v0, v2, v1, v3, v1, v2, v1, v3, v1, v4, v5, v6, v7, v4, v5, v6, v7, v4, v5)
    return v8, v9
}
function %multi_results(i64 vmctx, i64, f64) -> i64, i64, i64, f64, f64, f64, i32 {
block0(v0: i64, v1: i64, v2: f64):
    v3 = iadd_imm v1, 1
    v4 = iadd_imm v1, 2
    v5 = fadd v2, v2
    v6 = fmul v2, v2
    v7 = iconst.i32 77
    return v1, v3, v4, v2, v5, v6, v7
}
function %call_multi(i64 vmctx, i64, f64) -> i64, f64 {
    sig0 = (i64 vmctx, i64, f64) -> i64, i64, i64, f64, f64, f64, i32
    fn0 = func 5 sig0
block0(v0: i64, v1: i64, v2: f64):
    v3, v4, v5, v6, v7, v8, v9 = call fn0(v0, v1, v2)
    v10 = iadd v3, v4
    v11 = iadd v10, v5
    v12 = sextend.i64 v9
    v13 = iadd v11, v12
    v14 = fadd v6, v7
    v15 = fadd v14, v8
    return v13, v15
}
function %indirect(i64 vmctx, i64, i32) -> i32 {
    sig0 = (i64 vmctx, i32) -> i32
block0(v0: i64, v1: i64, v2: i32):
    v3 = call_indirect sig0, v1(v0, v2)
    v4 = iadd_imm v3, 1
    return v4
}
function %recurse(i64 vmctx, i64) -> i64 {
    sig0 = (i64 vmctx, i64) -> i64
    fn0 = func 8 sig0
block0(v0: i64, v1: i64):
    v2 = icmp_imm eq v1, 0
    brif v2, block1, block2

block1:
    return v1

block2:
    v3 = iadd_imm v1, -1
    v4 = call fn0(v0, v3)
    v5 = iadd_imm v4, 1
    return v5
}
`;

describe('calls', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(CALLS);
  });
  afterAll(() => m.free());

  it('direct calls (relocations to function indices) with values live across the call', () => {
    expect(i64Of(m.call(1, [-3, 1000n]).results[0])).toBe(-3000n + 1001n);
    const fib = (n: number): number => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    for (const n of [0, 1, 2, 10, 20]) expect(i32Of(m.call(2, [n]).results[0])).toBe(fib(n));
  });

  it('stack arguments (more than 6 ints / 8 floats) and a float result', () => {
    const x = 5n;
    const r = m.call(4, [x]).results;
    const ints = 1n + 2n * x + -3n + 4n * x + 1n + 6n * x + -3n + 8n * x;
    expect(i64Of(r[0])).toBe(ints);
    const xf = 5;
    const fl = ((((((0.5 + 2) * -1.25 - xf + 0.5) * 2 + -1.25 - xf) * 0.5) + 2));
    expect(bitsF64(r[1])).toBe(fl);
  });

  it('multi-value results through the return area', () => {
    const r = m.call(6, [10n, 1.5]).results;
    expect(i64Of(r[0])).toBe(10n + 11n + 12n + 77n);
    expect(bitsF64(r[1])).toBe(1.5 + 3 + 2.25);
    const direct = m.call(5, [10n, 1.5]).results;
    expect(direct.slice(0, 3).map(i64Of)).toEqual([10n, 11n, 12n]);
    expect(direct.slice(3, 6).map(bitsF64)).toEqual([1.5, 3, 2.25]);
    expect(i32Of(direct[6])).toBe(77);
  });

  it('call_indirect through a code address', () => {
    const fibAddr = m.region.address + BigInt(m.code.functions[2].start);
    expect(i32Of(m.call(7, [fibAddr, 12]).results[0])).toBe(145);
  });

  it('deep recursion traps with stack_overflow instead of crashing, and later calls work', () => {
    expect(i64Of(m.call(8, [1000n]).results[0])).toBe(1000n);
    m.setStackLimit(ExecModule.stackLimitWithMargin(256 * 1024));
    const r = m.call(8, [100_000_000n]);
    expect(r.trap).toBe('stack_overflow');
    expect(i64Of(m.call(8, [50n]).results[0])).toBe(50n);
    // A limit above the stack pointer traps at the first prologue.
    m.setStackLimit(0xffffffffffffffffn);
    expect(m.call(8, [1n]).trap).toBe('stack_overflow');
    m.setStackLimit(0n);
  });
});

const MEMORY = `
function %heap_sum(i64 vmctx, i32, i32) -> i64 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load.i64 notrap aligned readonly vmctx v0+32
    v4 = iconst.i64 0
    jump block1(v1, v4)

block1(v5: i32, v6: i64):
    v7 = icmp ult v5, v2
    brif v7, block2, block3

block2:
    v8 = uextend.i64 v5
    v9 = ishl_imm v8, 3
    v10 = iadd v3, v9
    v11 = load.i64 heap v10
    v12 = iadd v6, v11
    v13 = iadd_imm v5, 1
    jump block1(v13, v12)

block3:
    return v6
}
function %widths(i64 vmctx, i32) -> i32, i32, i32, i32, i64, i64, i64, i64 {
block0(v0: i64, v1: i32):
    v2 = load.i64 notrap aligned readonly vmctx v0+32
    v3 = uextend.i64 v1
    v4 = iadd v2, v3
    v5 = uload8.i32 heap v4+1
    v6 = sload8.i32 heap v4+1
    v7 = uload16.i32 heap v4+2
    v8 = sload16.i32 heap v4+2
    v9 = uload32.i64 heap v4+4
    v10 = sload32.i64 heap v4+4
    v11 = sload8.i64 heap v4+1
    v12 = uload16.i64 heap v4+2
    return v5, v6, v7, v8, v9, v10, v11, v12
}
function %stores(i64 vmctx, i32, i64, f64) {
block0(v0: i64, v1: i32, v2: i64, v3: f64):
    v4 = load.i64 notrap aligned readonly vmctx v0+32
    v5 = uextend.i64 v1
    v6 = iadd v4, v5
    istore8 heap v2, v6
    istore16 heap v2, v6+2
    istore32 heap v2, v6+4
    store heap v2, v6+8
    store heap v3, v6+16
    v7 = fdemote.f32 v3
    store heap v7, v6+24
    v8 = iconst.i32 -2
    store heap v8, v6+28
    v9 = iconst.i64 -3
    store heap v9, v6+32
    v10 = iconst.i32 0x1234
    istore8 heap v10, v6+40
    return
}
function %rmw(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = load.i64 notrap aligned readonly vmctx v0+32
    v4 = uextend.i64 v1
    v5 = iadd v3, v4
    v6 = load.i32 heap v5+8
    v7 = iadd v6, v2
    store heap v7, v5+8
    v8 = load.i64 heap v5+16
    v9 = bxor_imm v8, 255
    store heap v9, v5+16
    v10 = load.i32 heap v5+24
    v11 = isub v10, v2
    store heap v11, v5+24
    v12 = load.i32 heap v5+8
    return v12
}
function %load_op(i64 vmctx, i32, i32, f64) -> i32, f64, i32 {
block0(v0: i64, v1: i32, v2: i32, v3: f64):
    v4 = load.i64 notrap aligned readonly vmctx v0+32
    v5 = uextend.i64 v1
    v6 = iadd v4, v5
    v7 = load.i32 heap v6
    v8 = iadd v2, v7
    v9 = load.f64 heap v6+8
    v10 = fmul v3, v9
    v11 = load.i32 heap v6+16
    v12 = icmp ult v11, v2
    v13 = uextend.i64 v12
    v14 = ireduce.i32 v13
    return v8, v10, v14
}
`;

describe('memory: folded addresses, widths, read-modify-write, load-op', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(MEMORY);
  });
  afterAll(() => m.free());

  it('a loop summing i64s at [heap + i*8]', () => {
    let want = 0n;
    for (let i = 0; i < 100; i++) {
      const v = BigInt(i) * 0x100000001n - 7n;
      writeU64(m.heap + BigInt(i * 8), BigInt.asUintN(64, v));
      if (i >= 3) want += v;
    }
    expect(i64Of(m.call(0, [3, 100]).results[0])).toBe(want);
  });

  it('sub-word loads extend correctly', () => {
    writeU64(m.heap + 1000n, 0x89abcdef_8081f0ffn);
    const r = m.call(1, [1000]).results;
    expect(r.slice(0, 4).map(i32Of)).toEqual([0xf0, (0xf0 << 24) >> 24, 0x8081, (0x8081 << 16) >> 16]);
    expect(r.slice(4).map(i64Of)).toEqual([0x89abcdefn, BigInt.asIntN(32, 0x89abcdefn), -16n, 0x8081n]);
  });

  it('stores of every width, float stores and immediate stores', () => {
    for (let i = 0; i < 6; i++) writeU64(m.heap + 2000n + BigInt(8 * i), 0n);
    m.call(2, [2000, 0x1122334455667788n, 2.5]);
    expect(readU64(m.heap + 2000n)).toBe(0x88n | (0x7788n << 16n) | (0x55667788n << 32n));
    expect(readU64(m.heap + 2008n)).toBe(0x1122334455667788n);
    expect(bitsF64(readU64(m.heap + 2016n))).toBe(2.5);
    expect(readU32(m.heap + 2024n)).toBe(0x40200000);
    expect(readU32(m.heap + 2028n)).toBe(0xfffffffe);
    expect(readU64(m.heap + 2032n)).toBe(0xfffffffffffffffdn);
    expect(readU64(m.heap + 2040n) & 0xffffn).toBe(0x34n);
  });

  it('read-modify-write add/xor/sub on memory', () => {
    writeU64(m.heap + 3008n, 40n);
    writeU64(m.heap + 3016n, 0x1000000000000f0fn);
    writeU64(m.heap + 3024n, 10n);
    expect(i32Of(m.call(3, [3000, 2]).results[0])).toBe(42);
    expect(readU64(m.heap + 3016n)).toBe(0x1000000000000ff0n);
    expect(readU64(m.heap + 3024n) & 0xffffffffn).toBe(8n);
  });

  it('load-op merging keeps values exact', () => {
    writeU64(m.heap + 4000n, 0xfffffff0n);
    writeU64(m.heap + 4008n, 0x4010000000000000n); // 4.0
    writeU64(m.heap + 4016n, 5n);
    const r = m.call(4, [4000, 20, 1.5]).results;
    expect(i32Of(r[0])).toBe(4);
    expect(bitsF64(r[1])).toBe(6);
    expect(i32Of(r[2])).toBe(1);
  });
});

/** 40 values live at once (more than the 13 integer registers), also across a call: forces spills and reloads. */
function pressureText(): string {
  const n = 40;
  let body = '';
  for (let i = 0; i < n; i++) body += `    v${10 + i} = imul_imm v1, ${i + 1}\n`;
  for (let i = 0; i < 20; i++) body += `    v${60 + i} = fcvt_from_sint.f64 v${10 + i}\n`;
  body += '    v99 = call fn0(v0, v1)\n';
  let acc = 99;
  let next = 100;
  for (let i = 0; i < n; i++) {
    body += `    v${next} = iadd v${acc}, v${10 + i}\n`;
    acc = next++;
  }
  let facc = 60;
  for (let i = 1; i < 20; i++) {
    body += `    v${next} = fadd v${facc}, v${60 + i}\n`;
    facc = next++;
  }
  return `function %id(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    return v1
}
function %pressure(i64 vmctx, i64) -> i64, f64 {
    sig0 = (i64 vmctx, i64) -> i64
    fn0 = func 0 sig0
block0(v0: i64, v1: i64):
${body}    return v${acc}, v${facc}
}
`;
}

describe('register pressure', () => {
  it('spills and reloads (ints and floats) across a call give exact results', () => {
    const m = ExecModule.build(pressureText());
    try {
      expect(m.code.functions[1].numSpillSlots).toBeGreaterThan(10);
      for (const x of [0n, 1n, 3n, -7n, 123456789n]) {
        const r = m.call(1, [x]).results;
        expect(i64Of(r[0])).toBe(BigInt.asIntN(64, x + x * 820n));
        expect(bitsF64(r[1])).toBe(Number(x) * 210);
      }
    } finally {
      m.free();
    }
  });
});

const FUEL = `
function %fuel_loop(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = load.i64 notrap aligned readonly vmctx v0
    jump block1(v1)

block1(v3: i32):
    v4 = load.i64 notrap aligned vmctx v2+8
    v5 = iadd_imm v4, 3
    store notrap aligned vmctx v5, v2+8
    v6 = icmp_imm sge v5, 0
    brif v6, block3, block2

block2:
    v7 = iadd_imm v3, -1
    v8 = icmp_imm ne v7, 0
    brif v8, block1(v7), block4

block3 cold:
    trap out_of_fuel

block4:
    return v7
}
function %fuel_variable(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = load.i64 notrap aligned readonly vmctx v0
    v3 = load.i64 notrap aligned vmctx v2+8
    jump block1(v1, v3)

block1(v4: i32, v5: i64):
    v6 = iadd_imm v5, 3
    v7 = icmp_imm sge v6, 0
    brif v7, block3, block2

block2:
    v8 = iadd_imm v4, -1
    v9 = icmp_imm ne v8, 0
    brif v9, block1(v8, v6), block4

block3 cold:
    store notrap aligned vmctx v6, v2+8
    trap out_of_fuel

block4:
    store notrap aligned vmctx v6, v2+8
    return v8
}
`;

describe('fuel counter (memory and variable strategies, hand-written IR)', () => {
  let m: ExecModule;
  beforeAll(() => {
    m = ExecModule.build(FUEL);
  });
  afterAll(() => m.free());

  for (const [f, name] of [[0, 'memory'], [1, 'variable']] as const) {
    it(`${name}: the counter advances by the loop cost and out-of-fuel traps exactly`, () => {
      writeU64(m.interrupts + 8n, BigInt.asUintN(64, -1000n));
      expect(m.call(f, [10]).trap).toBeNull();
      expect(i64Of(readU64(m.interrupts + 8n))).toBe(-1000n + 30n);
      writeU64(m.interrupts + 8n, BigInt.asUintN(64, -10n));
      const r = m.call(f, [100]);
      expect(r.trap).toBe('out_of_fuel');
      expect(i64Of(readU64(m.interrupts + 8n))).toBe(2n); // -10 + 4 * 3: the 4th check fails
    });
  }
});

const TRAP_SITES = `
function %checked(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    @0020 fuel=2 v3 = udiv v1, v2
    @0024 v4 = icmp_imm eq v3, 7
    @0026 fuel=5 trapnz v4, unreachable
    @0030 v5 = icmp_imm slt v3, 0
    @0032 brif v5, block1, block2

block1 cold:
    @0034 fuel=6 trap heap_oob

block2:
    return v3
}
`;

describe('trap table', () => {
  it('each trap reports its code, wasm offset and pending fuel through the return address of its call', () => {
    const m = ExecModule.build(TRAP_SITES);
    try {
      expect(m.call(0, [1, 0])).toMatchObject({ trap: 'int_divz', trapWasmOffset: 0x20, trapFuel: 2 });
      expect(m.call(0, [14, 2])).toMatchObject({ trap: 'unreachable', trapWasmOffset: 0x26, trapFuel: 5 });
      expect(m.call(0, [-2, 1])).toMatchObject({ trap: 'heap_oob', trapWasmOffset: 0x34, trapFuel: 6 });
      expect(i32Of(m.call(0, [12, 2]).results[0])).toBe(6);
      // Code map: the function covers its trap stubs; the table lookups are exact.
      const f = m.code.functions[0];
      expect(f.start).toBe(0);
      for (let i = 0; i < m.code.trapTable.length; i++) {
        const off = m.code.trapTable.offsets[i];
        expect(off).toBeGreaterThan(f.start);
        expect(off).toBeLessThanOrEqual(f.end);
        expect(m.code.trapTable.lookup(off)).toBe(i);
        expect(m.code.trapTable.lookup(off - 1)).toBe(-1);
      }
    } finally {
      m.free();
    }
  });
});
