/**
 * Loop-invariant code motion: moves computations whose inputs do not change in a loop into the loop's
 * preheader, so they run once per loop entry instead of once per iteration.
 *
 * An instruction is hoisted out of loop L when
 * - it can be executed speculatively: no side effects, cannot trap (so `udiv`, trapping conversions and loads
 *   without `notrap` stay where they are: they might not run at all in the original program), one result, and
 *   not `get_pinned_reg`;
 * - a load additionally reads memory L cannot change and that is valid to read anywhere: `readonly` loads always
 *   (VMContext fields such as the heap base), other `notrap` loads of the vmctx region when no store in L may write
 *   it and L makes no call (memory-state.ts categories). Heap and table loads never move: their `notrap` means
 *   "guarded by an explicit bounds check", and the preheader is not guarded;
 * - each operand is defined outside L or by an instruction already found invariant in L.
 *
 * Loops are processed innermost first, so a computation can climb out of several levels: what leaves an inner
 * loop lands in its preheader, which belongs to the outer loop and is examined with it. A loop whose header has
 * several predecessors outside the loop (or one that does not simply jump to it) gets a new preheader block, but
 * only when something will be hoisted.
 */
import type { ControlFlowGraph } from '../cfg.js';
import type { DataFlowGraph } from '../dfg.js';
import { ValueKind } from '../dfg.js';
import type { DominatorTree } from '../dominators.js';
import type { IrFunction } from '../function.js';
import { NONE, type Block, type Inst } from '../ids.js';
import { LoopAnalysis } from '../loops.js';
import { MemFlag } from '../memflags.js';
import { OPCODE_FLAGS, OpFlag, Opcode } from '../opcodes.js';
import { freshAnalyses, type CfgAnalyses } from './cfg-analyses.js';
import { clobberedCategories, MemCategory, memCategory } from './memory-state.js';

/** Result of one LICM run. */
export interface LicmStats {
  /** Instruction moves (an instruction leaving two loop levels counts twice). */
  hoisted: number;
  /** Preheader blocks created. */
  preheaders: number;
}

/**
 * Runs LICM over `func`. `analyses` (the pipeline's) supplies the CFG and dominator tree; when preheaders are
 * created they are recomputed, so they are valid for `func` again when LICM returns (hoisting moves no branch).
 */
export function hoistLoopInvariants(func: IrFunction, analyses: CfgAnalyses = freshAnalyses()): LicmStats {
  return sharedLicm.run(func, analyses);
}

/** One LICM object for every run (passes run synchronously): its grow-only arrays are reused per function. */
class Licm {
  private func!: IrFunction;
  private dfg!: DataFlowGraph;
  private analyses!: CfgAnalyses;
  private cfg!: ControlFlowGraph;
  private domtree!: DominatorTree;
  private readonly loops = new LoopAnalysis();
  /**
   * Blocks of each loop (nested loops included) in reverse postorder, in CSR form: loop l's blocks are
   * `loopBlockList[loopBlockStart[l] .. loopBlockStart[l + 1])`.
   */
  private loopBlockStart = new Int32Array(1);
  private loopBlockList = new Int32Array(0);
  /** Scratch: block count, then fill cursor, per loop. */
  private loopFill = new Int32Array(0);
  /** Categories of memory each loop may write (bit mask over MemCategory). */
  private clobbers = new Int32Array(0);
  /** invariantIn[inst] = the loop `inst` was last found invariant in (NONE = none). */
  private invariantIn = new Int32Array(0);

