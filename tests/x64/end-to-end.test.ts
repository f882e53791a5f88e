// End to end: code built with the Assembler is placed in executable memory (native/) and called from JS.

import { afterAll, describe, expect, it } from 'vitest';
import { mapCode, nativeFunction, type CodeRegion } from '../../native/index.js';
import { Assembler } from '../../src/x64/assembler.js';
import { mem, memIndex, ripRel } from '../../src/x64/amode.js';
import { Cond } from '../../src/x64/condition-codes.js';
import { AluOp, SseOp } from '../../src/x64/opcodes.js';
import { RAX, RCX, RDI, RDX, RSI, XMM0, XMM1 } from '../../src/x64/registers.js';

const regions: CodeRegion[] = [];
afterAll(() => {
  for (const r of regions) r.free();
});

function place(a: Assembler): bigint {
  const code = a.finish();
  const region = mapCode(code.bytes);
  regions.push(region);
  return region.address;
}

/** fib(n) over i64, iteratively; `padding` NOP bytes inside the loop force rel32 branches when large. */
function buildFib(padding: number): Assembler {
  const a = new Assembler();
  const loop = a.newLabel();
  const done = a.newLabel();
  a.aluRR(AluOp.Xor, 4, RAX, RAX); // a = 0
  a.movRI(8, RCX, 1); // b = 1
  a.testRR(8, RDI, RDI);
  a.jcc(Cond.E, done);
  a.align(16);
  a.bind(loop);
  a.lea(8, RDX, memIndex(RAX, RCX, 1)); // t = a + b
  a.movRR(8, RAX, RCX); // a = b
  a.movRR(8, RCX, RDX); // b = t
  a.nop(padding);
  a.aluRI(AluOp.Sub, 8, RDI, 1);
  a.jcc(Cond.NE, loop);
  a.bind(done);
  a.ret();
  return a;
}

function fibReference(n: number): bigint {
  let x = 0n;
  let y = 1n;
  for (let i = 0; i < n; i++) [x, y] = [y, BigInt.asIntN(64, x + y)];
  return x;
}

