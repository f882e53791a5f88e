/**
 * The raise routine: how a trap leaves wasm code.
 *
 * Generated code reaches it with `call raise` from a trap site (through its module's landing pad, see
 * emitRaiseLandingPad), so the return address on the stack identifies the site. raise
 *   1. pops that address into the activation record's trapPc and saves rbp as trapFp,
 *   2. walks the frame-pointer chain from rbp up to the innermost entry trampoline's frame, recording each return
 *      address (the backtrace; done here, in machine code, because the dead frames below entrySp may be reused by the
 *      time JS looks),
 *   3. sets rsp = entrySp and leaves through the entry trampoline's epilogue with status 1: callee-saved registers
 *      are restored from the trampoline's frame, the previous entrySp is reinstated, and the trampoline "returns" 1
 *      to its JS caller, which then reads the record (see trap-handling.ts).
 * It never returns to its caller, uses no stack of its own, and clobbers only caller-saved registers.
 */
import { Assembler, AluOp, Cond, R10, R11, R8, R9, RAX, RBP, RCX, RDX, RSP, mem, memIndex, ripRel, type Label } from '../x64/index.js';
import { ACT_ENTRY_SP, ACT_FRAMES, ACT_FRAME_COUNT, ACT_TRAP_ENTRY_SP, ACT_TRAP_FP, ACT_TRAP_PC, ACT_TRAPPED, ENTRY_FRAME_SAVED_BYTES, MAX_TRAP_FRAMES, activation } from './activation.js';
import { CodeKind } from './code-map.js';
import { mapRuntimeCode, splitAddress, type MappedRuntimeCode } from './runtime-code.js';
import { emitEntryEpilogue } from './trampolines.js';

/** Status an entry trampoline returns when it was left through raise. */
export const TRAP_STATUS = 1;

let raiseCode: MappedRuntimeCode | null = null;

function buildRaise(act: number): Assembler {
  const a = new Assembler(256);
  const walk = a.newLabel();
  const walked = a.newLabel();
  const noActivation = a.newLabel();
  a.pop(RAX);
  a.movRI(8, R11, act);
  a.movMR(8, mem(R11, ACT_TRAP_PC), RAX);
  a.movMR(8, mem(R11, ACT_TRAP_FP), RBP);
  a.movMI(4, mem(R11, ACT_TRAPPED), 1);
  a.movRM(8, RDX, mem(R11, ACT_ENTRY_SP));
  a.testRR(8, RDX, RDX);
  a.jcc(Cond.E, noActivation);
  a.movMR(8, mem(R11, ACT_TRAP_ENTRY_SP), RDX);
  // Backtrace: follow [fp] while fp lies in [rsp, entry trampoline's frame pointer) (the trap site's own frame may
  // start right at rsp), so a corrupt chain can never make us read outside the live stack; fp must be 8-byte aligned;
  // at most MAX_TRAP_FRAMES return addresses.
  a.lea(8, R8, mem(RDX, ENTRY_FRAME_SAVED_BYTES));
  a.movRR(8, RCX, RBP);
  a.aluRR(AluOp.Xor, 4, R9, R9);
  a.bind(walk);
  a.aluRI(AluOp.Cmp, 8, R9, MAX_TRAP_FRAMES);
  a.jcc(Cond.AE, walked);
  a.aluRR(AluOp.Cmp, 8, RCX, RSP);
  a.jcc(Cond.B, walked);
  a.aluRR(AluOp.Cmp, 8, RCX, R8);
  a.jcc(Cond.AE, walked);
  a.testRI(1, RCX, 7);
  a.jcc(Cond.NE, walked);
  a.movRM(8, R10, mem(RCX, 8));
  a.movMR(8, memIndex(R11, R9, 8, ACT_FRAMES), R10);
  a.aluRI(AluOp.Add, 8, R9, 1);
  a.movRM(8, RCX, mem(RCX, 0));
  a.jmp(walk);
  a.bind(walked);
  a.movMR(8, mem(R11, ACT_FRAME_COUNT), R9);
  a.movRR(8, RSP, RDX);
  emitEntryEpilogue(a, act, TRAP_STATUS);
  // raise without a live entry trampoline is a bug in generated code: stop hard rather than unwind to nowhere.
  a.bind(noActivation);
  a.ud2();
  return a;
}

/** Address of the raise routine (generated and mapped on first use). */
export function raiseAddress(): number {
  raiseCode ??= mapRuntimeCode(buildRaise(activation().addressNumber).finish(), CodeKind.Raise, 'raise');
  return raiseCode.start;
}

/**
 * Emits a landing pad `jmp qword [rip + slot]` whose slot (in the assembler's constant pool) holds raise's address.
 * Each compiled module gets one, so its trap sites can `call <pad>` with a rel32 that always reaches (raise itself may
 * be more than 2 GiB away). Returns the pad's label: relocations with target TRAP_RAISE_TARGET resolve to it.
 * A jmp, not a call: the return address of the trap site's call stays on top of the stack for raise to pop.
 */
export function emitRaiseLandingPad(a: Assembler): Label {
  const [lo, hi] = splitAddress(raiseAddress());
  const slot = a.constF64(lo, hi);
  const pad = a.newLabel();
  a.bind(pad);
  a.jmpM(ripRel(slot));
  return pad;
}
