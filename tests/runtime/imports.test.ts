// Import stubs and the host dispatcher: wasm → JS calls, exceptions carried through wasm frames unchanged, and
// wasm → JS → wasm nesting.
import { describe, expect, it } from 'vitest';
import { AluOp, RAX, RBP, RBX, RDI, RSI, RSP, R12, mem } from '../../src/x64/index.js';
import { hostFuncRef } from '../../src/runtime/host-functions.js';
import { exportedFunctionOf } from '../../src/runtime/exported-function.js';
import { activation } from '../../src/runtime/activation.js';
import { allocateBlock } from '../../src/runtime/native-blocks.js';
import { RuntimeError } from '../../src/runtime/errors.js';
import { CodeKind, findCodeRange } from '../../src/runtime/code-map.js';
import { EXTERNREF, F32, F64, FUNCREF, HandModule, I32, I64, exportCode, funcType } from './helpers.js';

const I32_TO_I32 = funcType([I32], [I32]);

/** f(x) = import(x + 1) + 100, the import's { code, vmctx } read from [vmctx] and [vmctx + 8]. */
const caller = (() => {
  const m = new HandModule();
  m.func((a) => {
    a.push(RBP);
    a.movRR(8, RBP, RSP);
    a.push(RBX);
    a.push(R12);
    a.movRR(8, RBX, RDI);
    a.lea(4, RSI, mem(RSI, 1));
    a.movRM(8, RDI, mem(RBX, 8));
    a.callM(mem(RBX, 0));
    a.aluRI(AluOp.Add, 4, RAX, 100);
    a.pop(R12);
    a.pop(RBX);
    a.pop(RBP);
    a.ret();
  });
  return m.load('caller');
})();

/** A wasm function (the hand-made caller) whose import is `fn`. */
function wasmCalling(fn: (...args: any[]) => unknown): (...args: any[]) => any {
  const host = hostFuncRef(fn, I32_TO_I32);
  const imports = allocateBlock(16, 16);
  imports.setU64(0, host.code);
  imports.setU64(8, host.vmctx);
  return exportCode(caller.functionAddress(0), imports.address, I32_TO_I32);
}

