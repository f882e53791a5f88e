// Emission of one machine instruction with its allocated registers. Operand positions follow the layouts documented
// in mops.ts. An `A` operand (register or spill slot) picks the register or memory form of the instruction.

import {
  Amode,
  AluOp,
  Cond,
  RDI,
  RSP,
  R11,
  SseOp,
  UnaryOp,
  mem,
  type Assembler,
} from '../x64/index.js';
import { CC_FEQ, CC_FNE, invertCondition } from './conds.js';
import type { Emitter } from './emit.js';
import { IselError } from './errors.js';
import {
  emitClzBsr,
  emitCtzBsf,
  emitCvtFToInt,
  emitCvtU64ToF,
  emitFMinMax,
  emitPopcntSeq,
  emitRoundSse2,
} from './emit-sequences.js';
import { CALL_BUILTIN, CALL_DIRECT, CMP_TEST, ExtendKind, LoadKind, MOP_NAMES, MOp, StoreKind } from './mops.js';

const XMM15 = 31;

export function emitInst(em: Emitter, i: number): void {
  const a = em.a;
  const v = em.vcode.insts;
  const op = v.op[i];
  const size = v.size[i] as 1 | 2 | 4 | 8;
  const sub = v.sub[i];
  const imm = v.imm[i];
  switch (op) {
    case MOp.Args:
      return;
    case MOp.LoadIncoming:
      return emitLoad(a, sub, em.reg(0), mem(5 /* rbp */, 16 + v.aux[i]));
    case MOp.MovImm: {
      const d = em.reg(0);
      if (size === 4) {
        if (imm === 0) a.aluRR(AluOp.Xor, 4, d, d);
        else a.movRI(4, d, imm);
      } else if (imm === 0 && v.immHi[i] === 0) {
        a.aluRR(AluOp.Xor, 4, d, d);
      } else {
        a.movRI64(d, imm, v.immHi[i]);
      }
      return;
    }
    case MOp.XmmConst:
      return em.loadFloatConst(em.reg(0), size, imm, v.immHi[i]);
    case MOp.Mov: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') {
        // A 32-bit copy always runs: it also clears bits 32..63 (uextend relies on it).
        if (s !== d || size === 4) a.movRR(size, d, s);
      } else {
        a.movRM(size, d, s);
      }
      return;
    }
    case MOp.XmmMov: {
      const s = em.reg(0);
      const d = em.reg(1);
      if (s !== d) a.xmmRR(SseOp.Movaps, d, s);
      return;
    }
    case MOp.AluRR: {
      const d = checkReuse(em, 2, 0);
      const b = em.regOrSlot(1);
      if (typeof b === 'number') a.aluRR(sub as AluOp, size, d, b);
      else a.aluRM(sub as AluOp, size, d, b);
      return;
    }
    case MOp.AluRI:
      return a.aluRI(sub as AluOp, size, checkReuse(em, 1, 0), imm);
    case MOp.AluRM:
      return a.aluRM(sub as AluOp, size, checkReuse(em, 1, 0), em.amode(i));
    case MOp.AluMI:
      return a.aluMI(sub as AluOp, size, em.amode(i), imm);
    case MOp.AluMR:
      return a.aluMR(sub as AluOp, size, em.amode(i), em.reg(0));
    case MOp.CmpRR: {
      const x = em.reg(0);
      const y = em.regOrSlot(1);
      if (sub === CMP_TEST) {
        if (typeof y === 'number') a.testRR(size, x, y);
        else a.testMR(size, y, x);
      } else if (typeof y === 'number') a.aluRR(AluOp.Cmp, size, x, y);
      else a.aluRM(AluOp.Cmp, size, x, y);
      return;
    }
    case MOp.CmpRI: {
      const x = em.regOrSlot(0);
      if (sub === CMP_TEST) {
        if (typeof x === 'number') a.testRI(size, x, imm);
        else a.testMI(size, x, imm);
      } else if (typeof x === 'number') a.aluRI(AluOp.Cmp, size, x, imm);
      else a.aluMI(AluOp.Cmp, size, x, imm);
      return;
    }
    case MOp.CmpRM:
      if (sub === CMP_TEST) a.testMR(size, em.amode(i), em.reg(0));
      else a.aluRM(AluOp.Cmp, size, em.reg(0), em.amode(i));
      return;
    case MOp.CmpMI:
      if (sub === CMP_TEST) a.testMI(size, em.amode(i), imm);
      else a.aluMI(AluOp.Cmp, size, em.amode(i), imm);
      return;
    case MOp.CmpMR:
      if (sub === CMP_TEST) a.testMR(size, em.amode(i), em.reg(0));
      else a.aluMR(AluOp.Cmp, size, em.amode(i), em.reg(0));
      return;
    case MOp.Lea:
      return a.lea(size as 4 | 8, em.reg(0), em.amode(i));
    case MOp.ImulRR: {
      const d = checkReuse(em, 2, 0);
      const b = em.regOrSlot(1);
      if (typeof b === 'number') a.imulRR(size as 4 | 8, d, b);
      else a.imulRM(size as 4 | 8, d, b);
      return;
    }
    case MOp.ImulRRI: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') a.imulRRI(size as 4 | 8, d, s, imm);
      else a.imulRMI(size as 4 | 8, d, s, imm);
      return;
    }
    case MOp.ImulRM:
      return a.imulRM(size as 4 | 8, checkReuse(em, 1, 0), em.amode(i));
    case MOp.ShiftRI:
      return a.shiftRI(sub as 0, size, checkReuse(em, 1, 0), imm);
    case MOp.ShiftRCl:
      return a.shiftRCl(sub as 0, size, checkReuse(em, 2, 0));
    case MOp.Unary:
      return a.unaryR(sub as UnaryOp, size, checkReuse(em, 1, 0));
    case MOp.Div: {
      const y = em.reg(1);
      if (sub === 1) {
        if (size === 8) a.cqo();
        else a.cdq();
        a.unaryR(UnaryOp.Idiv, size, y);
      } else {
        a.aluRR(AluOp.Xor, 4, 2 /* edx */, 2);
        a.unaryR(UnaryOp.Div, size, y);
      }
      return;
    }
    case MOp.SremSeq: {
      // x % -1 is 0, but idiv would fault on INT_MIN % -1: skip the division for -1.
      const y = em.reg(1);
      const divide = a.newLabel();
      const done = a.newLabel();
      a.aluRI(AluOp.Cmp, size, y, -1);
      a.jcc(Cond.NE, divide);
      a.aluRR(AluOp.Xor, 4, 2, 2);
      a.jmp(done);
      a.bind(divide);
      if (size === 8) a.cqo();
      else a.cdq();
      a.unaryR(UnaryOp.Idiv, size, y);
      a.bind(done);
      return;
    }
    case MOp.SdivOvfCheck: {
      // INT_MIN / -1 overflows: x - 1 overflows exactly when x = INT_MIN.
      const x = em.reg(0);
      const y = em.reg(1);
      const ok = a.newLabel();
      a.aluRI(AluOp.Cmp, size, y, -1);
      a.jcc(Cond.NE, ok);
      a.aluRI(AluOp.Cmp, size, x, 1);
      a.jcc(Cond.O, em.stubLabel[v.aux[i]]);
      a.bind(ok);
      return;
    }
    case MOp.TrapIf:
      return em.jumpIf(sub, em.stubLabel[v.aux[i]]);
    case MOp.Setcc: {
      const d = em.reg(0);
      if (sub === CC_FEQ || sub === CC_FNE) {
        const feq = sub === CC_FEQ;
        a.setcc(feq ? Cond.NP : Cond.P, R11);
        a.setcc(feq ? Cond.E : Cond.NE, d);
        a.aluRR(feq ? AluOp.And : AluOp.Or, 1, d, R11);
      } else {
        a.setcc(sub as Cond, d);
      }
      a.movzxRR(1, 4, d, d);
      return;
    }
    case MOp.Cmov: {
      const d = checkReuse(em, 2, 0);
      const alt = em.regOrSlot(1);
      const conds = sub === CC_FNE ? [Cond.NE, Cond.P] : [sub];
      if (sub === CC_FEQ) throw new IselError('cmov on e&np must be lowered as ne|p with swapped operands');
      for (const c of conds) {
        if (typeof alt === 'number') a.cmovRR(c as Cond, size as 4 | 8, d, alt);
        else a.cmovRM(c as Cond, size as 4 | 8, d, alt);
      }
      return;
    }
    case MOp.XmmCmov: {
      const d = checkReuse(em, 2, 0);
      const alt = em.reg(1);
      const skip = a.newLabel();
      em.jumpIfNot(sub, skip);
      if (alt !== d) a.xmmRR(SseOp.Movaps, d, alt);
      a.bind(skip);
      return;
    }
    case MOp.Movx: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      emitExtend(a, sub, d, s);
      return;
    }
    case MOp.BitRR: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') a.bitRR(sub as 0, size as 4 | 8, d, s);
      else a.bitRM(sub as 0, size as 4 | 8, d, s);
      return;
    }
    case MOp.ClzBsr:
      return emitClzBsr(a, size as 4 | 8, em.reg(1), em.reg(0));
    case MOp.CtzBsf:
      return emitCtzBsf(a, size as 4 | 8, em.reg(1), em.reg(0));
    case MOp.PopcntSeq:
      return emitPopcntSeq(a, size as 4 | 8, em.reg(1), em.reg(0), em.reg(2));
    case MOp.Load:
      return emitLoad(a, sub, em.reg(0), em.amode(i));
    case MOp.Store:
      return emitStore(a, sub, em.amode(i), em.reg(0));
    case MOp.StoreImm:
      return a.movMI(size, em.amode(i), imm);
    case MOp.XmmRR: {
      const d = checkReuse(em, 2, 0);
      const b = em.regOrSlot(1);
      if (typeof b === 'number') a.xmmRR(sub as SseOp, d, b);
      else a.xmmRM(sub as SseOp, d, b);
      return;
    }
    case MOp.XmmRM:
      return a.xmmRM(sub as SseOp, checkReuse(em, 1, 0), em.amode(i));
    case MOp.XmmUnary: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') a.xmmRR(sub as SseOp, d, s);
      else a.xmmRM(sub as SseOp, d, s);
      return;
    }
    case MOp.XmmMaskOp:
      return a.xmmRM(sub as SseOp, checkReuse(em, 1, 0), em.mask(v.aux[i]));
    case MOp.Copysign: {
      const d = checkReuse(em, 2, 0);
      const y = em.reg(1);
      a.xmmRR(SseOp.Movaps, XMM15, y);
      a.xmmRM(SseOp.Andps, XMM15, em.mask(size === 4 ? 0 : 2));
      a.xmmRM(SseOp.Andps, d, em.mask(size === 4 ? 1 : 3));
      a.xmmRR(SseOp.Orps, d, XMM15);
      return;
    }
    case MOp.Ucomis: {
      const x = em.reg(0);
      const y = em.regOrSlot(1);
      const sse = size === 4 ? SseOp.Ucomiss : SseOp.Ucomisd;
      if (typeof y === 'number') a.xmmRR(sse, x, y);
      else a.xmmRM(sse, x, y);
      return;
    }
    case MOp.UcomisRM:
      return a.xmmRM(size === 4 ? SseOp.Ucomiss : SseOp.Ucomisd, em.reg(0), em.amode(i));
    case MOp.FMinMax:
      return emitFMinMax(a, size as 4 | 8, sub === 1, checkReuse(em, 2, 0), em.reg(1));
    case MOp.Round: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') a.roundRR(size as 4 | 8, d, s, imm);
      else a.roundRM(size as 4 | 8, d, s, imm);
      return;
    }
    case MOp.RoundSse2:
      return emitRoundSse2(em, size as 4 | 8, imm, checkReuse(em, 1, 0), em.reg(2));
    case MOp.MovToXmm: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      if (typeof s === 'number') a.movdToXmm(size as 4 | 8, d, s);
      else a.xmmRM(size === 4 ? SseOp.Movss : SseOp.Movsd, d, s);
      return;
    }
    case MOp.MovFromXmm:
      return a.movdFromXmm(size as 4 | 8, em.reg(1), em.reg(0));
    case MOp.CvtSintToF: {
      const s = em.regOrSlot(0);
      const d = em.reg(1);
      a.xmmRR(SseOp.Xorps, d, d); // breaks the dependency on d's old value
      if (typeof s === 'number') a.cvtsi2fpRR(sub as 4 | 8, size as 4 | 8, d, s);
      else a.cvtsi2fpRM(sub as 4 | 8, size as 4 | 8, d, s);
      return;
    }
    case MOp.CvtU32ToF: {
      const d = em.reg(1);
      a.movRR(4, R11, em.reg(0)); // zero-extend; the 64-bit signed convert is then exact
      a.xmmRR(SseOp.Xorps, d, d);
      a.cvtsi2fpRR(sub as 4 | 8, 8, d, R11);
      return;
    }
    case MOp.CvtU64ToF:
      return emitCvtU64ToF(a, sub as 4 | 8, em.reg(1), em.reg(0), em.reg(2));
    case MOp.CvtFToInt:
      return emitCvtFToInt(em, i, em.reg(1), em.reg(0));
    case MOp.Jmp: {
      const target = em.labelOf(em.vcode.succs[em.vcode.succStart[em.currentBlock]]);
      const next = em.nextBlock;
      if (next === -1 || em.labelOf(next) !== target) a.jmp(target);
      return;
    }
    case MOp.JccJmp: {
      const vc = em.vcode;
      const s0 = vc.succStart[em.currentBlock];
      const taken = em.labelOf(vc.succs[s0]);
      const notTaken = em.labelOf(vc.succs[s0 + 1]);
      const next = em.nextBlock === -1 ? -2 : em.labelOf(em.nextBlock);
      if (notTaken === next) {
        em.jumpIf(sub, taken);
      } else if (taken === next) {
        em.jumpIf(invertCondition(sub), notTaken);
      } else {
        em.jumpIf(sub, taken);
        a.jmp(notTaken);
      }
      return;
    }
    case MOp.JtAddr: {
      const idx = em.reg(0);
      const target = em.reg(1);
      const t = em.reg(2);
      a.movRR(4, t, idx);
      a.movRI(4, R11, imm);
      a.aluRR(AluOp.Cmp, 4, t, R11);
      a.cmovRR(Cond.AE, 4, t, R11);
      a.lea(8, target, ripRelLabel(em.jumpTableLabel[v.aux[i]]));
      a.movsxRM(4, 8, t, new Amode(target, t, 2, 0, -1));
      a.aluRR(AluOp.Add, 8, target, t);
      return;
    }
    case MOp.JmpTable:
      return a.jmpR(em.reg(0));
    case MOp.Ret:
      return em.emitEpilogue();
    case MOp.Trap:
      return em.emitInlineTrap(v.aux[i]);
    case MOp.Call:
      if (sub === CALL_DIRECT) {
        a.callExternal(v.aux[i]);
      } else if (sub === CALL_BUILTIN) {
        a.movRM(8, R11, mem(RDI, em.options.builtinsOffset));
        a.callM(mem(R11, 8 * v.aux[i]));
      } else {
        a.callR(em.reg(0));
      }
      em.recordCall(v.irInst[i]);
      return;
    case MOp.StoreOutgoing:
      return emitStore(a, sub, mem(RSP, v.aux[i]), em.reg(0));
    case MOp.LeaRetArea:
      return a.lea(8, em.reg(0), mem(RSP, em.frame.returnAreaOffset + v.aux[i]));
    case MOp.LoadRetArea:
      return emitLoad(a, sub, em.reg(0), mem(RSP, em.frame.returnAreaOffset + v.aux[i]));
    default:
      throw new IselError(`cannot emit machine op ${MOP_NAMES[op] ?? op}`);
  }
}

