// Address-mode matching: fold the arithmetic that computes an address into one x86-64 operand
// `[base + index << shift + disp]`.
//
//   load [iadd(heapBase, uextend(i)) + 16]        → [heapBase + i + 16]     (uextend of a 32-bit result is free)
//   load [iadd(base, ishl_imm(i, 3)) + 0]         → [base + i*8]
//   load [iadd_imm(iadd(a, b), 40) + 8]           → [a + b + 48]
//   iadd.i32 x, ishl_imm(y, 2)  (lea)             → lea r32, [x + y*4]
//
// At most two registers (one of them scaled) and a signed 32-bit displacement. A node is folded only when the
// address is its single use (the node is then absorbed: its operands become the address's); anything else stays a
// register term. The caller owns the operand it passes in (it counts as the caller's use).

import { I64, NONE, Opcode } from '../ir/index.js';
import type { Lowerer } from './lower.js';
import { AmKind } from './mops.js';

const MAX_DEPTH_NODES = 6;

// Scratch (the compiler is single-threaded; matchAddress is not re-entrant).
const stack = new Int32Array(8);
const termValue = new Int32Array(2);
const termShift = new Int32Array(2);

/** Matches the address `addr + offset` (addr an i64 value) into ctx.am*. */
export function matchAddress(ctx: Lowerer, addr: number, offset: number): void {
  stack[0] = addr;
  matchTerms(ctx, 1, offset, true);
}

/**
 * Matches `x + y + disp` computed in `type` (for lea). For i32 the sum wraps: only the low 32 bits of the 64-bit
 * address computation are kept, which `lea r32` does.
 */
export function matchSum(ctx: Lowerer, x: number, y: number, disp: number, type: number): void {
  stack[0] = x;
  let n = 1;
  if (y !== NONE) stack[n++] = y;
  matchTerms(ctx, n, disp, type === I64);
}

function fitsI32(n: number): boolean {
  return n >= -0x80000000 && n <= 0x7fffffff;
}

function matchTerms(ctx: Lowerer, initial: number, offset: number, wide: boolean): void {
  const dfg = ctx.dfg;
  let sp = initial;
  let numTerms = 0;
  let scaled = -1;
  let disp = offset;
  let folded = 0;
  while (sp > 0) {
    const v = dfg.resolve(stack[--sp]);
    const d = dfg.valueInst(v);
    if (d !== NONE && ctx.useCount[v] === 1 && folded < MAX_DEPTH_NODES) {
      const op = dfg.opcode(d);
      if (op === Opcode.iconst || op === Opcode.iadd_imm) {
        const lo = dfg.immLo(d);
        const ok = !wide || dfg.immHi(d) === lo >> 31;
        const sum = wide ? disp + lo : (disp + lo) | 0;
        if (ok && fitsI32(sum)) {
          ctx.absorb(v, d);
          folded++;
          disp = sum;
          if (op === Opcode.iadd_imm) stack[sp++] = dfg.arg(d, 0);
          continue;
        }
      } else if (op === Opcode.iadd && numTerms + sp + 2 <= 2) {
        ctx.absorb(v, d);
        folded++;
        stack[sp++] = dfg.arg(d, 1);
        stack[sp++] = dfg.arg(d, 0);
        continue;
      } else if (op === Opcode.ishl_imm && scaled < 0 && numTerms + sp + 1 <= 2) {
        const k = dfg.immLo(d) & (dfg.instType(d) === I64 ? 63 : 31);
        if (k >= 1 && k <= 3) {
          ctx.absorb(v, d);
          folded++;
          scaled = numTerms;
          termValue[numTerms] = dfg.arg(d, 0);
          termShift[numTerms++] = k;
          continue;
        }
      }
    }
    termValue[numTerms] = v;
    termShift[numTerms++] = 0;
  }
  ctx.amDisp = disp;
  ctx.amShift = 0;
  if (numTerms === 0) {
    // A constant address: materialise it (rare: wasm addresses always have a base).
    ctx.amKind = AmKind.Base;
    ctx.amBase = ctx.intConstVReg(disp, disp >> 31, 8);
    ctx.amDisp = 0;
    return;
  }
  if (numTerms === 1) {
    const r = ctx.vreg(termValue[0]);
    const k = termShift[0];
    if (k === 0) {
      ctx.amKind = AmKind.Base;
      ctx.amBase = r;
    } else if (k === 1) {
      // [x*2] needs a disp32; [x + x] does not.
      ctx.amKind = AmKind.BaseIndex;
      ctx.amBase = r;
      ctx.amIndex = r;
    } else {
      ctx.amKind = AmKind.Index;
      ctx.amIndex = r;
      ctx.amShift = k;
    }
    return;
  }
  const ix = scaled === 0 ? 0 : 1;
  ctx.amKind = AmKind.BaseIndex;
  ctx.amBase = ctx.vreg(termValue[1 - ix]);
  ctx.amIndex = ctx.vreg(termValue[ix]);
  ctx.amShift = termShift[ix];
}