describe('machine code built by the Assembler runs', () => {
  for (const padding of [0, 300]) {
    it(`iterative fib(n) over i64 (loop padding ${padding}: ${padding ? 'rel32' : 'rel8'} branches)`, () => {
      const a = buildFib(padding);
      const fib = nativeFunction(place(a), { params: ['i64'], result: 'i64' });
      for (const n of [0, 1, 2, 3, 10, 50, 90, 92, 93]) expect(fib(BigInt(n))).toBe(fibReference(n));
    });
  }

  it('f64 dot product over two arrays (pointer arguments)', () => {
    const a = new Assembler();
    const loop = a.newLabel();
    const done = a.newLabel();
    a.xmmRR(SseOp.Xorpd, XMM0, XMM0);
    a.aluRR(AluOp.Xor, 4, RCX, RCX);
    a.testRR(8, RDX, RDX);
    a.jcc(Cond.E, done);
    a.bind(loop);
    a.xmmRM(SseOp.Movsd, XMM1, memIndex(RDI, RCX, 8));
    a.xmmRM(SseOp.Mulsd, XMM1, memIndex(RSI, RCX, 8));
    a.xmmRR(SseOp.Addsd, XMM0, XMM1);
    a.aluRI(AluOp.Add, 8, RCX, 1);
    a.aluRR(AluOp.Cmp, 8, RCX, RDX);
    a.jcc(Cond.L, loop);
    a.bind(done);
    a.ret();
    const dot = nativeFunction(place(a), { params: ['ptr', 'ptr', 'i64'], result: 'f64' });

    for (const n of [0, 1, 7, 1000]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
      const y = Float64Array.from({ length: n }, (_, i) => 1 / (i + 1));
      let expected = 0;
      for (let i = 0; i < n; i++) expected += x[i]! * y[i]!;
      expect(dot(x, y, n)).toBe(expected);
    }
  });

  it('constant-pool operands: |x| * 2.5 + 1.0 with a 16-byte mask (andpd needs alignment)', () => {
    const a = new Assembler();
    const mask = a.const128(0xffffffff, 0x7fffffff, 0xffffffff, 0x7fffffff);
    a.xmmRM(SseOp.Andpd, XMM0, ripRel(mask));
    a.xmmRM(SseOp.Mulsd, XMM0, ripRel(a.constF64Value(2.5)));
    a.xmmRM(SseOp.Addsd, XMM0, ripRel(a.constF64Value(1.0)));
    a.ret();
    const f = nativeFunction(place(a), { params: ['f64'], result: 'f64' });
    for (const x of [0, 1, -1, 3.25, -1e300, -0]) expect(f(x)).toBe(Math.abs(x) * 2.5 + 1.0);
  });

  it('a jump table, an internal call, setcc and cmov', () => {
    // f(i) = i in 0..3 ? 100 + i*i (via a jump table to per-case blocks) : helper(i) = (i < 0 ? -1 : 1) * 7
    const a = new Assembler();
    const table = a.newLabel();
    const other = a.newLabel();
    const helper = a.newLabel();
    const cases = [a.newLabel(), a.newLabel(), a.newLabel(), a.newLabel()];
    a.movRR(4, RDI, RDI); // zero-extend the i32 argument for indexing
    a.aluRI(AluOp.Cmp, 4, RDI, 3);
    a.jcc(Cond.A, other); // unsigned: negative i is also out of range
    a.lea(8, RCX, ripRel(table));
    a.movsxRM(4, 8, RAX, memIndex(RCX, RDI, 4));
    a.aluRR(AluOp.Add, 8, RAX, RCX);
    a.jmpR(RAX);
    cases.forEach((c, k) => {
      a.bind(c);
      a.movRI(4, RAX, 100 + k * k);
      a.ret();
    });
    a.bind(other);
    a.call(helper);
    a.ret();
    a.bind(helper);
    a.aluRR(AluOp.Xor, 4, RAX, RAX);
    a.testRR(4, RDI, RDI);
    a.setcc(Cond.NS, RAX); // eax = i >= 0 ? 1 : 0
    a.movRI(4, RDX, -7);
    a.movRI(4, RSI, 7);
    a.testRR(4, RAX, RAX);
    a.cmovRR(Cond.NE, 4, RDX, RSI);
    a.movRR(4, RAX, RDX);
    a.ret();
    a.align(4);
    a.bind(table);
    for (const c of cases) a.jumpTableEntry(c, table);
    const f = nativeFunction(place(a), { params: ['i32'], result: 'i32' });
    expect([0, 1, 2, 3].map((i) => f(i))).toEqual([100, 101, 104, 109]);
    expect([4, 1000, -1, -5].map((i) => f(i))).toEqual([7, 7, -7, -7]);
  });

  it('read-modify-write memory forms on a JS buffer', () => {
    // void f(i64* p): p[0] += 5; p[1] -= p[0]; p[2] = ~p[2]; cmp [p+24], imm -> store setcc
    const a = new Assembler();
    a.aluMI(AluOp.Add, 8, mem(RDI), 5);
    a.movRM(8, RAX, mem(RDI));
    a.aluMR(AluOp.Sub, 8, mem(RDI, 8), RAX);
    a.unaryM(2, 8, mem(RDI, 16)); // not
    a.aluMI(AluOp.Cmp, 8, mem(RDI, 24), 1000);
    a.setcc(Cond.L, RAX);
    a.movzxRR(1, 8, RAX, RAX);
    a.movMR(8, mem(RDI, 32), RAX);
    a.ret();
    const f = nativeFunction(place(a), { params: ['ptr'], result: 'void' });
    const data = BigInt64Array.of(10n, 100n, 0x0f0fn, 999n, -1n);
    f(data);
    expect(Array.from(data)).toEqual([15n, 85n, ~0x0f0fn, 999n, 1n]);
  });
});
