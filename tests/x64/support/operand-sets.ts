// Generated operand sets: every register, and memory operands covering the awkward addressing cases.

import { Amode, mem, memAbs, memIndex, ripRel } from '../../../src/x64/amode.js';
import { NO_REG } from '../../../src/x64/registers.js';
import type { MemIntent } from './intel-syntax.js';

export const GPRS: readonly number[] = Array.from({ length: 16 }, (_, i) => i);
export const XMMS: readonly number[] = Array.from({ length: 16 }, (_, i) => 16 + i);
export const SIZES = [1, 2, 4, 8] as const;

/** 0, the disp8 edges, the first disp32 values, and the int32 extremes. */
export const DISPS: readonly number[] = [0, 1, -1, 127, -128, 128, -129, 0x7fffffff, -0x80000000, 0x1234, -0x10000];

export interface MemCase {
  readonly amode: Amode;
  readonly intent: MemIntent;
}

function intent(base: number, index: number, scale: 1 | 2 | 4 | 8, disp: number, rip = false): MemIntent {
  return { base, index, scale, disp, rip };
}

const SCALES = [1, 2, 4, 8] as const;

/**
 * Every base with every displacement (rsp/r12 need SIB, rbp/r13 need a displacement even when it is 0), every
 * base x index pair (index never rsp; r12 is a real index) with rotating scale and displacement, every index alone
 * with every scale (no base: disp32 is mandatory), absolute addresses, and RIP-relative operands with addends.
 */
export function memoryOperands(): MemCase[] {
  const out: MemCase[] = [];
  for (let b = 0; b < 16; b++) for (const d of DISPS) out.push({ amode: mem(b, d), intent: intent(b, -1, 1, d) });
  let k = 0;
  for (let b = 0; b < 16; b++) {
    for (let i = 0; i < 16; i++) {
      if (i === 4) continue;
      const scale = SCALES[k % 4]!;
      const d = DISPS[(k * 7) % DISPS.length]!;
      out.push({ amode: memIndex(b, i, scale, d), intent: intent(b, i, scale, d) });
      k++;
    }
  }
  for (let i = 0; i < 16; i++) {
    if (i === 4) continue;
    for (const scale of SCALES) {
      const d = DISPS[(i + scale) % DISPS.length]!;
      out.push({ amode: memIndex(NO_REG, i, scale, d), intent: intent(-1, i, scale, d) });
    }
  }
  for (const d of DISPS) out.push({ amode: memAbs(d), intent: intent(-1, -1, 1, d) });
  for (const addend of [0, 8, -4, 0x100]) out.push({ amode: ripRel(0, addend), intent: intent(-1, -1, 1, addend, true) });
  return out;
}

/** Immediates per operand size: zero, the imm8 edges on both sides, and the extremes of the width. */
export const IMMS: Record<1 | 2 | 4 | 8, readonly number[]> = {
  1: [0, 1, 127, -128, 128, 255, -1],
  2: [0, 5, 127, -128, 128, -129, 0x7fff, -0x8000, 0xffff, 0x1234],
  4: [0, 5, 127, -128, 128, -129, 0x7fffffff, -0x80000000, 0xffffffff, 0x80000000, 0xffffff80],
  8: [0, 5, 127, -128, 128, -129, 0x7fffffff, -0x80000000, 0x12345678],
};

/** The value as the signed integer of `size` bytes (how the CPU sees the immediate). */
export function signedOf(value: number, size: number): number {
  return Number(BigInt.asIntN(size * 8, BigInt(value)));
}
