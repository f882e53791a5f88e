// Emission: VCode + register allocation → machine code in an Assembler.
//
// Per function: prologue (push rbp; mov rbp, rsp; push the used callee-saved registers; sub rsp, frame; stack-limit
// check), then the blocks in order with the allocator's edits (moves, spills, reloads, rematerialisations) placed at
// their program points, then the out-of-line trap stubs (`call raise`, one per trap site: the return address
// identifies the site) and the jump tables. Everything that must survive branch relaxation is a label; offsets are
// read only after Assembler.finish().

import { TRAP_RAISE_TARGET } from '../x64/abi.js';
import {
  Amode,
  type Assembler,
  type Label,
  NO_LABEL,
  NO_REG,
  RBP,
  RSP,
  R11,
  SseOp,
  mem,
  AluOp,
  Cond,
  ripRel,
  regName,
} from '../x64/index.js';
import { TrapCode } from '../ir/index.js';
import { CC_FEQ, CC_FNE, invertCondition } from './conds.js';
import { IselError } from './errors.js';
import { computeFrame, type FrameLayout, spillSlotOffset } from './frame.js';
import { emitInst } from './emit-inst.js';
import { borrowEmitScratch, type EmitScratch, returnEmitScratch } from './emit-scratch.js';
import { AmKind, MaskKind, MOp } from './mops.js';
import {
  EDIT_MOVE,
  RegClass,
  type RegAllocOutput,
  pointAfter,
  pointBefore,
} from './regalloc-types.js';
import type { VCode } from './vcode.js';

/** Where the generated code finds the runtime structures it touches (filled by the runtime from vm-offsets.ts). */
export interface EmitOptions {
  /** Offset of the VMInterrupts pointer in the VMContext (VMCTX_INTERRUPTS). Default 0. */
  readonly interruptsOffset?: number;
  /** Offset of the stack limit in VMInterrupts (VMINTERRUPTS_STACK_LIMIT). Default 0. */
  readonly stackLimitOffset?: number;
  /** Offset of the builtins array pointer in the VMContext (VMCTX_BUILTINS). Default 8. */
  readonly builtinsOffset?: number;
  /** Emit the prologue stack-limit check (default true; needs the vmctx in rdi, i.e. parameter 0). */
  readonly stackCheck?: boolean;
}

/** Relocation target of trap sites (defined in src/x64/abi.ts; the runtime resolves it to its raise routine). */
export { TRAP_RAISE_TARGET };



/** Labels of one emitted function; offsets are resolved after Assembler.finish(). */
export interface EmittedFunction {
  readonly startLabel: Label;
  readonly endLabel: Label;
  /** Per trap site: the label of its return address, trap code, wasm offset, pending fuel. */
  readonly trapLabels: readonly number[];
  readonly trapCodes: readonly number[];
  readonly trapSrcLocs: readonly number[];
  readonly trapFuel: readonly number[];
  /** Per call: the label of its return address and the wasm offset of the call. */
  readonly callLabels: readonly number[];
  readonly callSrcLocs: readonly number[];
  /** Jump tables (data inside the code): label of each table and its entry count (4 bytes each). */
  readonly jumpTableLabels: readonly number[];
  readonly jumpTableSizes: readonly number[];
  readonly frame: FrameLayout;
}

export class Emitter {
  readonly frame: FrameLayout;
  readonly options: Required<EmitOptions>;
  // The per-block / per-site tables below are arrays of an EmitScratch shared from function to function, longer than
  // this function needs: index them, never read their length.
  /** Label of each block (forwarded blocks share their target's). */
  private readonly blockLabel: Int32Array;
  private readonly forwardTo: Int32Array;
  /** Next block that is emitted after each block (-1: none), for fall-through elision. */
  private readonly nextEmitted: Int32Array;
  readonly stubLabel: Int32Array;
  private readonly retLabel: Int32Array;
  private readonly siteInline: Uint8Array;
  readonly jumpTableLabel: Int32Array;
  private readonly constLabel: Int32Array;
  private readonly maskLabel: Int32Array;
  /** Where the tables above live (borrowed for this function, given back when emitFunction returns). */
  private readonly scratch: EmitScratch;
  private stackOverflowSite = -1;
  readonly callLabels: number[] = [];
  readonly callSrcLocs: number[] = [];