describe('imports', () => {
  it('a wasm function calls a JS import and uses its result', () => {
    const seen: unknown[] = [];
    const f = wasmCalling(function (this: unknown, v: number) {
      seen.push(v, this);
      return v * 2;
    });
    expect(f(5)).toBe(112); // (5 + 1) * 2 + 100
    expect(f(-1)).toBe(100);
    expect(seen).toEqual([6, undefined, 0, undefined]);
  });

  it('a JS exception from an import reaches the JS caller unchanged through two levels of wasm → JS → wasm', () => {
    const thrown = new Error('from the innermost import');
    const inner = wasmCalling((v: number) => {
      if (v === 61) throw thrown;
      return v + 1;
    });
    const outer = wasmCalling((v: number) => inner(v * 10));
    // outer(x) = inner((x+1)*10) + 100 = ((x+1)*10 + 1 + 1) + 100 + 100
    expect(outer(1)).toBe(222);
    let caught: unknown;
    try {
      outer(5); // inner's import sees (5+1)*10 + 1 = 61
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(thrown);
    expect(activation().entrySp).toBe(0);
    expect(outer(2)).toBe(232);
    // Non-Error values are rethrown as they are too.
    const weird = wasmCalling(() => {
      throw 42;
    });
    expect(() => weird(0)).toThrow(expect.anything());
    try {
      weird(0);
    } catch (e) {
      expect(e).toBe(42);
    }
  });

  it('an import that catches the inner wasm trap lets the outer wasm carry on', () => {
    const trapping = wasmCalling(() => {
      throw new RuntimeError('inner');
    });
    const outer = wasmCalling((v: number) => {
      try {
        return trapping(v);
      } catch {
        return -v;
      }
    });
    expect(outer(4)).toBe(100 - 5 + 100 - 100); // import(5) = -5; + 100
  });

  it('recursion wasm → JS → wasm 50 levels deep, then an exception from the bottom', () => {
    const bottom = new TypeError('bottom');
    let f: (x: number) => number = () => 0;
    f = wasmCalling((v: number) => {
      if (v >= 50) {
        if (v === 50 && throwAtBottom) throw bottom;
        return 0;
      }
      return f(v) - 100; // each level adds (import + 100) and the +1 on the way down
    });
    let throwAtBottom = false;
    expect(f(0)).toBe(100);
    throwAtBottom = true;
    expect(() => f(0)).toThrow(bottom);
    throwAtBottom = false;
    expect(f(10)).toBe(100);
  });

  it('the trap pc of a host exception lies in an import stub', () => {
    const f = wasmCalling(() => {
      throw new Error('x');
    });
    expect(() => f(1)).toThrow('x');
    const pc = activation().snapshot().pc;
    expect(findCodeRange(pc - 1)?.kind).toBe(CodeKind.ImportStub);
  });

  it('import stubs pass many mixed arguments and multi-value results (called through an entry trampoline)', () => {
    const type = funcType(
      [I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64, F64, I64, F32, EXTERNREF, FUNCREF],
      [I32, I64, F64, F32, I32, F64, I64, EXTERNREF],
    );
    let received: unknown[] = [];
    const marker = { marker: 1 };
    const host = hostFuncRef((...args: unknown[]) => {
      received = args;
      return [args[0], args[16], args[15], args[17], -7, 0.25, -(2n ** 40n), marker];
    }, type);
    const f = exportedFunctionOf(host);
    const ext = { ext: true };
    const args = [1, 2, 3, 4, 5, 6, 7, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 2n ** 62n, 0.5, ext, f];
    expect(f(...args)).toEqual([1, 2n ** 62n, 9.5, 0.5, -7, 0.25, -(2n ** 40n), marker]);
    expect(received).toEqual(args);
    expect(received[19]).toBe(f); // funcref round-trips to the same function object
  });

  it('checks the results an import returns', () => {
    const two = funcType([], [I32, I64]);
    const bad = [
      () => 5, // not iterable
      () => [1], // too short
      () => [1, 2], // Number for i64
    ];
    for (const fn of bad) {
      const f = exportedFunctionOf(hostFuncRef(fn, two));
      expect(() => f()).toThrow(TypeError);
    }
    const ok = exportedFunctionOf(hostFuncRef(() => new Set([3, 4n]), two));
    expect(ok()).toEqual([3, 4n]);
    const none = exportedFunctionOf(hostFuncRef(() => 'ignored', funcType([], [])));
    expect(none()).toBeUndefined();
  });

  it('host funcrefs are cached per function and signature', () => {
    const fn = () => 1;
    expect(hostFuncRef(fn, I32_TO_I32)).toBe(hostFuncRef(fn, funcType([I32], [I32])));
    expect(hostFuncRef(fn, I32_TO_I32)).not.toBe(hostFuncRef(fn, funcType([I64], [I32])));
  });
});

describe('traps through imports', () => {
  it('a machine-code trap in inner wasm reaches the outermost JS caller as the same RuntimeError object', async () => {
    const { TrapCode } = await import('../../src/ir/trapcodes.js');
    const m = new HandModule();
    m.func((_a, mod) => mod.trap(TrapCode.int_divz, 0, 7));
    const code = m.load('inner-trap');
    const innerTrap = exportCode(code.functionAddress(0), 1, I32_TO_I32);
    let seenInJs: unknown;
    const outer = wasmCalling((v: number) => {
      try {
        return innerTrap(v);
      } catch (e) {
        seenInJs = e;
        throw e;
      }
    });
    let caught: unknown;
    try {
      outer(1);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RuntimeError);
    expect((caught as RuntimeError).message).toBe('integer divide by zero');
    expect(caught).toBe(seenInJs);
    expect(() => new (exportCode(code.functionAddress(0), 1, I32_TO_I32) as any)()).toThrow(TypeError); // not a constructor
    expect(outer.length).toBe(1);
  });
});
