// Entry trampolines: every mix of argument and result locations of the wasm ABI, checked against functions
// hand-assembled from the ABI's rules (not from wasmCallLayout, so a layout bug cannot cancel itself out).
import { describe, expect, it } from 'vitest';
import {
  AluOp, R8, R9, RAX, RCX, RDI, RDX, RSI, RSP, SseOp, XMM0, XMM1, mem, ripRel,
} from '../../src/x64/index.js';
import { allocateBlock } from '../../src/runtime/native-blocks.js';
import { entryTrampolineFor } from '../../src/runtime/signature-code.js';
import { activation } from '../../src/runtime/activation.js';
import { F32, F64, HandModule, I32, I64, FUNCREF, EXTERNREF, exportCode, funcType } from './helpers.js';

describe('entry trampolines', () => {
  it('passes 7 i32 (2 on the stack), 9 f64 (1 on the stack), an i64 and an f32 on the stack', () => {
    // params: a1..a7 i32, d1..d9 f64, x i64, y f32. Ints after vmctx: rsi rdx rcx r8 r9, then stack; floats xmm0-7.
    // Stack arguments in parameter order: a6 [rsp+8], a7 [rsp+16], d9 [rsp+24], x [rsp+32], y [rsp+40].
    const m = new HandModule();
    const dump = allocateBlock(256, 16);
    m.func((a) => {
      a.movRI(8, RAX, dump.address);
      a.movMR(4, mem(RAX, 0), RSI);
      a.movMR(4, mem(RAX, 8), RDX);
      a.movMR(4, mem(RAX, 16), RCX);
      a.movMR(4, mem(RAX, 24), R8);
      a.movMR(4, mem(RAX, 32), R9);
      a.movRM(4, RCX, mem(RSP, 8));
      a.movMR(4, mem(RAX, 40), RCX);
      a.movRM(4, RCX, mem(RSP, 16));
      a.movMR(4, mem(RAX, 48), RCX);
      for (let i = 0; i < 8; i++) a.xmmMR(SseOp.Movsd, mem(RAX, 56 + 8 * i), XMM0 + i);
      a.movRM(8, RCX, mem(RSP, 24));
      a.movMR(8, mem(RAX, 120), RCX);
      a.movRM(8, RCX, mem(RSP, 32));
      a.movMR(8, mem(RAX, 128), RCX);
      a.movRM(4, RCX, mem(RSP, 40));
      a.movMR(4, mem(RAX, 136), RCX);
      a.movRR(8, RAX, RDI); // result: vmctx, to check it arrived in rdi
      a.ret();
    });
    const code = m.load('args');
    const type = funcType([I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, I64, F32], [I64]);
    const f = exportCode(code.functionAddress(0), 0x1234_5678_9a, type);
    const ints = [1, -2, 3, 2147483647, -2147483648, 6, -7];
    const doubles = [0.5, -1.25, 1e300, -0, Math.PI, 6.5, 7.75, 8.125, -9.5];
    const result = f(...ints, ...doubles, -(2n ** 63n) + 5n, 1.5);
    expect(result).toBe(0x1234_5678_9an);
    const view = dump.view;
    const at = dump.at;
    expect(ints.map((_, i) => view.getInt32(at + 8 * i, true))).toEqual(ints);
    expect(doubles.map((_, i) => view.getFloat64(at + 56 + 8 * i, true))).toEqual(doubles);
    expect(Object.is(view.getFloat64(at + 56 + 24, true), -0)).toBe(true);
    expect(view.getBigInt64(at + 128, true)).toBe(-(2n ** 63n) + 5n);
    expect(view.getFloat32(at + 136, true)).toBe(1.5);
  });

  it('returns 7 mixed results: rax, rdx, xmm0, xmm1 and three through the return area', () => {
    // (p: i32, q: f64) -> (i64, f64, i32, f32, i32, f64, i64). The return-area pointer is the hidden argument after
    // vmctx (rsi), so p arrives in edx and q in xmm0. Results: i64 rax, f64 xmm0, i32 rdx, f32 xmm1, then
    // [area+0] i32, [area+8] f64, [area+16] i64.
    const m = new HandModule();
    m.func((a) => {
      const onePointFive = a.constF32Value(1.5);
      a.movRR(4, RCX, RDX);
      a.aluRR(AluOp.Add, 4, RCX, RCX);
      a.movMR(4, mem(RSI, 0), RCX); // r4 = 2p
      a.xmmMR(SseOp.Movsd, mem(RSI, 8), XMM0); // r5 = q
      a.movRI64(RCX, 0x23456789, 0x1);
      a.movMR(8, mem(RSI, 16), RCX); // r6 = 0x1_2345_6789
      a.movRI(8, RAX, -5); // r0
      a.aluRI(AluOp.Add, 4, RDX, 1); // r2 = p + 1
      a.xmmRM(SseOp.Movss, XMM1, ripRel(onePointFive)); // r3
      a.xmmRR(SseOp.Addsd, XMM0, XMM0); // r1 = 2q
      a.ret();
    });
    const code = m.load('results');
    const f = exportCode(code.functionAddress(0), 1, funcType([I32, F64], [I64, F64, I32, F32, I32, F64, I64]));
    expect(f(20, 1.25)).toEqual([-5n, 2.5, 21, 1.5, 40, 1.25, 0x1_2345_6789n]);
    expect(f(-1, -0.5)).toEqual([-5n, -1, 0, 1.5, -2, -0.5, 0x1_2345_6789n]);
  });

  it('returns three f64 (two in xmm0/xmm1, one in the return area) and stack-passed references', () => {
    // (f64 x9, externref, funcref, i64 x5, i32) -> (f64, f64, f64): 9 f64 params so the 9th goes on the stack;
    // ints after vmctx and the return-area pointer: externref rdx, funcref rcx, i64s r8 r9 then stack.
    const m = new HandModule();
    const dump = allocateBlock(64, 16);
    m.func((a) => {
      a.movRI(8, RAX, dump.address);
      a.movMR(8, mem(RAX, 0), RDX); // externref handle
      a.movMR(8, mem(RAX, 8), RCX); // funcref address
      a.movRM(8, RCX, mem(RSP, 8)); // 9th f64 (first stack argument)
      a.movMR(8, mem(RAX, 16), RCX);
      a.movRM(8, RCX, mem(RSP, 16)); // third i64
      a.movMR(8, mem(RAX, 24), RCX);
      a.movRM(4, RCX, mem(RSP, 40)); // the i32 (stack args: f64, i64, i64, i64, i32)
      a.movMR(4, mem(RAX, 32), RCX);
      a.xmmMR(SseOp.Movsd, mem(RSI, 0), XMM0 + 2); // r2 = third f64 param
      a.xmmRR(SseOp.Movsd, XMM0 + 1, XMM0 + 7); // r1 = eighth
      a.ret(); // r0 = first (already in xmm0)
    });
    const code = m.load('refs');
    const type = funcType([F64, F64, F64, F64, F64, F64, F64, F64, F64, EXTERNREF, FUNCREF, I64, I64, I64, I64, I64, I32], [F64, F64, F64]);
    const f = exportCode(code.functionAddress(0), 1, type);
    const token = { token: true };
    expect(f(1, 2, 3, 4, 5, 6, 7, 8, 9.5, token, null, 1n, 2n, 3n, 4n, 5n, 77)).toEqual([1, 8, 3]);
    const view = dump.view;
    expect(view.getBigUint64(dump.at, true)).toBeGreaterThan(0n); // a non-null handle
    expect(view.getBigUint64(dump.at + 8, true)).toBe(0n); // null funcref
    expect(view.getFloat64(dump.at + 16, true)).toBe(9.5);
    expect(view.getBigInt64(dump.at + 24, true)).toBe(3n);
    expect(view.getInt32(dump.at + 32, true)).toBe(77);
    // The same externref object maps to the same handle; null to 0.
    const first = view.getBigUint64(dump.at, true);
    f(1, 2, 3, 4, 5, 6, 7, 8, 9, token, null, 1n, 2n, 3n, 4n, 5n, 0);
    expect(view.getBigUint64(dump.at, true)).toBe(first);
    f(1, 2, 3, 4, 5, 6, 7, 8, 9, null, null, 1n, 2n, 3n, 4n, 5n, 0);
    expect(view.getBigUint64(dump.at, true)).toBe(0n);
  });

  it('converts arguments like the JS API (ToInt32, BigInt only for i64, fround) and rejects bad ones', () => {
    const m = new HandModule();
    m.func((a) => {
      // (i32, i64, f32) -> (i32, i64, f32): identity.
      a.movRR(4, RAX, RSI);
      a.xmmRR(SseOp.Movss, XMM1, XMM0); // unused, keeps xmm0
      a.ret(); // rdx already holds the i64, xmm0 the f32
    });
    const code = m.load('convert');
    const f = exportCode(code.functionAddress(0), 1, funcType([I32, I64, F32], [I32, I64, F32]));
    expect(f(2 ** 32 + 5, 2n ** 64n + 3n, 0.1)).toEqual([5, 3n, Math.fround(0.1)]);
    expect(f('12', '-7', '2.5')).toEqual([12, -7n, 2.5]);
    expect(f(true, true, undefined)).toEqual([1, 1n, NaN]);
    expect(() => f(1, 1, 1)).toThrow(TypeError); // Number for i64
    expect(() => f(1n, 1n, 1)).toThrow(TypeError); // BigInt for i32
    expect(() => f(1, 1n, 1n)).toThrow(TypeError); // BigInt for f32
    expect(() => f(1, 'x', 1)).toThrow(SyntaxError);
    expect(f.length).toBe(3);
    expect(f.name).toBe('0');
  });

  it('user code run by an argument conversion cannot clobber the shared value slots', () => {
    const m = new HandModule();
    m.func((a) => {
      a.movRR(4, RAX, RSI);
      a.aluRR(AluOp.Sub, 4, RAX, RDX); // a - b
      a.ret();
    });
    const code = m.load('reentrant-convert');
    const f = exportCode(code.functionAddress(0), 1, funcType([I32, I32], [I32]));
    const sneaky = { valueOf: () => (f(1000, 1) === 999 ? 3 : -1) };
    expect(f(10, sneaky)).toBe(7);
  });

  it('leaves entrySp at 0 after returning, and shares one trampoline per signature shape', () => {
    const m = new HandModule();
    m.func((a) => {
      a.movRI(4, RAX, 42);
      a.ret();
    });
    const code = m.load('plain');
    const f = exportCode(code.functionAddress(0), 1, funcType([], [I32]));
    for (let i = 0; i < 3; i++) expect(f()).toBe(42);
    expect(activation().entrySp).toBe(0);
    expect(entryTrampolineFor(funcType([I64], [])).address).toBe(entryTrampolineFor(funcType([EXTERNREF], [])).address);
    expect(entryTrampolineFor(funcType([I64], [])).address).not.toBe(entryTrampolineFor(funcType([I32], [])).address);
  });
});
