// Traps: `call raise` from hand-assembled code unwinds to the entry trampoline, restores its registers and entrySp,
// and is reported as a RuntimeError with the trap table's code and a backtrace.
import { describe, expect, it } from 'vitest';
import { AluOp, Cond, R12, R13, R14, R15, RAX, RBP, RBX, RSI, RSP } from '../../src/x64/index.js';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { RuntimeError } from '../../src/runtime/errors.js';
import { activation } from '../../src/runtime/activation.js';
import { HandModule, I32, exportCode, funcType } from './helpers.js';

/** f0(x) = f1(x) + 1; f1(x) = x == 0 ? trap(code) : 2x. The trap path first clobbers every callee-saved register but rbp. */
function nestedTrapModule(code: number, clobberRbp = false): HandModule {
  const m = new HandModule();
  m.func((a) => {
    a.push(RBP);
    a.movRR(8, RBP, RSP);
    a.callExternal(1);
    a.aluRI(AluOp.Add, 4, RAX, 1);
    a.pop(RBP);
    a.ret();
  });
  m.func((a, mod) => {
    const fail = a.newLabel();
    a.push(RBP);
    a.movRR(8, RBP, RSP);
    a.testRR(4, RSI, RSI);
    a.jcc(Cond.E, fail);
    a.movRR(4, RAX, RSI);
    a.aluRR(AluOp.Add, 4, RAX, RAX);
    a.pop(RBP);
    a.ret();
    a.bind(fail);
    for (const r of [RBX, R12, R13, R14, R15]) a.movRI(8, r, 0xdead);
    if (clobberRbp) a.movRI(8, RBP, 0x1000);
    mod.trap(code, 1, 0x42);
  });
  return m;
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('traps', () => {
  it('a trap two calls deep returns a RuntimeError with the code, the site and a backtrace; then calls work again', () => {
    const code = nestedTrapModule(TrapCode.unreachable).load('nested');
    const f = exportCode(code.functionAddress(0), 1, funcType([I32], [I32]));
    expect(f(5)).toBe(11);
    const trap = catchError(() => f(0)) as RuntimeError;
    expect(trap).toBeInstanceOf(RuntimeError);
    expect(trap.name).toBe('RuntimeError');
    expect(trap.message).toBe('unreachable');
    expect(trap.trap).toBe(TrapCode.unreachable);
    expect(trap.wasmFrames.map((fr) => fr.funcIndex)).toEqual([1, 0]);
    expect(trap.wasmFrames[0]!.moduleOffset).toBe(0x42);
    expect(trap.wasmFrames[1]!.moduleOffset).toBe(-1);
    expect(trap.wasmFrames[0]!.module).toBe('nested');
    // trapPc is the return address of the trap site's call: inside f1, right after the `call rel32` to the pad.
    const site = code.layout.trapTable.returnOffsets[0]!;
    expect(trap.wasmFrames[0]!.pc).toBe(code.start + site);
    expect(code.finished.bytes[site - 5]).toBe(0xe8);
    expect(activation().entrySp).toBe(0);
    // Callee-saved registers were restored (the process would have crashed otherwise) and calls behave again.
    expect(f(7)).toBe(15);
    expect(() => f(0)).toThrow('unreachable');
    expect(f(1)).toBe(3);
  });

  it('every trap code has its message', () => {
    const expected: Array<[number, string]> = [
      [TrapCode.int_divz, 'integer divide by zero'],
      [TrapCode.int_ovf, 'integer overflow'],
      [TrapCode.bad_conversion, 'invalid conversion to integer'],
      [TrapCode.heap_oob, 'out of bounds memory access'],
      [TrapCode.table_oob, 'out of bounds table access'],
      [TrapCode.indirect_null, 'indirect call to null'],
      [TrapCode.bad_sig, 'indirect call signature mismatch'],
      [TrapCode.stack_overflow, 'call stack exhausted'],
      [TrapCode.out_of_fuel, 'all fuel consumed'],
      [TrapCode.interrupted, 'interrupted'],
    ];
    for (const [trapCode, message] of expected) {
      const code = nestedTrapModule(trapCode).load(`code-${trapCode}`);
      const f = exportCode(code.functionAddress(0), 1, funcType([I32], [I32]));
      const error = catchError(() => f(0)) as RuntimeError;
      expect([error.trap, error.message]).toEqual([trapCode, message]);
    }
  });

  it('a garbage frame pointer at the trap cannot derail the backtrace walk', () => {
    const code = nestedTrapModule(TrapCode.int_divz, true).load('bad-rbp');
    const f = exportCode(code.functionAddress(0), 1, funcType([I32], [I32]));
    const error = catchError(() => f(0)) as RuntimeError;
    expect(error.message).toBe('integer divide by zero');
    expect(error.wasmFrames.map((fr) => fr.funcIndex)).toEqual([1]); // only the site itself
    expect(f(2)).toBe(5);
  });
});