  /** Instruction being emitted and the start of its allocations. */
  inst = 0;
  private allocBase = 0;
  private curBlock = 0;

  constructor(
    readonly a: Assembler,
    readonly vcode: VCode,
    readonly alloc: RegAllocOutput,
    options: EmitOptions = {},
  ) {
    this.options = {
      interruptsOffset: options.interruptsOffset ?? 0,
      stackLimitOffset: options.stackLimitOffset ?? 0,
      builtinsOffset: options.builtinsOffset ?? 8,
      stackCheck: options.stackCheck ?? true,
    };
    this.frame = computeFrame(vcode, alloc);
    const scratch = borrowEmitScratch();
    this.scratch = scratch;
    const nb = vcode.numBlocks;
    this.blockLabel = scratch.blockLabel.array(nb);
    for (let b = 0; b < nb; b++) this.blockLabel[b] = a.newLabel();
    this.forwardTo = this.computeForwarding(scratch);
    this.nextEmitted = scratch.nextEmitted.array(nb);
    let next = -1;
    for (let b = nb - 1; b >= 0; b--) {
      this.nextEmitted[b] = next;
      if (this.forwardTo[b] === b) next = b;
    }
    const sites = vcode.trapSites.count;
    this.stubLabel = scratch.stubLabel.array(sites + 1);
    this.retLabel = scratch.retLabel.array(sites + 1);
    this.siteInline = scratch.siteInline.array(sites + 1, 0);
    for (let s = 0; s <= sites; s++) {
      this.stubLabel[s] = a.newLabel();
      this.retLabel[s] = a.newLabel();
    }
    this.jumpTableLabel = scratch.jumpTableLabel.array(vcode.jumpTableBlock.length);
    for (let t = 0; t < vcode.jumpTableBlock.length; t++) this.jumpTableLabel[t] = a.newLabel();
    this.constLabel = scratch.constLabel.array(vcode.consts.length / 5, NO_LABEL);
    this.maskLabel = scratch.maskLabel.array(4, NO_LABEL);
  }

  /** A block that only jumps on, with no moves, is skipped: branches to it go straight to its target. */
  private computeForwarding(scratch: EmitScratch): Int32Array {
    const v = this.vcode;
    const nb = v.numBlocks;
    const alloc = this.alloc;
    const fwd = scratch.forwardStep.array(nb);
    // Edit points that carry code.
    const hasEdits = scratch.hasEdits.array(v.numInsts * 2 + 2, 0);
    for (let e = 0; e < alloc.numEdits; e++) hasEdits[alloc.editPoint[e]] = 1;
    let any = false;
    for (let b = 0; b < nb; b++) {
      fwd[b] = b;
      const s = v.blockInstStart[b];
      if (b === 0 || v.blockInstEnd[b] - s !== 1 || v.insts.op[s] !== MOp.Jmp) continue;
      if (hasEdits[pointBefore(s)] === 1 || hasEdits[pointAfter(s)] === 1) continue;
      fwd[b] = v.succs[v.succStart[b]];
      any = true;
    }
    const out = scratch.forwardTo.array(nb);
    if (!any) {
      // Nothing to forward (common for small functions): every block is its own target.
      for (let b = 0; b < nb; b++) out[b] = b;
      return out;
    }
    // Resolve chains; a cycle of empty blocks (an empty infinite loop) keeps its blocks.
    for (let b = 0; b < nb; b++) {
      let t = b;
      let steps = 0;
      while (fwd[t] !== t && steps <= nb) {
        t = fwd[t];
        steps++;
      }
      out[b] = steps > nb ? b : t;
    }
    for (let b = 0; b < nb; b++) if (out[b] !== b && out[out[b]] !== out[b]) out[b] = b;
    return out;
  }

  /** Label to branch to for block b. */
  labelOf(b: number): Label {
    return this.blockLabel[this.forwardTo[b]];
  }

  // ---- whole function ----

