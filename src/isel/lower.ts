// Lowering driver: IR function → VCode.
//
// Blocks are lowered in postorder and each block's instructions bottom-up (as Cranelift does), so when an instruction
// is reached, every user of its results has already been lowered and knows whether it folded the instruction into
// itself. A user *absorbs* an operand's defining instruction (an iconst into an immediate, a load into a memory
// operand, an icmp into a branch, an iadd into an address) only when it is that value's single use: it then owns the
// absorbed instruction's operands (their use counts carry over) and marks it `merged`, so it is skipped. An
// instruction whose results end up unused and that has no effect is skipped too, and releases its operands.
//
// Each IR instruction's machine instructions are produced in forward order as one group; the groups of a block are
// reversed when the final VCode is assembled in block order (block-order.ts), with edge-split blocks after their
// predecessor and cold blocks last.

import {
  ControlFlowGraph,
  DominatorTree,
  F32,
  F64,
  I32,
  I64,
  type IrFunction,
  LoopAnalysis,
  NONE,
  OPCODE_FLAGS,
  OpFlag,
  Opcode,
  formatInst,
  opcodeName,
  type DataFlowGraph,
  type Signature,
} from '../ir/index.js';
import { BASELINE_CPU_FEATURES, type CpuFeatures } from '../x64/index.js';
import { BlockOrderScratch, computeBlockOrder } from './block-order.js';
import { IselError } from './errors.js';
import { I32Buf, InstStore, IntList, U8Buf, growU8, resolveAlias } from './inst-store.js';
import { matchAddress } from './amode.js';
import { sigLayout, type SigLayout } from './abi-layout.js';
import { lowerIntInst } from './lower-int.js';
import { lowerFloatInst } from './lower-float.js';
import { lowerMemoryInst } from './lower-memory.js';
import { lowerConvertInst } from './lower-convert.js';
import { lowerControlInst, lowerEntryArgs } from './lower-control.js';
import { lowerCallInst } from './lower-call.js';
import { AmKind, MOp } from './mops.js';
import {
  INST_IS_BRANCH,
  OperandConstraint,
  OperandKind,
  OperandPos,
  RegClass,
  defFixed,
  defReg,
  makeOperand,
} from './regalloc-types.js';
import { VCode } from './vcode.js';

export interface LowerOptions {
  /** CPU features generated code may use (default: the x86-64 baseline, SSE2 only; fallbacks cover the rest). */
  readonly cpu?: CpuFeatures;
}

const VB_IR = 0;
const VB_SPLIT = 1;
const VB_PRE_ENTRY = 2;

/** Opcodes whose i32 result is written by a 32-bit operation, so its upper 32 register bits are zero. */
const ZEXT_I32 = new Uint8Array(256);
for (const op of [
  Opcode.iconst, Opcode.iadd, Opcode.isub, Opcode.imul, Opcode.udiv, Opcode.sdiv, Opcode.urem, Opcode.srem,
  Opcode.band, Opcode.bor, Opcode.bxor, Opcode.ishl, Opcode.ushr, Opcode.sshr, Opcode.rotl, Opcode.rotr,
  Opcode.ineg, Opcode.bnot, Opcode.clz, Opcode.ctz, Opcode.popcnt, Opcode.sextend8, Opcode.sextend16,
  Opcode.iadd_imm, Opcode.imul_imm, Opcode.band_imm, Opcode.bor_imm, Opcode.bxor_imm, Opcode.ishl_imm,
  Opcode.ushr_imm, Opcode.sshr_imm, Opcode.rotl_imm, Opcode.rotr_imm, Opcode.icmp, Opcode.icmp_imm, Opcode.fcmp,
  Opcode.fcvt_to_sint, Opcode.fcvt_to_uint, Opcode.fcvt_to_sint_sat, Opcode.fcvt_to_uint_sat, Opcode.bitcast,
  Opcode.select, Opcode.load, Opcode.uload8, Opcode.sload8, Opcode.uload16, Opcode.sload16,
]) {
  ZEXT_I32[op] = 1;
}

export class Lowerer {
  func!: IrFunction;
  dfg!: DataFlowGraph;
  readonly cpu: CpuFeatures;
  /** Staging area: groups of machine instructions, one group per lowered IR instruction. */
  private readonly staging = new InstStore();
  /** The VCode's instructions (reused by the next run: a VCode is valid until its Lowerer lowers again). */
  private readonly final = new InstStore();
  /** Where instructions are being written (the staging area, or the final store for synthesized blocks). */
  out: InstStore = this.staging;