function ripRelLabel(label: number): Amode {
  return new Amode(-1, -1, 0, 0, label);
}

/** The def of a two-address op must share the register of the use it reuses; returns that register. */
function checkReuse(em: Emitter, def: number, use: number): number {
  const d = em.reg(def);
  const u = em.reg(use);
  if (d !== u) {
    throw new IselError(
      `${em.vcode.func.name}: inst ${em.inst}: reuse constraint broken (def in ${d}, reused input in ${u})`,
    );
  }
  return d;
}

export function emitLoad(a: Assembler, kind: number, d: number, m: Amode): void {
  switch (kind) {
    case LoadKind.I32:
      return a.movRM(4, d, m);
    case LoadKind.I64:
      return a.movRM(8, d, m);
    case LoadKind.U8:
      return a.movzxRM(1, 4, d, m);
    case LoadKind.U16:
      return a.movzxRM(2, 4, d, m);
    case LoadKind.S8x32:
      return a.movsxRM(1, 4, d, m);
    case LoadKind.S16x32:
      return a.movsxRM(2, 4, d, m);
    case LoadKind.S8x64:
      return a.movsxRM(1, 8, d, m);
    case LoadKind.S16x64:
      return a.movsxRM(2, 8, d, m);
    case LoadKind.S32x64:
      return a.movsxRM(4, 8, d, m);
    case LoadKind.F32:
      return a.xmmRM(SseOp.Movss, d, m);
    default:
      return a.xmmRM(SseOp.Movsd, d, m);
  }
}

