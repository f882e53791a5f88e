/**
 * Entry trampolines: how JS calls wasm. One per signature shape, array-call form
 *
 *   i32 entry(vmctx, callee, values*)     (System V; called through koffi with number arguments)
 *
 * Frame (addresses grow down):
 *   [rbp+8]   return address into koffi
 *   [rbp]     caller's rbp                      ← rbp (entry frame pointer; raise's backtrace walk stops here)
 *   [rbp-8..-40]  rbx r12 r13 r14 r15           callee-saved, restored on both exits
 *   [rbp-48]  previous entrySp                  ← entrySp (activation record) points here
 *   then the outgoing stack-argument area and the return area (16-byte aligned at the call).
 *
 * The prologue links this activation into the record (saving the previous entrySp, so wasm → JS → wasm nesting
 * unwinds one level at a time), loads each argument from its 16-byte slot into its wasm-ABI location (wasmCallLayout:
 * registers, stack arguments, the hidden return-area pointer), and calls `callee` with vmctx in rdi. Results go back
 * into the slots (result k in slot k). Normal exit returns 0; raise (raise.ts) leaves through the same epilogue with
 * rsp = entrySp and returns 1.
 */
import { AbiLocKind, wasmCallLayout } from '../x64/abi.js';
import { Assembler, AluOp, R11, R12, R13, R14, R15, RAX, RBP, RBX, RDX, RSI, RSP, mem } from '../x64/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { ACT_ENTRY_SP, ENTRY_FRAME_SAVED_BYTES } from './activation.js';
import { abiClasses, align16, emitLoadValue, emitStoreValue } from './signature-shape.js';

/** Bytes between two value slots. */
export const SLOT_SIZE = 16;

export const SAVED_GPRS = [RBX, R12, R13, R14, R15];

/** Pushes rbp, the callee-saved registers and the previous entrySp; stores the new entrySp. */
export function emitEntryPrologue(a: Assembler, act: number): void {
  a.push(RBP);
  a.movRR(8, RBP, RSP);
  for (const r of SAVED_GPRS) a.push(r);
  a.movRI(8, R11, act);
  a.movRM(8, RAX, mem(R11, ACT_ENTRY_SP));
  a.push(RAX);
  a.movMR(8, mem(R11, ACT_ENTRY_SP), RSP);
}

/**
 * The shared exit: with rsp = entrySp, reinstates the previous entrySp, restores the callee-saved registers and
 * returns `status`. Used by every trampoline and by raise, which is why the frame layout above is fixed.
 */
export function emitEntryEpilogue(a: Assembler, act: number, status: number): void {
  a.pop(RAX);
  a.movRI(8, R11, act);
  a.movMR(8, mem(R11, ACT_ENTRY_SP), RAX);
  for (let i = SAVED_GPRS.length - 1; i >= 0; i--) a.pop(SAVED_GPRS[i]!);
  a.pop(RBP);
  if (status === 0) a.aluRR(AluOp.Xor, 4, RAX, RAX);
  else a.movRI(4, RAX, status);
  a.ret();
}

// The frame layout the raise routine relies on.
if (SAVED_GPRS.length * 8 + 8 !== ENTRY_FRAME_SAVED_BYTES) throw new Error('entry frame layout and ENTRY_FRAME_SAVED_BYTES disagree');

/** Emits the entry trampoline for `type` at the assembler's current position. */
export function emitEntryTrampoline(a: Assembler, type: FuncType, act: number): void {
  const { params, results } = type;
  const layout = wasmCallLayout(abiClasses(params), abiClasses(results));
  const frame = align16(layout.stackArgBytes + layout.returnAreaBytes);
  const returnAreaAt = layout.stackArgBytes;

  emitEntryPrologue(a, act);
  a.movRR(8, R12, RDX); // values*, kept in a callee-saved register across the call
  a.movRR(8, R13, RSI); // callee
  if (frame !== 0) a.aluRI(AluOp.Sub, 8, RSP, frame);

  // Stack arguments first (through rax), then the return-area pointer, then register arguments: no argument
  // register is written before everything that needs a scratch register is done.
  for (let i = 0; i < params.length; i++) {
    const loc = layout.args[i + 1]!;
    if (loc.kind !== AbiLocKind.Stack) continue;
    a.movRM(8, RAX, mem(R12, i * SLOT_SIZE));
    a.movMR(8, mem(RSP, loc.value), RAX);
  }
  const area = layout.returnAreaArg;
  if (area !== null) {
    if (area.kind === AbiLocKind.Reg) a.lea(8, area.value, mem(RSP, returnAreaAt));
    else {
      a.lea(8, RAX, mem(RSP, returnAreaAt));
      a.movMR(8, mem(RSP, area.value), RAX);
    }
  }
  for (let i = 0; i < params.length; i++) {
    const loc = layout.args[i + 1]!;
    if (loc.kind === AbiLocKind.Reg) emitLoadValue(a, loc.value, R12, i * SLOT_SIZE, params[i]!);
  }
  // rdi still holds vmctx.
  a.callR(R13);

  for (let k = 0; k < results.length; k++) {
    const loc = layout.results[k]!;
    if (loc.kind === AbiLocKind.Reg) emitStoreValue(a, R12, k * SLOT_SIZE, loc.value, results[k]!);
  }
  for (let k = 0; k < results.length; k++) {
    const loc = layout.results[k]!;
    if (loc.kind !== AbiLocKind.ReturnArea) continue;
    a.movRM(8, RAX, mem(RSP, returnAreaAt + loc.value));
    a.movMR(8, mem(R12, k * SLOT_SIZE), RAX);
  }
  if (frame !== 0) a.aluRI(AluOp.Add, 8, RSP, frame);
  emitEntryEpilogue(a, act, 0);
}