  emitFunction(startLabel: Label): EmittedFunction {
    const a = this.a;
    const v = this.vcode;
    a.bind(startLabel);
    this.emitPrologue();
    const alloc = this.alloc;
    let e = 0;
    const numEdits = alloc.numEdits;
    for (let b = 0; b < v.numBlocks; b++) {
      const start = v.blockInstStart[b];
      const end = v.blockInstEnd[b];
      if (this.forwardTo[b] !== b) {
        // Skipped block: it has no edits by construction.
        while (e < numEdits && alloc.editPoint[e] < pointBefore(end)) e++;
        continue;
      }
      this.curBlock = b;
      a.bind(this.blockLabel[b]);
      for (let i = start; i < end; i++) {
        while (e < numEdits && alloc.editPoint[e] === pointBefore(i)) this.emitEdit(e++);
        if (e < numEdits && alloc.editPoint[e] < pointBefore(i)) {
          throw new IselError(`${v.func.name}: edit ${e} at point ${alloc.editPoint[e]} was not placed (inst ${i})`);
        }
        this.inst = i;
        this.allocBase = v.operandStart[i];
        emitInst(this, i);
        while (e < numEdits && alloc.editPoint[e] === pointAfter(i)) {
          if (i === end - 1) throw new IselError(`${v.func.name}: an edit after the terminator of block ${b}`);
          this.emitEdit(e++);
        }
      }
    }
    this.emitTrapStubs();
    this.emitJumpTables();
    const endLabel = a.newLabel();
    a.bind(endLabel);
    const ts = v.trapSites;
    const trapLabels: number[] = [];
    const trapCodes: number[] = [];
    const trapSrcLocs: number[] = [];
    const trapFuel: number[] = [];
    for (let s = 0; s < ts.count; s++) {
      trapLabels.push(this.retLabel[s]);
      trapCodes.push(ts.code[s]);
      trapSrcLocs.push(ts.srcLoc[s]);
      trapFuel.push(ts.fuel[s]);
    }
    if (this.stackOverflowSite >= 0) {
      trapLabels.push(this.retLabel[this.stackOverflowSite]);
      trapCodes.push(TrapCode.stack_overflow);
      trapSrcLocs.push(-1);
      trapFuel.push(0);
    }
    // Plain loops: Array.from over a typed array goes through the iterator protocol and was a hot spot.
    const jumpTableLabels: number[] = [];
    const jumpTableSizes: number[] = [];
    for (let t = 0; t < v.jumpTableBlock.length; t++) {
      const b = v.jumpTableBlock[t];
      jumpTableLabels.push(this.jumpTableLabel[t]);
      jumpTableSizes.push(v.succStart[b + 1] - v.succStart[b]);
    }
    returnEmitScratch(this.scratch);
    return {
      startLabel,
      endLabel,
      trapLabels,
      trapCodes,
      trapSrcLocs,
      trapFuel,
      callLabels: this.callLabels,
      callSrcLocs: this.callSrcLocs,
      jumpTableLabels,
      jumpTableSizes,
      frame: this.frame,
    };
  }

  private emitPrologue(): void {
    const a = this.a;
    const f = this.frame;
    a.push(RBP);
    a.movRR(8, RBP, RSP);
    for (const r of f.savedRegs) a.push(r);
    if (f.allocBytes > 0) a.aluRI(AluOp.Sub, 8, RSP, f.allocBytes);
    if (this.options.stackCheck && this.vcode.func.signature.vmctxParam === 0) {
      // rdi still holds the vmctx: nothing has run yet.
      const site = this.vcode.trapSites.count;
      this.stackOverflowSite = site;
      a.movRM(8, R11, mem(7 /* rdi */, this.options.interruptsOffset));
      a.aluRM(AluOp.Cmp, 8, RSP, mem(R11, this.options.stackLimitOffset));
      a.jcc(Cond.B, this.stubLabel[site]);
    }
  }

  /** Epilogue + ret (at every return). */
  emitEpilogue(): void {
    const a = this.a;
    const f = this.frame;
    if (f.allocBytes > 0) a.aluRI(AluOp.Add, 8, RSP, f.allocBytes);
    for (let k = f.savedRegs.length - 1; k >= 0; k--) a.pop(f.savedRegs[k]);
    a.pop(RBP);
    a.ret();
  }

