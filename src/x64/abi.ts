/**
 * The calling convention of kindling's wasm functions (wasm → wasm calls, calls from the runtime's entry trampolines,
 * and calls of import stubs), System V AMD64 based so that koffi and C can call them too:
 *
 * - Arguments: the VMContext first, then the wasm parameters in order. Integer-class values (i32, i64, pointers,
 *   references) take rdi, rsi, rdx, rcx, r8, r9 in turn; float-class values (f32, f64) take xmm0..xmm7; the rest go on
 *   the stack in order, 8 bytes each, the first at [rsp + 8] on entry ([rbp + 16] after the standard prologue).
 *   The caller keeps rsp 16-byte aligned at the call and owns (pops) the stack-argument area.
 * - Results: integer-class results take rax then rdx; float-class results take xmm0 then xmm1. When a function has
 *   more results of a class than those registers, *all* results that do not fit are written by the callee to a
 *   return area: the caller passes its address as a hidden integer argument right after the VMContext, and result k
 *   (among the overflowing ones, in result order) lives at [retArea + 8·k].
 * - Caller-saved (clobbered by a call): rax rcx rdx rsi rdi r8 r9 r10 r11 and all xmm registers.
 *   Callee-saved: rbx rbp r12 r13 r14 r15. rsp and rbp are never allocated; r11 and xmm15 are reserved as scratch
 *   registers for the register allocator and emission sequences.
 */
import { RAX, RBX, RCX, RDI, RDX, RSI, R8, R9, R10, R11, R12, R13, R14, R15, XMM0 } from './registers.js';

/** Register class of a value in the ABI: integer registers or xmm registers. */
export const enum AbiClass {
  Int = 0,
  Float = 1,
}

export const INT_ARG_REGS: readonly number[] = [RDI, RSI, RDX, RCX, R8, R9];
export const FLOAT_ARG_REGS: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => XMM0 + i);
export const INT_RET_REGS: readonly number[] = [RAX, RDX];
export const FLOAT_RET_REGS: readonly number[] = [XMM0, XMM0 + 1];

export const CALLEE_SAVED_GPRS: readonly number[] = [RBX, R12, R13, R14, R15];
export const CALLER_SAVED_GPRS: readonly number[] = [RAX, RCX, RDX, RSI, RDI, R8, R9, R10, R11];
export const SCRATCH_GPR = R11;
export const SCRATCH_XMM = XMM0 + 15;

/** Registers (x64 register numbers: GPR 0–15, XMM 16–31) clobbered by any call, as a 32-bit mask. */
export const CALL_CLOBBERS: number = (() => {
  let mask = 0;
  for (const r of CALLER_SAVED_GPRS) mask |= 1 << r;
  for (let i = 0; i < 16; i++) mask |= 1 << (XMM0 + i);
  return mask | 0;
})();

/** Where one argument or result lives: a register (x64 register number), a stack slot, or a return-area slot. */
export const enum AbiLocKind {
  Reg = 0,
  /** Argument on the stack: `offset` bytes above the return address (first stack argument: offset 0 → [rsp+8]). */
  Stack = 1,
  /** Result in the return area: `offset` bytes from the return-area pointer. */
  ReturnArea = 2,
}

export interface AbiLocation {
  readonly kind: AbiLocKind;
  /** The register for Reg; the byte offset otherwise. */
  readonly value: number;
}

export interface CallLayout {
  /** Location of each argument, the VMContext first (always rdi). */
  readonly args: readonly AbiLocation[];
  /** Location of each result. */
  readonly results: readonly AbiLocation[];
  /** True when a return-area pointer is passed (in `returnAreaArg`), after the VMContext. */
  readonly hasReturnArea: boolean;
  /** Location of the hidden return-area pointer argument, or null. */
  readonly returnAreaArg: AbiLocation | null;
  /** Bytes of stack arguments the caller pushes (a multiple of 16, so rsp stays aligned). */
  readonly stackArgBytes: number;
  /** Bytes of return area the caller provides (a multiple of 8). */
  readonly returnAreaBytes: number;
}

/**
 * Computes where arguments and results travel for a wasm signature. `params` and `results` are AbiClass values of
 * the wasm parameters and results (without the VMContext, which is added as the first integer argument).
 */
export function wasmCallLayout(params: ArrayLike<number>, results: ArrayLike<number>): CallLayout {
  let intResults = 0;
  let floatResults = 0;
  let areaBytes = 0;
  const resultLocs: AbiLocation[] = [];
  for (let i = 0; i < results.length; i++) {
    if (results[i] === AbiClass.Float) {
      if (floatResults < FLOAT_RET_REGS.length) resultLocs.push({ kind: AbiLocKind.Reg, value: FLOAT_RET_REGS[floatResults++] });
      else {
        resultLocs.push({ kind: AbiLocKind.ReturnArea, value: areaBytes });
        areaBytes += 8;
      }
    } else if (intResults < INT_RET_REGS.length) {
      resultLocs.push({ kind: AbiLocKind.Reg, value: INT_RET_REGS[intResults++] });
    } else {
      resultLocs.push({ kind: AbiLocKind.ReturnArea, value: areaBytes });
      areaBytes += 8;
    }
  }

  let nextInt = 0;
  let nextFloat = 0;
  let stackBytes = 0;
  const place = (cls: number): AbiLocation => {
    if (cls === AbiClass.Float) {
      if (nextFloat < FLOAT_ARG_REGS.length) return { kind: AbiLocKind.Reg, value: FLOAT_ARG_REGS[nextFloat++] };
    } else if (nextInt < INT_ARG_REGS.length) {
      return { kind: AbiLocKind.Reg, value: INT_ARG_REGS[nextInt++] };
    }
    const loc = { kind: AbiLocKind.Stack, value: stackBytes } as const;
    stackBytes += 8;
    return loc;
  };

  const args: AbiLocation[] = [place(AbiClass.Int)]; // VMContext
  const returnAreaArg = areaBytes > 0 ? place(AbiClass.Int) : null;
  for (let i = 0; i < params.length; i++) args.push(place(params[i]));

  return {
    args,
    results: resultLocs,
    hasReturnArea: returnAreaArg !== null,
    returnAreaArg,
    stackArgBytes: (stackBytes + 15) & ~15,
    returnAreaBytes: areaBytes,
  };
}

/**
 * Relocation target of a `call` from a trap site to the module's raise landing pad. Non-negative relocation targets
 * are defined-function indices of the same module; negative ones name runtime entry points. Instruction selection
 * emits it and the runtime resolves it, so it lives here, below both.
 */
export const TRAP_RAISE_TARGET = -1;