  run(func: IrFunction, analyses: CfgAnalyses): LicmStats {
    this.func = func;
    this.dfg = func.dfg;
    this.analyses = analyses;
    const stats: LicmStats = { hoisted: 0, preheaders: 0 };
    if (func.layout.firstBlock === NONE) return stats;
    this.analyze();
    const nLoops = this.loops.numLoops;
    if (nLoops === 0) return stats;
    // Phase 1: preheaders for the loops that lack one and will hoist something (found without moving anything).
    // A loop that has a preheader is not scanned here: a scan's marks (invariantIn = this loop) only matter to
    // the same loop's scan, and phase 2 starts from cleared marks. For the same reason the scan can stop at the
    // first invariant it finds.
    let created = 0;
    for (let loop = nLoops - 1; loop >= 0; loop--) {
      if (this.preheaderOf(loop) === NONE && this.scan(loop, NONE, true) > 0) {
        this.createPreheader(loop);
        created++;
      }
    }
    if (created > 0) {
      stats.preheaders = created;
      analyses.invalidate();
      this.analyze();
    } else {
      this.invariantIn.fill(NONE, 0, this.dfg.numInsts);
    }
    // Phase 2: hoist, innermost loops first (loop ids number outer loops before the loops they contain).
    for (let loop = this.loops.numLoops - 1; loop >= 0; loop--) {
      const pre = this.preheaderOf(loop);
      if (pre !== NONE) stats.hoisted += this.scan(loop, func.layout.lastInst(pre));
    }
    return stats;
  }