  private emitTrapStubs(): void {
    const a = this.a;
    const n = this.vcode.trapSites.count + (this.stackOverflowSite >= 0 ? 1 : 0);
    for (let s = 0; s < n; s++) {
      if (this.siteInline[s] === 1) continue;
      a.bind(this.stubLabel[s]);
      a.callExternal(TRAP_RAISE_TARGET);
      a.bind(this.retLabel[s]);
    }
  }

  /** An inline trap (the `trap` instruction): the call is emitted in place. */
  emitInlineTrap(site: number): void {
    this.siteInline[site] = 1;
    this.a.callExternal(TRAP_RAISE_TARGET);
    this.a.bind(this.retLabel[site]);
  }

  private emitJumpTables(): void {
    const v = this.vcode;
    if (v.jumpTableBlock.length === 0) return;
    const a = this.a;
    a.align(4);
    for (let t = 0; t < v.jumpTableBlock.length; t++) {
      const b = v.jumpTableBlock[t];
      const tableLabel = this.jumpTableLabel[t];
      a.bind(tableLabel);
      const s0 = v.succStart[b];
      const s1 = v.succStart[b + 1];
      // Entries: the table targets in order, then the default (index = table size, where the clamp lands).
      for (let s = s0 + 1; s < s1; s++) a.jumpTableEntry(this.labelOf(v.succs[s]), tableLabel);
      a.jumpTableEntry(this.labelOf(v.succs[s0]), tableLabel);
    }
  }

  // ---- allocations of the current instruction's operands ----

  /** Physical register of operand k (which must be in a register). */
  reg(k: number): number {
    const x = this.alloc.allocs[this.allocBase + k];
    if (x >>> 30 !== 1) {
      throw new IselError(
        `${this.vcode.func.name}: inst ${this.inst} operand ${k} needs a register but was allocated ${x >>> 30 === 2 ? 'a stack slot' : 'nothing'}`,
      );
    }
    return x & 0x3fffffff;
  }

  /** True when operand k is in a register. */
  isReg(k: number): boolean {
    return this.alloc.allocs[this.allocBase + k] >>> 30 === 1;
  }

  /** Operand k as a register number or its spill slot's memory operand. */
  regOrSlot(k: number): number | Amode {
    const x = this.alloc.allocs[this.allocBase + k];
    if (x >>> 30 === 1) return x & 0x3fffffff;
    if (x >>> 30 === 2) return this.slot(x & 0x3fffffff);
    throw new IselError(`${this.vcode.func.name}: inst ${this.inst} operand ${k} has no allocation`);
  }

  slot(index: number): Amode {
    return mem(RBP, spillSlotOffset(this.frame, index));
  }

  /** The memory operand of instruction i (address registers are its last operands). */
  amode(i: number): Amode {
    const v = this.vcode.insts;
    const kind = v.amKind[i];
    const disp = v.amDisp[i];
    const k0 = v.amStart(i);
    switch (kind) {
      case AmKind.Base:
        return mem(this.reg(k0), disp);
      case AmKind.BaseIndex:
        return new Amode(this.reg(k0), this.reg(k0 + 1), v.amShift[i], disp, NO_LABEL);
      case AmKind.Index:
        return new Amode(NO_REG, this.reg(k0), v.amShift[i], disp, NO_LABEL);
      case AmKind.Const:
        return ripRel(this.constantLabel(disp));
      default:
        throw new IselError(`${this.vcode.func.name}: inst ${i} has no memory operand`);
    }
  }

  private constantLabel(index: number): Label {
    let l = this.constLabel[index];
    if (l === NO_LABEL) {
      const c = this.vcode.consts;
      const o = index * 5;
      l = this.a.buf.constant(c[o] as 4 | 8 | 16, c[o + 1], c[o + 2], c[o + 3], c[o + 4]);
      this.constLabel[index] = l;
    }
    return l;
  }

  /** [rip + mask] for XmmMaskOp / copysign. */
  mask(kind: number): Amode {
    let l = this.maskLabel[kind];
    if (l === NO_LABEL) {
      const a = this.a;
      switch (kind) {
        case MaskKind.SignF32:
          l = a.const128(0x80000000, 0, 0, 0);
          break;
        case MaskKind.AbsF32:
          l = a.const128(0x7fffffff, 0, 0, 0);
          break;
        case MaskKind.SignF64:
          l = a.const128(0, 0x80000000, 0, 0);
          break;
        default:
          l = a.const128(0xffffffff, 0x7fffffff, 0, 0);
          break;
      }
      this.maskLabel[kind] = l;
    }
    return ripRel(l);
  }