  // ---- per IR value / instruction state (reused buffers, longer than needed: index them, never read .length) ----
  useCount: Int32Array = new Int32Array(0);
  private valueVReg: Int32Array = new Int32Array(0);
  /** 1: absorbed into (or lowered by) another instruction's lowering; skipped here. */
  merged: Uint8Array = new Uint8Array(0);
  /** Number of barrier instructions (effects or traps) before each instruction within its block. */
  private color: Int32Array = new Int32Array(0);
  private readonly bufs = Array.from({ length: 26 }, () => new I32Buf());
  private readonly bytes = Array.from({ length: 4 }, () => new U8Buf());
  private readonly blockParamList = new IntList(64);
  /** Analyses for block ordering, recomputed per function into the same arrays. */
  private readonly cfg = new ControlFlowGraph();
  private readonly domtree = new DominatorTree();
  private readonly loops = new LoopAnalysis();
  private readonly blockOrderScratch = new BlockOrderScratch();
  private readonly branchArgList = new IntList(64);

  // ---- vregs ----
  numVRegs = 0;
  private vregCls: Uint8Array = new Uint8Array(256);
  private vregAliasOf: Int32Array = new Int32Array(256);

  // ---- current position ----
  curInst = NONE;
  curBlock = NONE;

  // ---- address-mode scratch, filled by amode.ts ----
  amKind = 0;
  amBase = -1;
  amIndex = -1;
  amShift = 0;
  amDisp = 0;

  // ---- integer-constant scratch, filled by constOf ----
  cLo = 0;
  cHi = 0;

  // ---- function tables ----
  readonly consts = new IntList(20);
  readonly trapCode = new IntList();
  readonly trapSrcLoc = new IntList();
  readonly trapFuel = new IntList();
  readonly jumpTableBlock = new IntList(4);
  outgoingArgBytes = 0;
  returnAreaBytes = 0;
  hasCalls = false;
  numIrInsts = 0;

  // ---- block plan ----
  private order: Int32Array = new Int32Array(0);
  private numVBlocks = 0;
  private vbKind: Uint8Array = new Uint8Array(0);
  /** IR block (VB_IR), destination IR block (VB_SPLIT), entry IR block (VB_PRE_ENTRY). */
  private vbIr: Int32Array = new Int32Array(0);
  /** VB_SPLIT: the source IR block and destination index of the split edge. */
  private vbSplitFrom: Int32Array = new Int32Array(0);
  private vbSplitDest: Int32Array = new Int32Array(0);
  /** VCode block of each IR block. */
  private irVBlock: Int32Array = new Int32Array(0);
  /** First edge id of each IR block's terminator (edge id = base + destination index); split block or -1 per edge. */
  private irEdgeBase: Int32Array = new Int32Array(0);
  private edgeSplit: Int32Array = new Int32Array(0);
  private preEntry = false;
  private entry = NONE;

  // ---- lowering results per block ----
  private readonly groupStart = new IntList(256);
  private blockGroupFirst: Int32Array = new Int32Array(0);
  private blockGroupEnd: Int32Array = new Int32Array(0);
  // Edges recorded while lowering terminators: source vblock, target vblock, args (vregs) range.
  private readonly edgeSrc = new IntList();
  private readonly edgeDst = new IntList();
  private readonly edgeArgStart = new IntList();
  private readonly edgeArgs = new IntList();

  constructor(options: LowerOptions = {}) {
    this.cpu = options.cpu ?? BASELINE_CPU_FEATURES;
  }

  /** Forgets the previous function and sizes the per-value / per-instruction state for `func`. */
  private reset(func: IrFunction): void {
    this.func = func;
    this.dfg = func.dfg;
    const nv = this.dfg.numValues;
    const ni = this.dfg.numInsts;
    this.useCount = this.bufs[0].array(nv, 0);
    this.valueVReg = this.bufs[1].array(nv, -1);
    this.merged = this.bytes[0].array(ni, 0);
    this.color = this.bufs[2].array(ni);
    this.staging.clear();
    this.final.clear();
    this.out = this.staging;
    this.numVRegs = 0;
    this.curInst = NONE;
    this.curBlock = NONE;
    this.consts.clear();
    this.trapCode.clear();
    this.trapSrcLoc.clear();
    this.trapFuel.clear();
    this.jumpTableBlock.clear();
    this.outgoingArgBytes = 0;
    this.returnAreaBytes = 0;
    this.hasCalls = false;
    this.numIrInsts = 0;
    this.retAreaVReg = -1;
    this.layoutSigs.length = 0;
    this.layoutOfSig.length = 0;
    this.groupStart.clear();
    this.edgeSrc.clear();
    this.edgeDst.clear();
    this.edgeArgStart.clear();
    this.edgeArgs.clear();
  }

