/**
 * The direct wasm → JS path, for signatures of i32/f32/f64 values with at most one result (hasDirectShape): the
 * import stub calls a koffi callback whose native signature is the wasm signature with the host function's index in
 * place of the vmctx, e.g. `int32 callback(int32 hostIndex, int32 x)` for `(i32) -> i32`. Arguments stay in the
 * registers wasm put them in (the vmctx register rdi becomes the host index; every other argument is already where
 * System V wants it), the result comes back in rax / xmm0: no value slots, no spills.
 *
 * A JS exception cannot travel through the result: the callback records it as the pending host exception, sets the
 * activation record's `hostFailed` flag and returns 0; the stub sees the flag, clears it and calls raise, and the JS
 * caller of the wasm gets the original exception (trap-handling.ts).
 *
 * Stub, per shape (rbp frame kept for backtraces; rsp is 16-byte aligned at the callback call):
 *   push rbp; mov rbp, rsp
 *   mov edi, [rdi + hostIndex]
 *   call callback
 *   cmp dword [act + hostFailed], 0; jne failed
 *   pop rbp; ret
 *   failed: mov dword [act + hostFailed], 0; call raise
 */
import { registerCallback, type NativeCallback, type NativeSignature } from '../../native/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { ValType } from '../frontend/value-types.js';
import { Assembler, AluOp, Cond, R11, RAX, RBP, RDI, RSP, mem } from '../x64/index.js';
import { ACT_HOST_FAILED, activation } from './activation.js';
import { hostFunctionAt } from './host-dispatch.js';
import { HOST_RECORD_INDEX } from './import-stubs.js';
import { hasMirroredGlobals, syncMirrorsIntoWasm, syncMirrorsOutOfWasm } from './mirrored-globals.js';
import { directNativeType } from './signature-shape.js';
import { setPendingHostException } from './trap-state.js';

const callbacks: NativeCallback[] = [];

/** Emits the direct import stub for a shape whose callback is at `callback`. */
export function emitDirectImportStub(a: Assembler, callback: number, raise: number, act: number): void {
  const failed = a.newLabel();
  a.push(RBP);
  a.movRR(8, RBP, RSP);
  a.movRM(4, RDI, mem(RDI, HOST_RECORD_INDEX));
  a.movRI(8, RAX, callback);
  a.callR(RAX);
  a.movRI(8, R11, act);
  a.aluMI(AluOp.Cmp, 4, mem(R11, ACT_HOST_FAILED), 0);
  a.jcc(Cond.NE, failed);
  a.pop(RBP);
  a.ret();
  a.bind(failed);
  a.movMI(4, mem(R11, ACT_HOST_FAILED), 0);
  a.movRI(8, RAX, raise);
  a.callR(RAX);
  a.ud2(); // raise never returns
}

/** What a host function's return value becomes: ToWebAssemblyValue for i32 / f32 / f64, nothing for no result. */
const enum ResultKind {
  None = 0,
  Int = 1,
  Float = 2,
}

function resultKind(type: FuncType): ResultKind {
  if (type.results.length === 0) return ResultKind.None;
  return type.results[0] === ValType.I32 ? ResultKind.Int : ResultKind.Float;
}

function convertResult(kind: ResultKind, value: unknown): number {
  if (kind === ResultKind.Int) return (value as number) | 0;
  if (kind === ResultKind.Float) return +(value as number);
  return 0;
}

/** Records a JS exception for the stub to raise (the value returned to machine code is ignored). */
function failed(error: unknown): number {
  setPendingHostException(error);
  activation().hostFailed[0] = 1;
  return 0;
}

type HostFn = (...args: unknown[]) => unknown;

/** Calls host function `index` with `args`, keeping mirrored globals in step. */
function callHostMirrored(fn: HostFn, args: unknown[]): unknown {
  syncMirrorsOutOfWasm();
  try {
    return Reflect.apply(fn, undefined, args);
  } finally {
    syncMirrorsIntoWasm();
  }
}

/** The callback behind a shape: fixed arity up to 3 parameters (no rest arguments on the hot path). */
function makeDispatcher(type: FuncType): (...args: number[]) => number {
  const kind = resultKind(type);
  switch (type.params.length) {
    case 0:
      return (index: number) => {
        try {
          const fn = hostFunctionAt(index);
          return convertResult(kind, hasMirroredGlobals() ? callHostMirrored(fn, []) : fn());
        } catch (error) {
          return failed(error);
        }
      };
    case 1:
      return (index: number, a: number) => {
        try {
          const fn = hostFunctionAt(index);
          return convertResult(kind, hasMirroredGlobals() ? callHostMirrored(fn, [a]) : fn(a));
        } catch (error) {
          return failed(error);
        }
      };
    case 2:
      return (index: number, a: number, b: number) => {
        try {
          const fn = hostFunctionAt(index);
          return convertResult(kind, hasMirroredGlobals() ? callHostMirrored(fn, [a, b]) : fn(a, b));
        } catch (error) {
          return failed(error);
        }
      };
    case 3:
      return (index: number, a: number, b: number, c: number) => {
        try {
          const fn = hostFunctionAt(index);
          return convertResult(kind, hasMirroredGlobals() ? callHostMirrored(fn, [a, b, c]) : fn(a, b, c));
        } catch (error) {
          return failed(error);
        }
      };
    default:
      return (index: number, ...args: number[]) => {
        try {
          const fn = hostFunctionAt(index);
          return convertResult(kind, hasMirroredGlobals() ? callHostMirrored(fn, args) : Reflect.apply(fn, undefined, args));
        } catch (error) {
          return failed(error);
        }
      };
  }
}

/** Registers the koffi callback of a direct shape; returns its address. */
export function directImportCallback(type: FuncType): number {
  const signature: NativeSignature = {
    params: ['i32', ...Array.from(type.params, directNativeType)],
    result: type.results.length === 0 ? 'void' : directNativeType(type.results[0]!),
  };
  const callback = registerCallback(makeDispatcher(type) as (...args: any[]) => any, signature);
  callbacks.push(callback);
  return callback.addressNumber;
}
