/**
 * CFG cleanup, repeated until nothing changes:
 * 1. Trivial branches become jumps: `brif` on a constant or with two equal destinations (same block, same
 *    arguments), `br_table` on a constant index or whose destinations are all equal.
 * 2. Blocks no path from the entry reaches are removed.
 * 3. Jump threading through forwarding blocks: a non-entry block that holds only `jump C(args)`, where C has
 *    other predecessors too and the block's parameters are used by that jump alone, is bypassed: every branch
 *    to it goes straight to C, with the block's parameters replaced by the values passed to them.
 * 4. Straight-line merging: a block whose only predecessor reaches it by a plain `jump` is appended to that
 *    predecessor; its parameters become aliases of the jump's arguments.
 */
import type { DataFlowGraph } from '../dfg.js';
import { ValueKind } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE, type Block, type Inst, type Value } from '../ids.js';
import type { Layout } from '../layout.js';
import { Opcode } from '../opcodes.js';
import { freshAnalyses, type CfgAnalyses } from './cfg-analyses.js';

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

/** Rounds of the whole cleanup (each round is linear; a round repeats only after jump threading). */
const MAX_ROUNDS = 16;

/** Runs CFG cleanup over `func`; `analyses` (the pipeline's) are invalidated when anything changed. */
export function cleanupCfg(func: IrFunction, analyses: CfgAnalyses = freshAnalyses()): CfgCleanupStats {
  const stats = sharedCleanup.run(func);
  if (stats.branches + stats.unreachable + stats.threaded + stats.merged > 0) analyses.invalidate();
  return stats;
}

/** One cleanup object for every run (passes run synchronously): its grow-only arrays are reused per function. */
class CfgCleanup {
  private func!: IrFunction;
  private dfg!: DataFlowGraph;
  private layout!: Layout;
  private stats: CfgCleanupStats = { branches: 0, unreachable: 0, threaded: 0, merged: 0 };
  /** Per block: number of distinct predecessor blocks when the round started. */
  private predCount = new Int32Array(0);
  /** Per block: the last predecessor counted (to count each predecessor block once). */
  private lastPred = new Int32Array(0);
  /** Per block: its `jump` when it is a forwarding block this round, else NONE. */
  private forwarder = new Int32Array(0);
  /** Per value: its number of uses, valid while `usesCounted` (this round). */
  private useCount = new Int32Array(0);
  private usesCounted = false;
  /** Scratch for the reachability search. */
  private reached = new Uint8Array(0);
  private stack = new Int32Array(0);
  /** Branches threading rewrote in the current round, in layout order (no duplicates). */
  private rewritten = new Int32Array(0);
  private nRewritten = 0;
  private readonly argBuf: Value[] = [];

