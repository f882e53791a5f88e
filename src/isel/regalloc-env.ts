import { type MachineEnv, PREG_XMM_BASE } from './regalloc-types.js';

const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6, RDI = 7;
const R8 = 8, R9 = 9, R10 = 10, R11 = 11, R12 = 12, R13 = 13, R14 = 14, R15 = 15;

/**
 * The System V x86-64 register environment: rsp and rbp (frame pointer) are never allocated, r11 and xmm15 are the
 * allocator's scratch registers. Caller-saved registers come first so values not live across calls avoid the
 * prologue's save/restore of callee-saved ones.
 */
export function sysvMachineEnv(): MachineEnv {
  const intRegs = Int32Array.of(RAX, RCX, RDX, RSI, RDI, R8, R9, R10, RBX, R12, R13, R14, R15);
  const floatRegs = new Int32Array(15);
  for (let i = 0; i < 15; i++) floatRegs[i] = PREG_XMM_BASE + i;
  const calleeSaved = (1 << RBX) | (1 << R12) | (1 << R13) | (1 << R14) | (1 << R15);
  return { allocatable: [intRegs, floatRegs], calleeSaved, scratch: [R11, PREG_XMM_BASE + 15] };
}

/** Registers a System V call overwrites: every allocatable register that is not callee-saved, plus the scratch pair. */
export function sysvCallClobbers(): number {
  let mask = (1 << RAX) | (1 << RCX) | (1 << RDX) | (1 << RSI) | (1 << RDI);
  mask |= (1 << R8) | (1 << R9) | (1 << R10) | (1 << R11);
  mask |= 0xffff << PREG_XMM_BASE;
  return mask | 0;
}