  // =================================================================================================================
  // Driver
  // =================================================================================================================

  /** Lowers `func`. The result shares this Lowerer's buffers: it is valid until the next run. */
  run(func: IrFunction): VCode {
    this.reset(func);
    if (func.entryBlock === NONE) throw new IselError(`${func.name}: function has no blocks`);
    const cfg = this.cfg.compute(func);
    const domtree = this.domtree.compute(func, cfg);
    const loops = this.loops.compute(func, cfg, domtree);
    this.order = computeBlockOrder(func, domtree, loops, this.blockOrderScratch);
    this.planBlocks();
    this.countUsesAndColors();
    const rpo = domtree.rpo;
    for (let i = rpo.length - 1; i >= 0; i--) this.lowerBlock(rpo[i]);
    return this.assemble();
  }

  /** Numbers the VCode blocks (IR blocks in order, each followed by its edge-split blocks) and finds critical edges. */
  private planBlocks(): void {
    const dfg = this.dfg;
    const layout = this.func.layout;
    const order = this.order;
    const nb = dfg.numBlocks;
    this.entry = order[0];
    const predEdges = this.bufs[3].array(nb, 0);
    const edgeBase = this.bufs[4].array(nb, -1);
    let numEdges = 0;
    for (let i = 0; i < order.length; i++) {
      const b = order[i];
      const term = layout.lastInst(b);
      if (term === NONE) throw new IselError(`${this.func.name}: block${b} is empty (no terminator)`);
      edgeBase[b] = numEdges;
      const nd = (OPCODE_FLAGS[dfg.opcode(term)] & OpFlag.Branch) !== 0 ? dfg.numDests(term) : 0;
      for (let k = 0; k < nd; k++) predEdges[dfg.destBlock(term, k)]++;
      numEdges += nd;
    }
    this.preEntry = predEdges[this.entry] > 0;
    const edgeSplit = this.bufs[5].array(numEdges, -1);
    const maxVBlocks = order.length + numEdges + 1;
    const vbKind = this.bytes[1].array(maxVBlocks);
    const vbIr = this.bufs[6].array(maxVBlocks);
    const vbSplitFrom = this.bufs[7].array(maxVBlocks);
    const vbSplitDest = this.bufs[8].array(maxVBlocks);
    const irVBlock = this.bufs[9].array(nb, -1);
    let n = 0;
    if (this.preEntry) {
      vbKind[n] = VB_PRE_ENTRY;
      vbIr[n] = this.entry;
      n++;
    }
    for (let i = 0; i < order.length; i++) {
      const b = order[i];
      vbKind[n] = VB_IR;
      vbIr[n] = b;
      irVBlock[b] = n++;
      const term = layout.lastInst(b);
      const nd = (OPCODE_FLAGS[dfg.opcode(term)] & OpFlag.Branch) !== 0 ? dfg.numDests(term) : 0;
      if (nd < 2) continue;
      for (let k = 0; k < nd; k++) {
        const d = dfg.destBlock(term, k);
        if (predEdges[d] > 1 || (d === this.entry && this.preEntry)) {
          edgeSplit[edgeBase[b] + k] = n;
          vbKind[n] = VB_SPLIT;
          vbIr[n] = d;
          vbSplitFrom[n] = b;
          vbSplitDest[n] = k;
          n++;
        }
      }
    }
    this.numVBlocks = n;
    this.vbKind = vbKind;
    this.vbIr = vbIr;
    this.vbSplitFrom = vbSplitFrom;
    this.vbSplitDest = vbSplitDest;
    this.irVBlock = irVBlock;
    this.irEdgeBase = edgeBase;
    this.edgeSplit = edgeSplit;
    this.blockGroupFirst = this.bufs[10].array(nb);
    this.blockGroupEnd = this.bufs[11].array(nb);
  }

  /**
   * Uses of every value by reachable instructions (branch arguments included), and in the same walk each
   * instruction's color: the number of barriers (side effects or possible traps) before it in its block.
   */
  private countUsesAndColors(): void {
    const dfg = this.dfg;
    const layout = this.func.layout;
    const count = this.useCount;
    const color = this.color;
    for (let i = 0; i < this.order.length; i++) {
      let c = 0;
      for (let inst = layout.firstInst(this.order[i]); inst !== NONE; inst = layout.nextInst(inst)) {
        color[inst] = c;
        if (this.isBarrier(inst)) c++;
        const na = dfg.numArgs(inst);
        for (let a = 0; a < na; a++) count[dfg.arg(inst, a)]++;
        const nd = dfg.numDests(inst);
        for (let k = 0; k < nd; k++) {
          // The block call once, not per argument (destArg looks the destination up again each time).
          const bc = dfg.dest(inst, k);
          const n = dfg.blockCallNumArgs(bc);
          for (let a = 0; a < n; a++) count[dfg.blockCallArg(bc, a)]++;
        }
      }
    }
  }