  run(func: IrFunction): CfgCleanupStats {
    this.func = func;
    this.dfg = func.dfg;
    this.layout = func.layout;
    this.stats = { branches: 0, unreachable: 0, threaded: 0, merged: 0 };
    this.usesCounted = false;
    this.nRewritten = 0;
    if (this.layout.firstBlock === NONE) return this.stats;
    // After the first round only the branches that threading rewrote can have become trivial (triviality depends on
    // a branch's own condition and destinations alone), so later rounds look at those only.
    let full = true;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.stats.branches += full ? this.simplifyBranches() : this.simplifyRewritten();
      full = false;
      this.stats.unreachable += this.removeUnreachableAndCountPredecessors();
      this.usesCounted = false;
      if (this.threadJumps()) continue; // threading can expose more: go again with fresh counts
      // Merging is last: it creates no unreachable or forwarding block (a forwarding successor would have been
      // threaded). It can make a branch trivial, though, when the merged block's parameters become the same
      // value: look once more, and go round again only then (with nothing rewritten since that look).
      const merged = this.stats.merged;
      this.mergeBlocks();
      if (this.stats.merged === merged) break;
      const more = this.simplifyBranches();
      if (more === 0) break;
      this.stats.branches += more;
      this.nRewritten = 0;
    }
    return this.stats;
  }

  // -------------------------------------------------------------------------------------------------------
  // 1. Trivial branches
  // -------------------------------------------------------------------------------------------------------

  /** Returns how many branches became jumps. */
  private simplifyBranches(): number {
    const layout = this.layout;
    let changed = 0;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      const term = layout.lastInst(b);
      if (term !== NONE) changed += this.simplifyBranch(term);
    }
    return changed;
  }

  /** `simplifyBranches` for the branches threading rewrote in the last round (in layout order, as it would go). */
  private simplifyRewritten(): number {
    let changed = 0;
    const rewritten = this.rewritten;
    for (let i = 0; i < this.nRewritten; i++) changed += this.simplifyBranch(rewritten[i]!);
    this.nRewritten = 0;
    return changed;
  }

  /** Turns `term` into a jump if it is a trivial brif / br_table; returns 1 if it did. */
  private simplifyBranch(term: Inst): number {
    const dfg = this.dfg;
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
    if (keep < 0) return 0;
    this.toJump(term, keep);
    return 1;
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

  /**
   * Takes the blocks no path from the entry reaches out of the layout (returns how many) and counts the distinct
   * predecessor blocks of every remaining block, during the reachability search.
   */
  private removeUnreachableAndCountPredecessors(): number {
    const { dfg, layout } = this;
    const nb = dfg.numBlocks;
    if (this.predCount.length < nb) {
      const cap = Math.max(nb, this.predCount.length * 2);
      this.predCount = new Int32Array(cap);
      this.lastPred = new Int32Array(cap);
      this.forwarder = new Int32Array(cap);
      this.reached = new Uint8Array(cap);
      this.stack = new Int32Array(cap);
    }
    // Reachability (depth-first from the entry over destinations that are in the layout). The blocks that stay
    // are exactly the ones reached, so their predecessor counts are taken on the way (a block's destinations are
    // read once, consecutively, so `lastPred` counts each predecessor block once).
    const reached = this.reached;
    reached.fill(0, 0, nb);
    const predCount = this.predCount;
    const lastPred = this.lastPred;
    predCount.fill(0, 0, nb);
    lastPred.fill(NONE, 0, nb);
    const stack = this.stack;
    const entry = layout.firstBlock;
    let sp = 0;
    stack[sp++] = entry;
    reached[entry] = 1;
    while (sp > 0) {
      const b = stack[--sp]!;
      const term = layout.lastInst(b);
      if (term === NONE) continue;
      const nd = dfg.numDests(term);
      for (let k = 0; k < nd; k++) {
        const d = dfg.destBlock(term, k);
        if (lastPred[d] !== b) {
          lastPred[d] = b;
          predCount[d]++;
        }
        if (d >= 0 && d < nb && reached[d] === 0 && layout.isBlockInserted(d)) {
          reached[d] = 1;
          stack[sp++] = d;
        }
      }
    }
    let removed = 0;
    for (let b = entry; b !== NONE;) {
      const next = layout.nextBlock(b);
      if (reached[b] === 0) {
        layout.removeBlock(b);
        removed++;
      }
      b = next;
    }
    return removed;
  }

  /**
   * If `b` (not the entry) holds only `jump C(...)`, with C another block that has other predecessors too
   * (when b is C's only predecessor, merging handles the pair instead), and b's parameters are used by that
   * jump alone, returns the jump; else NONE. The last condition matters: b may dominate blocks that use its
   * parameters directly (a loop preheader dominates the whole loop, although the header has a second
   * predecessor, the latch).
   */
  private forwardingJump(b: Block): Inst {
    const { dfg, layout } = this;
    const term = layout.firstInst(b);
    if (term === NONE || layout.nextInst(term) !== NONE || dfg.opcode(term) !== Opcode.jump) return NONE;
    const target = dfg.destBlock(term, 0);
    if (b === layout.firstBlock || target === b || this.predCount[target]! < 2) return NONE;
    const np = dfg.numBlockParams(b);
    if (np === 0) return term;
    if (!this.usesCounted) this.countUses();
    const na = dfg.numDestArgs(term, 0);
    for (let i = 0; i < np; i++) {
      const p = dfg.blockParam(b, i);
      let inJump = 0;
      for (let j = 0; j < na; j++) if (dfg.destArg(term, 0, j) === p) inJump++;
      if (this.useCount[p] !== inJump) return NONE;
    }
    return term;
  }

  /**
   * Counts the uses of every value (operands and branch arguments): one walk over the function, done only in
   * rounds that meet a forwarding block with parameters.
   */
  private countUses(): void {
    const { dfg, layout } = this;
    const nv = dfg.numValues;
    if (this.useCount.length < nv) this.useCount = new Int32Array(Math.max(nv, this.useCount.length * 2));
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
    this.usesCounted = true;
  }

  /**
   * One sweep over every branch: an edge into a forwarding block goes to that block's target instead. Facts
   * are from the start of the round (which blocks forward), the forwarding jump is read as it is now (it may
   * itself have been redirected earlier in the sweep, which only shortens the chain). A forwarding block's
   * parameters stay used by its own jump alone throughout: redirecting other edges never copies them.
   */
  private threadJumps(): boolean {
    const { dfg, layout } = this;
    const forwarder = this.forwarder;
    let any = false;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      const fwd = this.forwardingJump(b);
      forwarder[b] = fwd;
      if (fwd !== NONE) any = true;
    }
    if (!any) return false;
    let changed = false;
    const args = this.argBuf;
    for (let p = layout.firstBlock; p !== NONE; p = layout.nextBlock(p)) {
      const term = layout.lastInst(p);
      if (term === NONE) continue;
      const nd = dfg.numDests(term);
      for (let k = 0; k < nd; k++) {
        const b = dfg.destBlock(term, k);
        const fwd = forwarder[b]!;
        if (fwd === NONE) continue;
        const target = dfg.destBlock(fwd, 0);
        if (target === b) continue; // became a self-loop earlier in this sweep
        // target(args of fwd, with b's parameters replaced by what this edge passes).
        const na = dfg.numDestArgs(fwd, 0);
        args.length = 0;
        for (let i = 0; i < na; i++) {
          const a = dfg.destArg(fwd, 0, i);
          args.push(dfg.valueKind(a) === ValueKind.Param && dfg.valueDef(a) === b ? dfg.destArg(term, k, dfg.valueNum(a)) : a);
        }
        dfg.setDestCall(term, k, target, args);
        this.noteRewritten(term);
        this.stats.threaded++;
        changed = true;
      }
    }
    return changed;
  }

  private noteRewritten(term: Inst): void {
    const n = this.nRewritten;
    if (n > 0 && this.rewritten[n - 1] === term) return; // another destination of the same branch
    if (n === this.rewritten.length) {
      const bigger = new Int32Array(Math.max(64, n * 2));
      bigger.set(this.rewritten);
      this.rewritten = bigger;
    }
    this.rewritten[n] = term;
    this.nRewritten = n + 1;
  }

  // -------------------------------------------------------------------------------------------------------
  // 4. Merging straight-line blocks
  // -------------------------------------------------------------------------------------------------------

  private mergeBlocks(): void {
    const { dfg, layout, predCount } = this;
    const entry = layout.firstBlock;
    for (let a = entry; a !== NONE; a = layout.nextBlock(a)) {
      // Predecessor counts stay valid while merging: merging only renames a predecessor (b's successors now
      // see a), it never adds or removes an edge elsewhere.
      for (;;) {
        const term = layout.lastInst(a);
        if (term === NONE || dfg.opcode(term) !== Opcode.jump) break;
        const b = dfg.destBlock(term, 0);
        if (b === a || b === entry || predCount[b] !== 1) break;
        this.merge(a, term, b);
        this.stats.merged++;
      }
    }
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

const sharedCleanup = new CfgCleanup();