export function emitStore(a: Assembler, kind: number, m: Amode, s: number): void {
  switch (kind) {
    case StoreKind.I8:
      return a.movMR(1, m, s);
    case StoreKind.I16:
      return a.movMR(2, m, s);
    case StoreKind.I32:
      return a.movMR(4, m, s);
    case StoreKind.I64:
      return a.movMR(8, m, s);
    case StoreKind.F32:
      return a.xmmMR(SseOp.Movss, m, s);
    default:
      return a.xmmMR(SseOp.Movsd, m, s);
  }
}

function emitExtend(a: Assembler, kind: number, d: number, s: number | Amode): void {
  const reg = typeof s === 'number';
  switch (kind) {
    case ExtendKind.U8:
      return reg ? a.movzxRR(1, 4, d, s) : a.movzxRM(1, 4, d, s);
    case ExtendKind.U16:
      return reg ? a.movzxRR(2, 4, d, s) : a.movzxRM(2, 4, d, s);
    case ExtendKind.S8x32:
      return reg ? a.movsxRR(1, 4, d, s) : a.movsxRM(1, 4, d, s);
    case ExtendKind.S16x32:
      return reg ? a.movsxRR(2, 4, d, s) : a.movsxRM(2, 4, d, s);
    case ExtendKind.S8x64:
      return reg ? a.movsxRR(1, 8, d, s) : a.movsxRM(1, 8, d, s);
    case ExtendKind.S16x64:
      return reg ? a.movsxRR(2, 8, d, s) : a.movsxRM(2, 8, d, s);
    default:
      return reg ? a.movsxRR(4, 8, d, s) : a.movsxRM(4, 8, d, s);
  }
}

