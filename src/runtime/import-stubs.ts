/**
 * Import stubs: how wasm calls a JS function. One per signature shape; wasm calling convention in (x64/abi.ts), with
 * the callee vmctx (rdi) pointing at the import's *host record* (host-functions.ts), whose first u32 is the host
 * function's index.
 *
 * The stub spills its arguments into 16-byte value slots in its own frame, calls the JS dispatcher
 * (host-dispatch.ts) as `i32 dispatch(i32 hostIndex, f64 valuesAddress)` (the address travels as a double: exact
 * below 2^53, and it spares koffi a BigInt), and on status 0 loads the results back from the slots into their ABI
 * locations (registers, or the caller's return area). A nonzero status means the JS function threw: the stub calls
 * raise, so the trap pc lies inside this stub and the runtime rethrows the original exception.
 *
 * Frame: push rbp / mov rbp, rsp (the frame-pointer chain stays intact for backtraces), slots at [rsp], the saved
 * return-area pointer after them.
 */
import { AbiLocKind, wasmCallLayout } from '../x64/abi.js';
import { Assembler, AluOp, Cond, R11, RAX, RBP, RDI, RSP, XMM0, mem } from '../x64/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { SLOT_SIZE } from './trampolines.js';
import { abiClasses, align16, emitLoadValue, emitStoreValue } from './signature-shape.js';

/** Byte offset of the host function index in a host record. */
export const HOST_RECORD_INDEX = 0;
export const HOST_RECORD_SIZE = 8;

export function emitImportStub(a: Assembler, type: FuncType, dispatch: number, raise: number): void {
  const { params, results } = type;
  const layout = wasmCallLayout(abiClasses(params), abiClasses(results));
  const slots = Math.max(params.length, results.length, 1);
  const returnAreaSave = slots * SLOT_SIZE;
  const frame = align16(returnAreaSave + (layout.hasReturnArea ? 8 : 0));
  const failed = a.newLabel();

  a.push(RBP);
  a.movRR(8, RBP, RSP);
  a.aluRI(AluOp.Sub, 8, RSP, frame);
  for (let i = 0; i < params.length; i++) {
    const loc = layout.args[i + 1]!;
    if (loc.kind === AbiLocKind.Reg) emitStoreValue(a, RSP, i * SLOT_SIZE, loc.value, params[i]!);
    else {
      a.movRM(8, RAX, mem(RBP, 16 + loc.value));
      a.movMR(8, mem(RSP, i * SLOT_SIZE), RAX);
    }
  }
  const area = layout.returnAreaArg;
  if (area !== null) {
    if (area.kind === AbiLocKind.Reg) a.movMR(8, mem(RSP, returnAreaSave), area.value);
    else {
      a.movRM(8, RAX, mem(RBP, 16 + area.value));
      a.movMR(8, mem(RSP, returnAreaSave), RAX);
    }
  }
  a.movRM(4, RDI, mem(RDI, HOST_RECORD_INDEX));
  a.movRR(8, RAX, RSP);
  a.cvtsi2fpRR(8, 8, XMM0, RAX);
  a.movRI(8, RAX, dispatch);
  a.callR(RAX);
  a.testRR(4, RAX, RAX);
  a.jcc(Cond.NE, failed);

  if (area !== null) {
    a.movRM(8, R11, mem(RSP, returnAreaSave));
    for (let k = 0; k < results.length; k++) {
      const loc = layout.results[k]!;
      if (loc.kind !== AbiLocKind.ReturnArea) continue;
      a.movRM(8, RAX, mem(RSP, k * SLOT_SIZE));
      a.movMR(8, mem(R11, loc.value), RAX);
    }
  }
  for (let k = 0; k < results.length; k++) {
    const loc = layout.results[k]!;
    if (loc.kind === AbiLocKind.Reg) emitLoadValue(a, loc.value, RSP, k * SLOT_SIZE, results[k]!);
  }
  a.movRR(8, RSP, RBP);
  a.pop(RBP);
  a.ret();

  a.bind(failed);
  a.movRI(8, RAX, raise);
  a.callR(RAX);
  a.ud2(); // raise never returns
}