  private lowerBlock(b: number): void {
    const dfg = this.dfg;
    const layout = this.func.layout;
    this.curBlock = b;
    this.blockGroupFirst[b] = this.groupStart.length;
    for (let inst = layout.lastInst(b); inst !== NONE; inst = layout.prevInst(inst)) {
      if (this.merged[inst] === 1) continue;
      if (dfg.isRemovableIfUnused(inst) && this.resultsUnused(inst)) {
        // Dead: release the operands so their definitions may die too.
        const na = dfg.numArgs(inst);
        for (let a = 0; a < na; a++) this.useCount[dfg.arg(inst, a)]--;
        continue;
      }
      this.groupStart.push(this.out.count);
      this.curInst = inst;
      this.numIrInsts++;
      try {
        this.lowerInst(inst);
      } catch (e) {
        throw this.describeError(e, inst);
      }
    }
    if (b === this.entry && !this.preEntry) {
      this.groupStart.push(this.out.count);
      this.curInst = NONE;
      const params: number[] = [];
      for (let i = 0; i < dfg.numBlockParams(b); i++) params.push(this.vreg(dfg.blockParam(b, i)));
      lowerEntryArgs(this, params);
    }
    this.blockGroupEnd[b] = this.groupStart.length;
    this.curInst = NONE;
  }

  private describeError(e: unknown, inst: number): Error {
    if (e instanceof IselError && e.message.startsWith(this.func.name)) return e;
    const msg = e instanceof Error ? e.message : String(e);
    const where = `${this.func.name}: block${this.curBlock}: \`${formatInst(this.dfg, inst)}\``;
    const err = new IselError(`${where}: ${msg}`);
    if (e instanceof Error && !(e instanceof IselError)) err.stack = `${err.stack ?? ''}\ncaused by: ${e.stack ?? ''}`;
    return err;
  }

  private resultsUnused(inst: number): boolean {
    const dfg = this.dfg;
    const n = dfg.numResults(inst);
    for (let i = 0; i < n; i++) if (this.useCount[dfg.result(inst, i)] > 0) return false;
    return true;
  }

  private isBarrier(inst: number): boolean {
    return this.dfg.hasSideEffects(inst) || this.dfg.canTrap(inst);
  }

  private lowerInst(inst: number): void {
    const op = this.dfg.opcode(inst);
    if (lowerIntInst(this, inst, op)) return;
    if (lowerFloatInst(this, inst, op)) return;
    if (lowerConvertInst(this, inst, op)) return;
    if (lowerMemoryInst(this, inst, op)) return;
    if (lowerControlInst(this, inst, op)) return;
    if (lowerCallInst(this, inst, op)) return;
    throw new IselError(`${opcodeName(op)} is not supported by the x86-64 backend yet`);
  }

  // =================================================================================================================
  // Final assembly
  // =================================================================================================================

