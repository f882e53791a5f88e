// Loads and stores. The address is folded into one operand (amode.ts); values are extended by the load itself.
//
//   load.i32 [a + off]                    → mov r32, [..]        (zero-extends)
//   uload8/16 / sload8/16 / sload32       → movzx / movsx / movsxd
//   load.f32 / load.f64                   → movss / movsd
//   store (iconst c), [a + off]           → mov [..], imm
//   store x, [a]  with x = op(load [a], y|c)  → op [a], y|c   (read-modify-write: add/sub/and/or/xor)
//   store / istore8/16/32 x, [a + off]    → mov [..], r8/16/32/64 ; movss/movsd

import { F32, F64, I32, I64, Opcode } from '../ir/index.js';
import { matchAddress } from './amode.js';
import type { Lowerer } from './lower.js';
import { tryRmw } from './lower-rmw.js';
import { LoadKind, MOp, StoreKind } from './mops.js';
import { defReg, useReg } from './regalloc-types.js';

export function lowerMemoryInst(ctx: Lowerer, inst: number, op: number): boolean {
  switch (op) {
    case Opcode.load:
    case Opcode.uload8:
    case Opcode.sload8:
    case Opcode.uload16:
    case Opcode.sload16:
    case Opcode.uload32:
    case Opcode.sload32:
      lowerLoad(ctx, inst, op);
      return true;
    case Opcode.store:
    case Opcode.istore8:
    case Opcode.istore16:
    case Opcode.istore32:
      lowerStore(ctx, inst, op);
      return true;
    default:
      return false;
  }
}

function loadKind(op: number, t: number): number {
  const wide = t === I64;
  switch (op) {
    case Opcode.uload8:
      return LoadKind.U8;
    case Opcode.sload8:
      return wide ? LoadKind.S8x64 : LoadKind.S8x32;
    case Opcode.uload16:
      return LoadKind.U16;
    case Opcode.sload16:
      return wide ? LoadKind.S16x64 : LoadKind.S16x32;
    case Opcode.uload32:
      return LoadKind.I32;
    case Opcode.sload32:
      return LoadKind.S32x64;
    default:
      return t === F32 ? LoadKind.F32 : t === F64 ? LoadKind.F64 : wide ? LoadKind.I64 : LoadKind.I32;
  }
}

function lowerLoad(ctx: Lowerer, inst: number, op: number): void {
  const dfg = ctx.dfg;
  const addr = dfg.arg(inst, 0);
  const d = ctx.result();
  matchAddress(ctx, addr, dfg.offset(inst));
  ctx.begin(MOp.Load, 0, loadKind(op, dfg.instType(inst)));
  ctx.use(defReg(d));
  ctx.useAmode();
  ctx.end();
}

function lowerStore(ctx: Lowerer, inst: number, op: number): void {
  const dfg = ctx.dfg;
  const v = dfg.arg(inst, 0);
  const addr = dfg.arg(inst, 1);
  const off = dfg.offset(inst);
  const t = dfg.valueType(v);
  if (op === Opcode.store && (t === I64 || t === I32) && tryRmw(ctx, inst, v, addr, off, t)) return;
  const kind =
    op === Opcode.istore8
      ? StoreKind.I8
      : op === Opcode.istore16
        ? StoreKind.I16
        : op === Opcode.istore32
          ? StoreKind.I32
          : t === F32
            ? StoreKind.F32
            : t === F64
              ? StoreKind.F64
              : t === I64
                ? StoreKind.I64
                : StoreKind.I32;
  const bytes = kind === StoreKind.I8 ? 1 : kind === StoreKind.I16 ? 2 : kind === StoreKind.I64 ? 8 : 4;
  if (kind <= StoreKind.I64 && ctx.constOf(v) && (bytes < 8 || ctx.cHi === ctx.cLo >> 31)) {
    // mov [m], imm: the immediate is the low `bytes` bytes (sign-extended imm32 for qwords).
    ctx.consume(v);
    const lo = bytes === 1 ? ctx.cLo & 0xff : bytes === 2 ? ctx.cLo & 0xffff : ctx.cLo;
    matchAddress(ctx, addr, off);
    ctx.begin(MOp.StoreImm, bytes);
    ctx.setImm(lo);
    ctx.useAmode();
    ctx.end();
    return;
  }
  const vr = ctx.vreg(v);
  matchAddress(ctx, addr, off);
  ctx.begin(MOp.Store, 0, kind);
  ctx.use(useReg(vr));
  ctx.useAmode();
  ctx.end();
}
