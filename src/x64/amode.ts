// Memory operands: base + index*scale + disp32, absolute disp32, or RIP-relative to a label.

import { X64EncodeError } from './errors.js';
import { isGpr, NO_REG, regName, RSP, type Gpr } from './registers.js';

/** A label id handed out by the code buffer (also used for constant-pool entries). */
export type Label = number;
export const NO_LABEL = -1;

const MIN_I32 = -0x80000000;
const MAX_I32 = 0x7fffffff;

/**
 * An addressing mode. Monomorphic and immutable; validated on construction so the encoder can trust it.
 *
 * - `base`: a GPR or NO_REG.
 * - `index`: a GPR other than rsp, or NO_REG. (r12 is a valid index: REX.X distinguishes it from "no index".)
 * - `shift`: log2 of the scale (0..3).
 * - `disp`: signed 32-bit displacement. For RIP-relative operands it is an addend to the label's address.
 * - `label`: for RIP-relative operands the target label (a code label or a constant-pool entry), else NO_LABEL.
 */
export class Amode {
  readonly base: number;
  readonly index: number;
  readonly shift: number;
  readonly disp: number;
  readonly label: number;

  constructor(base: number, index: number, shift: number, disp: number, label: number) {
    this.base = base;
    this.index = index;
    this.shift = shift;
    this.disp = disp;
    this.label = label;
    if (!(base === NO_REG || isGpr(base)) || !(index === NO_REG || isGpr(index))) {
      throw new X64EncodeError(this.toString(), 'base and index must be general-purpose registers');
    }
    if (index === RSP) throw new X64EncodeError(this.toString(), 'rsp cannot be an index register');
    if (!(shift === 0 || shift === 1 || shift === 2 || shift === 3)) {
      throw new X64EncodeError(this.toString(), `scale must be 1, 2, 4 or 8 (got shift ${String(shift)})`);
    }
    if (!(Number.isInteger(disp) && disp >= MIN_I32 && disp <= MAX_I32)) {
      throw new X64EncodeError(this.toString(), `displacement ${String(disp)} does not fit in a signed 32-bit field`);
    }
    if (label !== NO_LABEL) {
      if (!(Number.isInteger(label) && label >= 0)) throw new X64EncodeError(this.toString(), 'bad label id');
      if (base !== NO_REG || index !== NO_REG) {
        throw new X64EncodeError(this.toString(), 'a RIP-relative operand cannot have a base or index register');
      }
    }
  }

  get isRipRelative(): boolean {
    return this.label !== NO_LABEL;
  }

  /** Intel-style text without a size, e.g. "[rax + rcx*4 - 0x10]" or "[rip + L3 + 8]". For messages only. */
  toString(): string {
    const parts: string[] = [];
    if (this.label !== NO_LABEL) parts.push('rip', `L${String(this.label)}`);
    if (this.base !== NO_REG) parts.push(regName(this.base, 8));
    if (this.index !== NO_REG) parts.push(`${regName(this.index, 8)}*${String(1 << this.shift)}`);
    let text = parts.join(' + ');
    const d = this.disp;
    if (parts.length === 0) text = hex(d);
    else if (d > 0) text += ` + ${hex(d)}`;
    else if (d < 0) text += ` - ${hex(-d)}`;
    return `[${text}]`;
  }
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

const SHIFT_OF_SCALE = [-1, 0, 1, -1, 2, -1, -1, -1, 3];

function scaleShift(scale: number): number {
  const s = Number.isInteger(scale) && scale >= 1 && scale <= 8 ? SHIFT_OF_SCALE[scale]! : -1;
  if (s < 0) throw new X64EncodeError(`[... *${String(scale)}]`, `scale must be 1, 2, 4 or 8 (got ${String(scale)})`);
  return s;
}

/** [base + disp] */
export function mem(base: Gpr, disp = 0): Amode {
  return new Amode(base, NO_REG, 0, disp, NO_LABEL);
}

/** [base + index*scale + disp]; pass NO_REG as base for an index-only operand. */
export function memIndex(base: Gpr, index: Gpr, scale: 1 | 2 | 4 | 8, disp = 0): Amode {
  return new Amode(base, index, scaleShift(scale), disp, NO_LABEL);
}

/** [disp32] — an absolute address in the low/high 2 GiB (sign-extended). */
export function memAbs(disp: number): Amode {
  return new Amode(NO_REG, NO_REG, 0, disp, NO_LABEL);
}

/** [rip + label + disp] — resolved when the code buffer is finished. */
export function ripRel(label: Label, disp = 0): Amode {
  return new Amode(NO_REG, NO_REG, 0, disp, label);
}