  private assemble(): VCode {
    const staging = this.staging;
    const final = this.final;
    const nvb = this.numVBlocks;
    // The VCode's arrays are views of buffers reused from function to function (a VCode is valid until the next
    // run): allocating a dozen typed arrays per function cost more than filling them.
    const blockInstStart = this.bufs[16].view(nvb);
    const blockInstEnd = this.bufs[17].view(nvb);
    const blockIrBlock = this.bufs[18].view(nvb, -1);
    const blockCold = this.bytes[3].view(nvb, 0);
    const blockParamStart = this.bufs[19].view(nvb + 1);
    const blockParams = this.blockParamList;
    blockParams.clear();
    const dfg = this.dfg;
    const groups = this.groupStart;
    const totalGroups = groups.length;
    // Vregs are renumbered in order of appearance (block by block: params, then operands; branch arguments last) so
    // printed VCode reads top-down and aliased or unused ids disappear. It is done while copying, block by block.
    // Sized for every vreg the loop below may still create: one per IR value (block params, branch arguments), the
    // pre-entry block's arguments and the return-area pointer.
    const maxVRegs = this.numVRegs + dfg.numValues + dfg.numBlockParams(this.entry) + 1;
    this.renum = this.bufs[15].array(maxVRegs, -1);
    this.numRenumbered = 0;

    for (let vb = 0; vb < nvb; vb++) {
      blockInstStart[vb] = final.count;
      blockParamStart[vb] = blockParams.length;
      const kind = this.vbKind[vb];
      const irb = this.vbIr[vb];
      if (kind === VB_IR) {
        blockIrBlock[vb] = irb;
        if (dfg.isCold(irb) && irb !== this.entry) blockCold[vb] = 1;
        if (irb !== this.entry || this.preEntry) {
          const np = dfg.numBlockParams(irb);
          for (let i = 0; i < np; i++) blockParams.push(this.finalVReg(this.vreg(dfg.blockParam(irb, i))));
        }
        // Each group (one IR instruction's machine instructions) is in forward order; the groups are reversed.
        for (let g = this.blockGroupEnd[irb] - 1; g >= this.blockGroupFirst[irb]; g--) {
          const from = groups.data[g];
          const to = g + 1 < totalGroups ? groups.data[g + 1] : staging.count;
          if (from < to) final.appendRange(staging, from, to);
        }
      } else if (kind === VB_SPLIT) {
        // An edge into or out of a cold block runs only when the cold block does.
        if (dfg.isCold(irb) || dfg.isCold(this.vbSplitFrom[vb])) blockCold[vb] = 1;
        this.emitJmp(final);
        const term = this.func.layout.lastInst(this.vbSplitFrom[vb]);
        const k = this.vbSplitDest[vb];
        this.edgeSrc.push(vb);
        this.edgeDst.push(this.irVBlock[irb]);
        this.edgeArgStart.push(this.edgeArgs.length);
        const n = dfg.numDestArgs(term, k);
        for (let a = 0; a < n; a++) this.edgeArgs.push(this.vreg(dfg.destArg(term, k, a)));
      } else {
        // Pre-entry block: the entry block has predecessors, so incoming arguments are defined here and passed in.
        const args: number[] = [];
        for (let i = 0; i < dfg.numBlockParams(irb); i++) {
          const p = dfg.blockParam(irb, i);
          args.push(this.newVReg(this.classOfType(dfg.valueType(p))));
        }
        const save = this.out;
        this.out = final;
        lowerEntryArgs(this, args);
        this.out = save;
        this.emitJmp(final);
        this.edgeSrc.push(vb);
        this.edgeDst.push(this.irVBlock[irb]);
        this.edgeArgStart.push(this.edgeArgs.length);
        for (const a of args) this.edgeArgs.push(a);
      }
      blockInstEnd[vb] = final.count;
      if (blockInstEnd[vb] === blockInstStart[vb]) {
        throw new IselError(`${this.func.name}: VCode block ${vb} (block${irb}) is empty`);
      }
      this.renumberOperands(final.opStart[blockInstStart[vb]], final.numOperands);
    }
    blockParamStart[nvb] = blockParams.length;
    const params = blockParams.view();

    // Edges: counting sort by source block, keeping per-block recording order (= destination order).
    const ne = this.edgeSrc.length;
    const edgeSrc = this.edgeSrc.data;
    const edgeDst = this.edgeDst.data;
    const succStart = this.bufs[20].view(nvb + 1, 0);
    for (let e = 0; e < ne; e++) succStart[edgeSrc[e] + 1]++;
    for (let b = 0; b < nvb; b++) succStart[b + 1] += succStart[b];
    const fill = this.bufs[12].array(nvb);
    for (let b = 0; b < nvb; b++) fill[b] = succStart[b];
    const succs = this.bufs[21].view(ne);
    const edgeAt = this.bufs[13].array(ne);
    for (let e = 0; e < ne; e++) {
      const slot = fill[edgeSrc[e]]++;
      succs[slot] = edgeDst[e];
      edgeAt[slot] = e;
    }
    const branchArgStart = this.bufs[22].view(ne + 1);
    const branchArgs = this.branchArgList;
    branchArgs.clear();
    const edgeArgStart = this.edgeArgStart.data;
    const edgeArgs = this.edgeArgs.data;
    for (let s = 0; s < ne; s++) {
      branchArgStart[s] = branchArgs.length;
      const e = edgeAt[s];
      const from = edgeArgStart[e];
      const to = e + 1 < ne ? edgeArgStart[e + 1] : this.edgeArgs.length;
      for (let k = from; k < to; k++) branchArgs.push(edgeArgs[k]);
    }
    branchArgStart[ne] = branchArgs.length;
    const predStart = this.bufs[23].view(nvb + 1, 0);
    for (let s = 0; s < ne; s++) predStart[succs[s] + 1]++;
    for (let b = 0; b < nvb; b++) predStart[b + 1] += predStart[b];
    const pfill = this.bufs[14].array(nvb);
    for (let b = 0; b < nvb; b++) pfill[b] = predStart[b];
    const preds = this.bufs[24].view(ne);
    for (let b = 0; b < nvb; b++) {
      for (let s = succStart[b]; s < succStart[b + 1]; s++) preds[pfill[succs[s]]++] = b;
    }

    const args = branchArgs.view();
    for (let k = 0; k < args.length; k++) args[k] = this.finalVReg(args[k]);
    const nv = this.numRenumbered;
    const renum = this.renum;
    const vregClass = this.bytes[2].view(nv);
    for (let x = 0; x < this.numVRegs; x++) if (renum[x] >= 0) vregClass[renum[x]] = this.vregCls[x];
    const rematInst = this.bufs[25].view(nv, -1);
    const finalOp = final.op;
    for (let i = 0; i < final.count; i++) {
      const op = finalOp[i];
      if (op === MOp.MovImm || op === MOp.XmmConst) rematInst[final.operands[final.opStart[i]] & 0xfffff] = i;
    }

    return new VCode(
      this.func,
      final,
      nvb,
      nv,
      vregClass,
      blockInstStart,
      blockInstEnd,
      succStart,
      succs,
      predStart,
      preds,
      blockParamStart,
      params,
      branchArgStart,
      args,
      rematInst,
      blockIrBlock,
      blockCold,
      this.consts.view(),
      {
        count: this.trapCode.length,
        code: this.trapCode.view(),
        srcLoc: this.trapSrcLoc.view(),
        fuel: this.trapFuel.view(),
      },
      this.jumpTableBlock.view(),
      this.outgoingArgBytes,
      this.returnAreaBytes,
      this.hasCalls,
      this.numIrInsts,
    );
  }

