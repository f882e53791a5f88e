// x86-64 registers as small integers.
//
// A register is one number: bits 0-3 hold the hardware encoding (0-15), bit 4 the class (0 = general purpose,
// 1 = XMM). The operand width is never part of the register; every instruction takes an explicit size in bytes
// (1, 2, 4 or 8), as Cranelift does with OperandSize. Consequently the 8-bit views of encodings 4-7 are always
// spl/bpl/sil/dil (emitted with a REX prefix); the legacy high-byte registers ah/ch/dh/bh are not representable, so
// they can never be mixed with a REX prefix by mistake.

/** A general-purpose register (0-15). */
export type Gpr = number;
/** An XMM register (16-31: XMM_BASE + n). */
export type Xmm = number;
/** Either register class. */
export type Reg = number;

/** Operand width in bytes. */
export type OperandSize = 1 | 2 | 4 | 8;

export const RAX = 0;
export const RCX = 1;
export const RDX = 2;
export const RBX = 3;
export const RSP = 4;
export const RBP = 5;
export const RSI = 6;
export const RDI = 7;
export const R8 = 8;
export const R9 = 9;
export const R10 = 10;
export const R11 = 11;
export const R12 = 12;
export const R13 = 13;
export const R14 = 14;
export const R15 = 15;

/** XMM registers start here; `XMM_BASE + n` is xmm<n>. */
export const XMM_BASE = 16;
export const XMM0 = 16;
export const XMM1 = 17;
export const XMM2 = 18;
export const XMM3 = 19;
export const XMM4 = 20;
export const XMM5 = 21;
export const XMM6 = 22;
export const XMM7 = 23;
export const XMM8 = 24;
export const XMM9 = 25;
export const XMM10 = 26;
export const XMM11 = 27;
export const XMM12 = 28;
export const XMM13 = 29;
export const XMM14 = 30;
export const XMM15 = 31;

/** "No register" (absent base or index in an addressing mode). */
export const NO_REG = -1;

export const RegClass = { Gpr: 0, Xmm: 1 } as const;
export type RegClass = (typeof RegClass)[keyof typeof RegClass];

/** All 16 GPRs in encoding order. */
export const ALL_GPRS: readonly Gpr[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
/** All 16 XMM registers in encoding order. */
export const ALL_XMMS: readonly Xmm[] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];

export function gpr(n: number): Gpr {
  if (!(Number.isInteger(n) && n >= 0 && n <= 15)) throw new RangeError(`gpr(${n}): encoding must be 0..15`);
  return n;
}

export function xmm(n: number): Xmm {
  if (!(Number.isInteger(n) && n >= 0 && n <= 15)) throw new RangeError(`xmm(${n}): number must be 0..15`);
  return XMM_BASE + n;
}

export function isGpr(r: number): boolean {
  return Number.isInteger(r) && r >= 0 && r <= 15;
}

export function isXmm(r: number): boolean {
  return Number.isInteger(r) && r >= 16 && r <= 31;
}

/** Hardware encoding (0-15) of either class. */
export function hwEnc(r: Reg): number {
  return r & 15;
}

export function regClass(r: Reg): RegClass {
  return (r >> 4) as RegClass;
}

const NAMES_64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const NAMES_32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const NAMES_16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const NAMES_8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];

/** Name of a register at a width, e.g. regName(RSI, 1) === 'sil', regName(XMM3) === 'xmm3'. Never throws. */
export function regName(r: Reg, size: number = 8): string {
  if (isXmm(r)) return `xmm${r - XMM_BASE}`;
  if (!isGpr(r)) return `<bad register ${String(r)}>`;
  switch (size) {
    case 1:
      return NAMES_8[r]!;
    case 2:
      return NAMES_16[r]!;
    case 4:
      return NAMES_32[r]!;
    default:
      return NAMES_64[r]!;
  }
}
