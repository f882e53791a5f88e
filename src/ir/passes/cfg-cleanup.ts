/**
 * CFG cleanup, repeated until nothing changes:
 * 1. Trivial branches become jumps: `brif` on a constant or with two equal destinations (same block, same
 *    arguments), `br_table` on a constant index or whose destinations are all equal.
 * 2. Blocks no path from the entry reaches are removed.
 * 3. Jump threading through forwarding blocks: a non-entry block that holds only `jump C(args)` is bypassed:
 *    every branch to it goes straight to C, with the block's parameters replaced by the values passed to them.
 *    Only when those parameters are used nowhere else (a block it dominates may use them directly).
 * 4. Straight-line merging: a block whose only predecessor reaches it by a plain `jump` is appended to that
 *    predecessor; its parameters become aliases of the jump's arguments.
 */
import { ControlFlowGraph } from '../cfg.js';
import type { DataFlowGraph } from '../dfg.js';
import { ValueKind } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE, type Block, type Inst, type Value } from '../ids.js';
import type { Layout } from '../layout.js';
import { Opcode } from '../opcodes.js';
import { removeUnreachableBlocks } from './unreachable.js';

/** Result of one cleanup run. */
export interface CfgCleanupStats {
  /** brif / br_table turned into jumps. */
  branches: number;
  /** Unreachable blocks removed. */
  unreachable: number;
  /** Branch edges redirected past a forwarding block. */
  threaded: number;
  /** Blocks merged into their predecessor. */
  merged: number;
}

/** Rounds of the whole cleanup (each round is linear; typical functions settle in two or three). */
const MAX_ROUNDS = 16;

export function cleanupCfg(func: IrFunction): CfgCleanupStats {
  return new CfgCleanup(func).run();
}

class CfgCleanup {
  private readonly dfg: DataFlowGraph;
  private readonly layout: Layout;
  private readonly cfg = new ControlFlowGraph();
  readonly stats: CfgCleanupStats = { branches: 0, unreachable: 0, threaded: 0, merged: 0 };
  /** Per value: number of uses (operands and branch arguments) when the round started. */
  private useCount = new Int32Array(0);
  /** Per block: its terminator was rewritten in this round. */
  private touched = new Uint8Array(0);
  private readonly argBuf: Value[] = [];

  constructor(private readonly func: IrFunction) {
    this.dfg = func.dfg;
    this.layout = func.layout;
  }