  /** Final id of vreg `x`: its alias target, numbered on first sight (see assemble). */
  private finalVReg(x: number): number {
    const alias = this.vregAliasOf;
    if (alias[x] >= 0) x = resolveAlias(alias, x);
    const renum = this.renum;
    let r = renum[x];
    if (r < 0) {
      r = this.numRenumbered++;
      renum[x] = r;
    }
    return r;
  }

  /** Rewrites the vregs of final operands [from, to) to their final ids. */
  private renumberOperands(from: number, to: number): void {
    const ops = this.final.operands;
    const alias = this.vregAliasOf;
    const renum = this.renum;
    for (let j = from; j < to; j++) {
      const op = ops[j];
      let x = op & 0xfffff;
      if (alias[x] >= 0) x = resolveAlias(alias, x);
      let r = renum[x];
      if (r < 0) {
        r = this.numRenumbered++;
        renum[x] = r;
      }
      ops[j] = (op & ~0xfffff) | r;
    }
  }

  /** assemble's vreg renumbering: final id per vreg (-1: not seen yet), and the number of ids given. */
  private renum: Int32Array = new Int32Array(0);
  private numRenumbered = 0;

  private emitJmp(store: InstStore): void {
    store.begin(MOp.Jmp, 0, 0, -1);
    store.flags[store.count] = INST_IS_BRANCH;
    store.end();
  }

  // =================================================================================================================
  // Helpers for the lowering rules
  // =================================================================================================================

  classOfType(t: number): RegClass {
    return t === F32 || t === F64 ? RegClass.Float : RegClass.Int;
  }

  newVReg(cls: RegClass): number {
    const v = this.numVRegs;
    if (v === this.vregCls.length) {
      this.vregCls = growU8(this.vregCls, v * 2);
      const a = new Int32Array(v * 2).fill(-1);
      a.set(this.vregAliasOf);
      this.vregAliasOf = a;
    }
    this.vregCls[v] = cls;
    this.vregAliasOf[v] = -1;
    this.numVRegs = v + 1;
    return v;
  }

  /** The vreg holding IR value `v` (created on first request). */
  vreg(v: number): number {
    v = this.dfg.resolve(v);
    let r = this.valueVReg[v];
    if (r < 0) {
      r = this.newVReg(this.classOfType(this.dfg.valueType(v)));
      this.valueVReg[v] = r;
    }
    return r;
  }

  /** vreg of result `i` of the current instruction. */
  result(i = 0): number {
    return this.vreg(this.dfg.result(this.curInst, i));
  }