  // ---- control flow helpers ----

  /** Block emitted after the current one, or -1. */
  get nextBlock(): number {
    return this.nextEmitted[this.curBlock];
  }

  get currentBlock(): number {
    return this.curBlock;
  }

  /** Jumps to `target` when `cc` holds (compound float conditions take two jumps). */
  jumpIf(cc: number, target: Label): void {
    const a = this.a;
    if (cc === CC_FEQ) {
      const skip = a.newLabel();
      a.jcc(Cond.P, skip);
      a.jcc(Cond.E, target);
      a.bind(skip);
    } else if (cc === CC_FNE) {
      a.jcc(Cond.P, target);
      a.jcc(Cond.NE, target);
    } else {
      a.jcc(cc as Cond, target);
    }
  }

  jumpIfNot(cc: number, target: Label): void {
    this.jumpIf(invertCondition(cc), target);
  }

  /** Records the return address of a call just emitted. */
  recordCall(irInst: number): void {
    const l = this.a.newLabel();
    this.a.bind(l);
    this.callLabels.push(l);
    this.callSrcLocs.push(irInst >= 0 ? this.vcode.func.dfg.srcLoc(irInst) : -1);
  }

  // ---- allocator edits ----

  private emitEdit(e: number): void {
    const alloc = this.alloc;
    const from = alloc.editFrom[e];
    const to = alloc.editTo[e];
    if (alloc.editKind[e] !== EDIT_MOVE) {
      this.emitRemat(from, to);
      return;
    }
    const a = this.a;
    const float = alloc.editClass[e] === RegClass.Float;
    const fromReg = from >>> 30 === 1;
    const toReg = to >>> 30 === 1;
    const f = from & 0x3fffffff;
    const t = to & 0x3fffffff;
    if (fromReg && toReg) {
      if (f === t) return;
      if (float) a.xmmRR(SseOp.Movaps, t, f);
      else a.movRR(8, t, f);
    } else if (fromReg) {
      if (float) a.xmmMR(SseOp.Movsd, this.slot(t), f);
      else a.movMR(8, this.slot(t), f);
    } else if (toReg) {
      if (float) a.xmmRM(SseOp.Movsd, t, this.slot(f));
      else a.movRM(8, t, this.slot(f));
    } else {
      throw new IselError(`${this.vcode.func.name}: stack-to-stack edit ${e} (the allocator should split it)`);
    }
  }

  /** Re-runs constant instruction `inst` into `to`, leaving the flags alone (no xor). */
  private emitRemat(inst: number, to: number): void {
    const v = this.vcode.insts;
    const a = this.a;
    const lo = v.imm[inst];
    const hi = v.immHi[inst];
    const size = v.size[inst];
    const toReg = to >>> 30 === 1;
    const t = to & 0x3fffffff;
    if (v.op[inst] === MOp.MovImm) {
      const r = toReg ? t : R11;
      if (size === 4) a.movRI(4, r, lo);
      else a.movRI64(r, lo, hi);
      if (!toReg) a.movMR(8, this.slot(t), R11);
      return;
    }
    if (v.op[inst] === MOp.XmmConst) {
      const r = toReg ? t : 31; // xmm15
      this.loadFloatConst(r, size, lo, hi);
      if (!toReg) a.xmmMR(SseOp.Movsd, this.slot(t), r);
      return;
    }
    throw new IselError(`${this.vcode.func.name}: remat of inst ${inst} (${regName(0)}), which is not a constant`);
  }

  /** d = float constant (xorps for +0, which leaves the flags alone). */
  loadFloatConst(d: number, size: number, lo: number, hi: number): void {
    const a = this.a;
    if (lo === 0 && (size === 4 || hi === 0)) {
      a.xmmRR(SseOp.Xorps, d, d);
    } else if (size === 4) {
      a.xmmRM(SseOp.Movss, d, ripRel(a.constF32(lo)));
    } else {
      a.xmmRM(SseOp.Movsd, d, ripRel(a.constF64(lo, hi)));
    }
  }
}