  run(): CfgCleanupStats {
    if (this.layout.firstBlock === NONE) return this.stats;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let changed = this.simplifyBranches();
      const removed = removeUnreachableBlocks(this.func);
      this.stats.unreachable += removed;
      if (removed > 0) changed = true;
      this.cfg.compute(this.func);
      if (this.threadJumps()) {
        changed = true;
        continue; // merging needs a fresh CFG
      }
      if (this.mergeBlocks()) changed = true;
      if (!changed) break;
    }
    return this.stats;
  }

  // -------------------------------------------------------------------------------------------------------
  // 1. Trivial branches
  // -------------------------------------------------------------------------------------------------------

  private simplifyBranches(): boolean {
    const { dfg, layout } = this;
    let changed = false;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      const term = layout.lastInst(b);
      if (term === NONE) continue;
      const op = dfg.opcode(term);
      let keep = -1; // destination index to keep as a jump
      if (op === Opcode.brif) {
        const c = this.constantOf(dfg.arg(term, 0));
        if (c !== NONE) keep = dfg.immLo(c) !== 0 || dfg.immHi(c) !== 0 ? 0 : 1;
        else if (this.sameCall(term, 0, 1)) keep = 0;
      } else if (op === Opcode.br_table) {
        const nd = dfg.numDests(term);
        const c = this.constantOf(dfg.arg(term, 0));
        if (c !== NONE) {
          const index = dfg.immLo(c) >>> 0;
          keep = index < nd - 1 ? index + 1 : 0;
        } else {
          keep = 0;
          for (let k = 1; k < nd && keep === 0; k++) if (!this.sameCall(term, 0, k)) keep = -1;
        }
      }
      if (keep >= 0) {
        this.toJump(term, keep);
        this.stats.branches++;
        changed = true;
      }
    }
    return changed;
  }

  private constantOf(v: Value): Inst {
    const i = this.dfg.valueInst(v);
    return i !== NONE && this.dfg.opcode(i) === Opcode.iconst ? i : NONE;
  }

  /** True when destinations `j` and `k` of `inst` are the same block with the same arguments. */
  private sameCall(inst: Inst, j: number, k: number): boolean {
    const dfg = this.dfg;
    if (dfg.destBlock(inst, j) !== dfg.destBlock(inst, k)) return false;
    const n = dfg.numDestArgs(inst, j);
    if (n !== dfg.numDestArgs(inst, k)) return false;
    for (let i = 0; i < n; i++) if (dfg.destArg(inst, j, i) !== dfg.destArg(inst, k, i)) return false;
    return true;
  }

  /** Turns a brif/br_table into `jump` to its destination `keep` (same block call, arguments and all). */
  private toJump(term: Inst, keep: number): void {
    const dfg = this.dfg;
    const nd = dfg.numDests(term);
    const kept = dfg.dest(term, keep);
    for (let k = 0; k < nd; k++) if (k !== keep) dfg.pool.free(dfg.dest(term, k));
    dfg.replaceOpcode(term, Opcode.jump, dfg.instType(term));
    dfg.setJumpDest(term, kept);
  }

  // -------------------------------------------------------------------------------------------------------
  // 3. Jump threading
  // -------------------------------------------------------------------------------------------------------

  private countUses(): void {
    const { dfg, layout } = this;
    const nv = dfg.numValues;
    if (this.useCount.length < nv) this.useCount = new Int32Array(nv);
    else this.useCount.fill(0, 0, nv);
    const uses = this.useCount;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        const n = dfg.numArgs(inst);
        for (let i = 0; i < n; i++) uses[dfg.arg(inst, i)]++;
        const nd = dfg.numDests(inst);
        for (let k = 0; k < nd; k++) {
          const na = dfg.numDestArgs(inst, k);
          for (let i = 0; i < na; i++) uses[dfg.destArg(inst, k, i)]++;
        }
      }
    }
  }

  /** A block whose single instruction is `jump C(...)` with C another block, whose parameters are used only
   * by that jump: returns the jump, else NONE. */
  private forwardingJump(b: Block): Inst {
    const { dfg, layout } = this;
    const term = layout.firstInst(b);
    if (term === NONE || layout.nextInst(term) !== NONE || dfg.opcode(term) !== Opcode.jump) return NONE;
    if (b === layout.firstBlock || dfg.destBlock(term, 0) === b) return NONE;
    const np = dfg.numBlockParams(b);
    const na = dfg.numDestArgs(term, 0);
    for (let i = 0; i < np; i++) {
      const p = dfg.blockParam(b, i);
      let inJump = 0;
      for (let j = 0; j < na; j++) if (dfg.destArg(term, 0, j) === p) inJump++;
      if (this.useCount[p] !== inJump) return NONE;
    }
    return term;
  }

  private threadJumps(): boolean {
    const { dfg, layout, cfg } = this;
    this.countUses();
    const nb = dfg.numBlocks;
    if (this.touched.length < nb) this.touched = new Uint8Array(nb);
    else this.touched.fill(0, 0, nb);
    let changed = false;
    const args = this.argBuf;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      if (this.touched[b] === 1) continue; // its jump changed this round: the use counts no longer describe it
      const fwd = this.forwardingJump(b);
      if (fwd === NONE) continue;
      const target = dfg.destBlock(fwd, 0);
      const na = dfg.numDestArgs(fwd, 0);
      const np = cfg.numPreds(b);
      for (let j = 0; j < np; j++) {
        const pred = cfg.pred(b, j);
        const term = layout.lastInst(pred);
        const nd = dfg.numDests(term);
        for (let k = 0; k < nd; k++) {
          if (dfg.destBlock(term, k) !== b) continue;
          // target(args of fwd, with b's parameters replaced by what this edge passes).
          args.length = 0;
          for (let i = 0; i < na; i++) {
            const a = dfg.destArg(fwd, 0, i);
            args.push(dfg.valueKind(a) === ValueKind.Param && dfg.valueDef(a) === b
              ? dfg.destArg(term, k, dfg.valueNum(a))
              : a);
          }
          dfg.setDestCall(term, k, target, args);
          this.touched[pred] = 1;
          this.stats.threaded++;
          changed = true;
        }
      }
    }
    return changed;
  }

  // -------------------------------------------------------------------------------------------------------
  // 4. Merging straight-line blocks
  // -------------------------------------------------------------------------------------------------------

  private mergeBlocks(): boolean {
    const { dfg, layout, cfg } = this;
    const entry = layout.firstBlock;
    let changed = false;
    for (let a = entry; a !== NONE; a = layout.nextBlock(a)) {
      // Predecessor counts stay valid while merging: merging only renames a predecessor (b's successors now
      // see a), it never adds or removes an edge elsewhere.
      for (;;) {
        const term = layout.lastInst(a);
        if (term === NONE || dfg.opcode(term) !== Opcode.jump) break;
        const b = dfg.destBlock(term, 0);
        if (b === a || b === entry || cfg.numPreds(b) !== 1) break;
        this.merge(a, term, b);
        this.stats.merged++;
        changed = true;
      }
    }
    return changed;
  }

  /** Appends block `b` to block `a`, whose terminator `jump` is b's only incoming edge. */
  private merge(a: Block, jump: Inst, b: Block): void {
    const { dfg, layout } = this;
    const np = dfg.numBlockParams(b);
    const args = this.argBuf;
    args.length = 0;
    for (let i = 0; i < np; i++) args.push(dfg.destArg(jump, 0, i));
    for (let i = np - 1; i >= 0; i--) {
      const p = dfg.blockParam(b, i);
      dfg.removeBlockParam(b, i);
      dfg.changeToAlias(p, args[i]!);
    }
    layout.removeInst(jump);
    for (let inst = layout.firstInst(b); inst !== NONE;) {
      const next = layout.nextInst(inst);
      layout.moveInstToEnd(inst, a);
      inst = next;
    }
    layout.removeBlock(b);
  }
}