  /** Makes `v` share the register of `target` (a no-op conversion such as ireduce). */
  aliasValue(v: number, target: number): void {
    const from = this.vreg(v);
    const to = resolveAlias(this.vregAliasOf, this.vreg(target));
    if (from !== to) this.vregAliasOf[from] = to;
  }

  /** Forgets one use of `v` (the current instruction folded it instead of reading its register). */
  consume(v: number): void {
    this.useCount[this.dfg.resolve(v)]--;
  }

  /**
   * For commutative two-address forms (d reuses the first operand's register): true when `a` has no other use but
   * `b` has, so `a` should be the reused operand — the register of a dying value is overwritten and the value that
   * lives on needs no copy (`xor a, b` instead of `mov t, b; xor t, a`).
   */
  diesHereButNot(a: number, b: number): boolean {
    const count = this.useCount;
    return count[this.dfg.resolve(a)] === 1 && count[this.dfg.resolve(b)] > 1;
  }

  /** Defining instruction of `v`, or NONE for a block parameter. */
  defOf(v: number): number {
    return this.dfg.valueInst(v);
  }

  /** True when `v` is an iconst; its bits are left in cLo/cHi. */
  constOf(v: number): boolean {
    const d = this.dfg.valueInst(v);
    if (d === NONE || this.dfg.opcode(d) !== Opcode.iconst) return false;
    this.cLo = this.dfg.immLo(d);
    this.cHi = this.dfg.immHi(d);
    return true;
  }

  /** True when `v` is an iconst usable as an imm32 of an operation of `size` bytes (value in cLo). */
  immOf(v: number, size: number): boolean {
    if (!this.constOf(v)) return false;
    return size === 4 || this.cHi === this.cLo >> 31;
  }

  /** True when `v` is an i32 whose register has bits 32..63 clear (it was written by a 32-bit operation). */
  knownZeroExtended(v: number): boolean {
    const d = this.dfg.valueInst(v);
    return d !== NONE && this.dfg.valueType(v) === I32 && ZEXT_I32[this.dfg.opcode(d)] === 1;
  }

  /** True when `inst` is in the block being lowered. */
  inCurrentBlock(inst: number): boolean {
    return this.func.layout.instBlock(inst) === this.curBlock;
  }

  /** True when no barrier lies strictly between `from` and `to` (both in the current block, from before to). */
  noBarrierBetween(from: number, to: number): boolean {
    return this.color[to] - this.color[from] - (this.isBarrier(from) ? 1 : 0) === 0;
  }

  /**
   * If `v` is the single use of a full-width `load` of type `type` in this block with no barrier between it and the
   * current instruction, absorbs it and leaves its address in the am* fields (for a load-op / compare-with-memory).
   */
  tryMergeLoad(v: number, type: number): boolean {
    const d = this.dfg.valueInst(v);
    if (d === NONE || this.dfg.opcode(d) !== Opcode.load || this.dfg.instType(d) !== type) return false;
    if (this.useCount[this.dfg.resolve(v)] !== 1 || !this.inCurrentBlock(d)) return false;
    if (!this.noBarrierBetween(d, this.curInst)) return false;
    this.consume(v);
    this.merged[d] = 1;
    matchAddress(this, this.dfg.arg(d, 0), this.dfg.offset(d));
    return true;
  }

  /** Absorbs the single-use definition `def` of `v` (the caller takes over its operands). */
  absorb(v: number, def: number): void {
    this.consume(v);
    this.merged[def] = 1;
  }

  /** A trap site for trap `code` at IR instruction `inst` (its source location and pending fuel). */
  trapSite(code: number, inst: number = this.curInst): number {
    const n = this.trapCode.length;
    this.trapCode.push(code);
    this.trapSrcLoc.push(inst === NONE ? -1 : this.dfg.srcLoc(inst));
    this.trapFuel.push(inst === NONE ? 0 : this.dfg.trapFuel(inst));
    return n;
  }

  /** Index of a constant for AmKind.Const operands. */
  constant(width: number, w0: number, w1 = 0, w2 = 0, w3 = 0): number {
    const c = this.consts;
    c.push(width);
    c.push(w0);
    c.push(w1);
    c.push(w2);
    c.push(w3);
    return c.length / 5 - 1;
  }

  /** VCode target block of destination `k` of the current (terminator) instruction, recording the edge. */
  edge(k: number): void {
    const b = this.curBlock;
    const e = this.irEdgeBase[b] + k;
    const split = this.edgeSplit[e];
    const src = this.irVBlock[b];
    this.edgeSrc.push(src);
    this.edgeArgStart.push(this.edgeArgs.length);
    if (split >= 0) {
      this.edgeDst.push(split);
      return;
    }
    const term = this.curInst;
    this.edgeDst.push(this.irVBlock[this.dfg.destBlock(term, k)]);
    const bc = this.dfg.dest(term, k);
    const n = this.dfg.blockCallNumArgs(bc);
    for (let a = 0; a < n; a++) this.edgeArgs.push(this.vreg(this.dfg.blockCallArg(bc, a)));
  }