  private analyze(): void {
    const func = this.func;
    const dfg = this.dfg;
    const layout = func.layout;
    const { cfg, domtree } = this.analyses.get(func);
    this.cfg = cfg;
    this.domtree = domtree;
    const loops = this.loops.compute(func, cfg, domtree);
    const n = loops.numLoops;
    const ni = dfg.numInsts;
    if (this.invariantIn.length < ni) this.invariantIn = new Int32Array(Math.max(ni, this.invariantIn.length * 2));
    this.invariantIn.fill(NONE, 0, ni);
    if (n === 0) return;
    if (this.loopFill.length < n + 1) {
      const cap = Math.max(n + 1, this.loopFill.length * 2);
      this.loopFill = new Int32Array(cap);
      this.loopBlockStart = new Int32Array(cap);
      this.clobbers = new Int32Array(cap);
    }
    const count = this.loopFill;
    count.fill(0, 0, n + 1);
    const clobbers = this.clobbers;
    clobbers.fill(0, 0, n);
    const rpo = domtree.rpo;
    // Pass 1: per loop, the number of blocks and the categories written.
    let total = 0;
    for (let i = 0; i < rpo.length; i++) {
      const b = rpo[i]!;
      const inner = loops.loopOf(b);
      if (inner === NONE) continue;
      let mask = 0;
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        mask |= clobberedCategories(dfg, inst);
      }
      for (let l = inner; l !== NONE; l = loops.parent(l)) {
        count[l]++;
        clobbers[l] |= mask;
        total++;
      }
    }
    // Pass 2: each loop's blocks, in reverse postorder.
    const start = this.loopBlockStart;
    start[0] = 0;
    for (let l = 0; l < n; l++) start[l + 1] = start[l]! + count[l]!;
    if (this.loopBlockList.length < total) this.loopBlockList = new Int32Array(Math.max(total, this.loopBlockList.length * 2));
    const list = this.loopBlockList;
    const fill = count;
    for (let l = 0; l < n; l++) fill[l] = start[l]!;
    for (let i = 0; i < rpo.length; i++) {
      const b = rpo[i]!;
      for (let l = loops.loopOf(b); l !== NONE; l = loops.parent(l)) list[fill[l]!++] = b;
    }
  }

  /**
   * The block that is the loop header's only predecessor outside the loop and ends in a plain jump to the
   * header, or NONE.
   */
  private preheaderOf(loop: number): Block {
    const h = this.loops.header(loop);
    const cfg = this.cfg;
    let pre = NONE;
    const np = cfg.numPreds(h);
    for (let j = 0; j < np; j++) {
      const p = cfg.pred(h, j);
      // Unreachable predecessors (kept in the layout) never run, so they do not need the preheader.
      if (this.loops.contains(loop, p) || !this.domtree.isReachable(p)) continue;
      if (pre !== NONE) return NONE;
      pre = p;
    }
    if (pre === NONE) return NONE;
    const term = this.func.layout.lastInst(pre);
    return this.dfg.opcode(term) === Opcode.jump ? pre : NONE;
  }

  /** Makes a new block that takes the header's parameters and jumps to it; outside branches go through it. */
  private createPreheader(loop: number): void {
    const dfg = this.dfg;
    const layout = this.func.layout;
    const h = this.loops.header(loop);
    const pre = dfg.makeBlock();
    const np = dfg.numBlockParams(h);
    const args: number[] = [];
    for (let i = 0; i < np; i++) args.push(dfg.appendBlockParam(pre, dfg.valueType(dfg.blockParam(h, i))));
    layout.insertBlockBefore(pre, h);
    const jump = dfg.makeInst(Opcode.jump, 0);
    dfg.setJumpDest(jump, dfg.makeBlockCall(h, args));
    layout.appendInst(jump, pre);
    const cfg = this.cfg;
    const npred = cfg.numPreds(h);
    for (let j = 0; j < npred; j++) {
      const p = cfg.pred(h, j);
      if (this.loops.contains(loop, p)) continue;
      const term = layout.lastInst(p);
      const nd = dfg.numDests(term);
      for (let k = 0; k < nd; k++) if (dfg.destBlock(term, k) === h) dfg.setDestBlock(term, k, pre);
    }
  }

  /**
   * Finds the instructions of `loop` that are invariant in it, in reverse postorder (operands first). With
   * `before` !== NONE each one moves to just before that instruction (the preheader's jump). Returns the count
   * (with `firstOnly`, 1 as soon as one is found).
   */
  private scan(loop: number, before: Inst, firstOnly = false): number {
    const dfg = this.dfg;
    const layout = this.func.layout;
    const list = this.loopBlockList;
    const end = this.loopBlockStart[loop + 1]!;
    const clobbers = this.clobbers[loop]!;
    let count = 0;
    for (let i = this.loopBlockStart[loop]!; i < end; i++) {
      for (let inst = layout.firstInst(list[i]!); inst !== NONE;) {
        const next = layout.nextInst(inst);
        if (this.isHoistable(inst, clobbers) && this.operandsInvariant(inst, loop)) {
          this.invariantIn[inst] = loop;
          if (firstOnly) return 1;
          count++;
          if (before !== NONE) layout.moveInstBefore(inst, before);
        }
        inst = next;
      }
    }
    return count;
  }

  private isHoistable(inst: Inst, loopClobbers: number): boolean {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    const flags = OPCODE_FLAGS[op]!;
    if (flags & (OpFlag.SideEffects | OpFlag.Terminator)) return false;
    if (op === Opcode.get_pinned_reg || dfg.canTrap(inst) || dfg.numResults(inst) !== 1) return false;
    if ((flags & OpFlag.Load) === 0) return true;
    const memFlags = dfg.memFlags(inst);
    if (memFlags & MemFlag.readonly) return true;
    // Only runtime structures (VMContext and what it points to) are always mapped. A `notrap` heap or table load is
    // `notrap` because an explicit bounds check guards it; hoisting it above that check would read out of bounds.
    const category = memCategory(memFlags);
    if (category !== MemCategory.vmctx) return false;
    return (loopClobbers & (1 << category)) === 0;
  }

  private operandsInvariant(inst: Inst, loop: number): boolean {
    const dfg = this.dfg;
    const layout = this.func.layout;
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) {
      const v = dfg.arg(inst, i);
      let defBlock: Block;
      if (dfg.valueKind(v) === ValueKind.Param) defBlock = dfg.valueDef(v);
      else {
        const def = dfg.valueDef(v);
        if (this.invariantIn[def] === loop) continue;
        defBlock = layout.instBlock(def);
      }
      if (this.loops.contains(loop, defBlock)) return false;
    }
    return true;
  }
}

const sharedLicm = new Licm();
