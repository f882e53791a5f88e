// Operand unions for the generic entry points (Assembler.mov/alu/test): a register is a number, memory an Amode,
// an immediate an Imm. The shape-specific methods (aluRR, aluMI, ...) take the parts directly and are the fast path.

import { Amode } from './amode.js';
import { regName } from './registers.js';

/** An immediate operand. `value` is a JS integer; its legal range depends on the instruction's operand size. */
export class Imm {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
}

export function imm(value: number): Imm {
  return new Imm(value);
}

export type RegMem = number | Amode;
export type RegMemImm = number | Amode | Imm;

const PTR_NAMES: Record<number, string> = { 1: 'byte ptr ', 2: 'word ptr ', 4: 'dword ptr ', 8: 'qword ptr ', 16: 'xmmword ptr ' };

/** Text of one operand at a width, for error messages (never on the encode path). */
export function describeOperand(op: RegMemImm | undefined, size: number): string {
  if (op instanceof Amode) return (PTR_NAMES[size] ?? '') + op.toString();
  if (op instanceof Imm) return String(op.value);
  if (typeof op === 'number') return regName(op, size);
  return `<bad operand ${String(op)}>`;
}