  private retAreaVReg = -1;

  // Signature layouts already looked up during this run, by Signature object: sigLayout's shared cache compares
  // signatures structurally, and a function asks again for every call and return. Cleared per run (signatures are
  // mutable IR objects, so identity is trusted only while one function is lowered).
  private readonly layoutSigs: Signature[] = [];
  private readonly layoutOfSig: SigLayout[] = [];

  /** sigLayout(sig), remembered for this run. */
  sigLayoutOf(sig: Signature): SigLayout {
    const sigs = this.layoutSigs;
    for (let i = 0; i < sigs.length; i++) if (sigs[i] === sig) return this.layoutOfSig[i];
    const layout = sigLayout(sig);
    if (sigs.length < 8) {
      sigs.push(sig);
      this.layoutOfSig.push(layout);
    }
    return layout;
  }

  /** The vreg holding this function's incoming return-area pointer (defined by the entry's Args). */
  returnAreaVReg(): number {
    if (this.retAreaVReg < 0) this.retAreaVReg = this.newVReg(RegClass.Int);
    return this.retAreaVReg;
  }

  /** VCode block of the block being lowered. */
  currentVBlock(): number {
    return this.irVBlock[this.curBlock];
  }

  // ---- instruction construction ----

  /** Starts a machine instruction of the current group. */
  begin(op: number, size: number, sub = 0): number {
    return this.out.begin(op, size, sub, this.curInst);
  }

  use(packed: number): void {
    this.out.operand(packed);
  }

  /** Appends the address in the am* fields as the current instruction's memory operand. */
  useAmode(): void {
    const out = this.out;
    const i = out.count;
    out.amKind[i] = this.amKind;
    out.amShift[i] = this.amShift;
    out.amDisp[i] = this.amDisp;
    if (this.amKind === AmKind.Base || this.amKind === AmKind.BaseIndex) out.operand(useRegOp(this.amBase));
    if (this.amKind === AmKind.BaseIndex || this.amKind === AmKind.Index) out.operand(useRegOp(this.amIndex));
  }

  /** Sets the current address to a constant-pool entry. */
  amodeConst(index: number): void {
    this.amKind = AmKind.Const;
    this.amDisp = index;
  }

  end(flags = 0, clobbers = 0): void {
    const out = this.out;
    out.flags[out.count] = flags;
    out.clobbers[out.count] = clobbers;
    out.end();
  }

  setImm(lo: number, hi = lo >> 31): void {
    this.out.imm[this.out.count] = lo;
    this.out.immHi[this.out.count] = hi;
  }

  setAux(aux: number): void {
    this.out.aux[this.out.count] = aux;
  }

  // ---- common instruction shapes ----

  /** d = imm (size 4|8). */
  movImm(d: number, size: number, lo: number, hi: number): void {
    this.begin(MOp.MovImm, size);
    this.use(defReg(d));
    this.setImm(lo, size === 4 ? lo >> 31 : hi);
    this.end();
  }

  /** d = s (copy, size 4 zero-extends). */
  mov(d: number, s: number, size: number): void {
    this.begin(MOp.Mov, size);
    this.use(makeOperand(s, OperandKind.Use, OperandPos.Early, OperandConstraint.Any));
    this.use(defReg(d));
    this.end();
  }

  /** A vreg holding integer constant (lo, hi), materialised here. */
  intConstVReg(lo: number, hi: number, size: number): number {
    const t = this.newVReg(RegClass.Int);
    this.movImm(t, size, lo, hi);
    return t;
  }

  /** Size in bytes of an integer IR type. */
  intSize(t: number): 4 | 8 {
    return t === I64 ? 8 : 4;
  }

  fixedDef(v: number, preg: number): number {
    return defFixed(v, preg);
  }

  formatOf(inst: number): number {
    return this.dfg.format(inst);
  }
}

function useRegOp(v: number): number {
  return makeOperand(v, OperandKind.Use, OperandPos.Early, OperandConstraint.Reg);
}

/** Lowers an IR function to VCode. Throws IselError on unsupported input. */
export function lowerFunction(func: IrFunction, options: LowerOptions = {}): VCode {
  return new Lowerer(options).run(func);
}
