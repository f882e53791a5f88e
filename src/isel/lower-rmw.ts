// Read-modify-write: `store (op (load [a]) y), [a]` → `op [a], y|imm` (add/sub/and/or/xor), one instruction instead
// of three. Used by stores (lower-memory.ts) and by the fuel check (lower-control.ts), where the RMW's flags also
// feed the branch.

import { Format, NONE, Opcode } from '../ir/index.js';
import { matchAddress } from './amode.js';
import type { Lowerer } from './lower.js';
import { flagAluOf } from './lower-int.js';
import { MOp } from './mops.js';
import { useReg } from './regalloc-types.js';

/**
 * If X = op(L, y) (or op(y, L) for a commutative op, or an _imm form of L) where L is a single-use full-width load of
 * type `t` from exactly [addr + off] in this block with no barrier between L and `until`, returns L (else -1).
 */
export function matchRmwLoad(ctx: Lowerer, X: number, addr: number, off: number, t: number, until: number): number {
  const dfg = ctx.dfg;
  const op = dfg.opcode(X);
  const isImmForm = dfg.format(X) === Format.BinaryImm;
  if (isImmForm && ctx.intSize(t) === 8 && dfg.immHi(X) !== dfg.immLo(X) >> 31) return -1;
  const positions = isImmForm || op === Opcode.isub ? 1 : 2;
  const a = dfg.resolve(addr);
  for (let p = 0; p < positions; p++) {
    const lv = dfg.arg(X, p);
    const L = ctx.defOf(lv);
    if (L === NONE || dfg.opcode(L) !== Opcode.load || dfg.instType(L) !== t) continue;
    if (ctx.useCount[lv] !== 1 || !ctx.inCurrentBlock(L)) continue;
    if (dfg.resolve(dfg.arg(L, 0)) !== a || dfg.offset(L) !== off) continue;
    if (!ctx.noBarrierBetween(L, until)) continue;
    if (!isImmForm && dfg.resolve(dfg.arg(X, 1 - p)) === lv) continue;
    return L;
  }
  return -1;
}

/**
 * Emits `op [addr+off], y|imm` for X = op(L, y) whose load L reads [addr+off]; X and the store were absorbed by the
 * caller, so X's operands and the store's address are owned here (the address twice: the store's and L's).
 */
export function emitRmw(ctx: Lowerer, X: number, L: number, addr: number, off: number, aluOp: number, size: number): void {
  const dfg = ctx.dfg;
  const lv = dfg.result(L, 0);
  ctx.absorb(lv, L); // L's address use is ours too
  ctx.consume(addr); // two owned uses of the address, one operand
  let imm = 0;
  let y = NONE;
  if (dfg.format(X) === Format.BinaryImm) {
    imm = dfg.immLo(X);
  } else {
    const other = dfg.resolve(dfg.arg(X, 0)) === dfg.resolve(lv) ? 1 : 0;
    y = dfg.arg(X, other);
    if (ctx.immOf(y, size)) {
      ctx.consume(y);
      imm = ctx.cLo;
      y = NONE;
    }
  }
  const yv = y === NONE ? -1 : ctx.vreg(y);
  matchAddress(ctx, addr, off);
  if (yv < 0) {
    ctx.begin(MOp.AluMI, size, aluOp);
    ctx.setImm(imm);
  } else {
    ctx.begin(MOp.AluMR, size, aluOp);
    ctx.use(useReg(yv));
  }
  ctx.useAmode();
  ctx.end();
}

/** store (op (load [a]) y) → [a]: one read-modify-write instruction. */
export function tryRmw(ctx: Lowerer, inst: number, v: number, addr: number, off: number, t: number): boolean {
  const dfg = ctx.dfg;
  const X = ctx.defOf(v);
  if (X === NONE || !ctx.inCurrentBlock(X) || ctx.useCount[dfg.resolve(v)] !== 1) return false;
  const aluOp = flagAluOf(dfg.opcode(X));
  if (aluOp < 0 || dfg.instType(X) !== t) return false;
  const L = matchRmwLoad(ctx, X, addr, off, t, inst);
  if (L < 0) return false;
  ctx.absorb(v, X);
  emitRmw(ctx, X, L, addr, off, aluOp, ctx.intSize(t));
  return true;
}
