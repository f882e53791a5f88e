/**
 * Global value numbering over the dominator tree: an instruction that computes the same thing as one that
 * dominates it is replaced by the dominating result.
 *
 * What is numbered:
 * - Pure instructions (no side effects, one result), including ones that may trap (`udiv`, `fcvt_to_sint`):
 *   if the dominating copy did not trap, the same computation cannot trap either. Commutative operands are
 *   ordered so `iadd a, b` and `iadd b, a` meet. `get_pinned_reg` is not numbered (the register changes).
 * - Loads, keyed by opcode, type, address value, offset, region and *memory version* (memory-state.ts): two
 *   loads meet only when no store or call that may write their region can run between them. `readonly` loads
 *   carry no version, so they meet across anything (VMContext fields such as the heap base).
 * - Store-to-load forwarding: a plain `store` of x makes a later `load` of x's type from the same address,
 *   offset and region, with the store itself as memory version, read x.
 * - Conditional traps: `trapz x, code` dominated by the same `trapz x, code` cannot fire and is removed.
 *
 * Flags other than the region and `readonly` (notrap, aligned) do not take part in the key: they do not
 * change the value read, and a dominating access to the same address that did not trap makes the later one safe.
 */
import type { DataFlowGraph } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE, type Block, type Inst } from '../ids.js';
import type { Layout } from '../layout.js';
import { MEM_REGION_MASK, MemFlag } from '../memflags.js';
import { OPCODE_FLAGS, OpFlag, Opcode } from '../opcodes.js';
import { MEM_CATEGORY_COUNT, MemoryVersions, applyMemoryEffect, memCategory } from './memory-state.js';
import { freshAnalyses, type CfgAnalyses } from './cfg-analyses.js';
import { ValueTable } from './value-table.js';

/** Memory version used for readonly loads (never a real version: those are inst ids or negative markers). */
const READONLY_VERSION = 0x7fffffff;
const KEY_FLAGS = MEM_REGION_MASK | MemFlag.readonly;

/** Result of one GVN run. */
export interface GvnStats {
  /** Pure instructions replaced by a dominating equal one. */
  pure: number;
  /** Loads replaced by a dominating equal load. */
  loads: number;
  /** Loads replaced by the value a dominating store wrote. */
  forwarded: number;
  /** Conditional traps removed because a dominating equal one already checked. */
  traps: number;
}

/** Runs GVN over `func`. `analyses` (the pipeline's) supplies the CFG and dominator tree; GVN changes no branch. */
export function globalValueNumbering(func: IrFunction, analyses: CfgAnalyses = freshAnalyses()): GvnStats {
  return sharedGvn.run(func, analyses);
}

/** One GVN object for every run (passes run synchronously): table, versions and stacks are reused per function. */
class Gvn {
  private dfg!: DataFlowGraph;
  private layout!: Layout;
  private readonly table = new ValueTable();
  private readonly state = new Int32Array(MEM_CATEGORY_COUNT);
  private readonly versions = new MemoryVersions();
  /** The dominator-tree walk's stack: block, next child to visit, table size to pop back to. */
  private stackBlock = new Int32Array(0);
  private stackChild = new Int32Array(0);
  private stackMark = new Int32Array(0);
  private stats: GvnStats = { pure: 0, loads: 0, forwarded: 0, traps: 0 };

  run(func: IrFunction, analyses: CfgAnalyses): GvnStats {
    this.dfg = func.dfg;
    this.layout = func.layout;
    this.table.reset(func.dfg.numInsts);
    this.stats = { pure: 0, loads: 0, forwarded: 0, traps: 0 };
    const entry = this.layout.firstBlock;
    if (entry === NONE) return this.stats;
    const { cfg, domtree } = analyses.get(func);
    this.versions.compute(func, cfg, domtree);
    // Depth-first walk of the dominator tree; each block's entries are popped when its subtree is done.
    const n = domtree.rpo.length;
    if (this.stackBlock.length < n) {
      const cap = Math.max(n, this.stackBlock.length * 2);
      this.stackBlock = new Int32Array(cap);
      this.stackChild = new Int32Array(cap);
      this.stackMark = new Int32Array(cap);
    }
    const stackBlock = this.stackBlock;
    const stackChild = this.stackChild;
    const stackMark = this.stackMark;
    let sp = 0;
    stackMark[0] = this.table.size;
    this.visit(entry);
    stackBlock[0] = entry;
    stackChild[0] = domtree.firstChild(entry);
    sp = 1;
    while (sp > 0) {
      const child = stackChild[sp - 1]!;
      if (child !== NONE) {
        stackChild[sp - 1] = domtree.nextSibling(child);
        stackMark[sp] = this.table.size;
        this.visit(child);
        stackBlock[sp] = child;
        stackChild[sp] = domtree.firstChild(child);
        sp++;
      } else {
        sp--;
        this.table.popTo(stackMark[sp]!);
      }
    }
    return this.stats;
  }

  private visit(b: Block): void {
    const { dfg, layout, table, state } = this;
    this.versions.loadEntry(b, state);
    for (let inst = layout.firstInst(b); inst !== NONE;) {
      const next = layout.nextInst(inst);
      const op = dfg.opcode(inst);
      const flags = OPCODE_FLAGS[op]!;
      if (flags & OpFlag.Load) this.load(inst, op);
      else if (flags & (OpFlag.Store | OpFlag.Call)) {
        applyMemoryEffect(dfg, inst, state);
        if (op === Opcode.store) this.recordStore(inst);
      } else if (op === Opcode.trapz || op === Opcode.trapnz) {
        const cond = dfg.arg(inst, 0);
        const code = dfg.trapCode(inst);
        if (table.find(op, 0, cond, NONE, NONE, 0, 0, code, 0) >= 0) {
          layout.removeInst(inst);
          this.stats.traps++;
        } else table.insert(op, 0, cond, NONE, NONE, 0, 0, code, 0, NONE);
      } else if ((flags & (OpFlag.SideEffects | OpFlag.Terminator)) === 0 && op !== Opcode.get_pinned_reg &&
        dfg.numResults(inst) === 1) {
        this.pure(inst, op);
      }
      inst = next;
    }
  }

  private pure(inst: Inst, op: number): void {
    const { dfg, table } = this;
    const nargs = dfg.numArgs(inst);
    let a0 = nargs > 0 ? dfg.arg(inst, 0) : NONE;
    let a1 = nargs > 1 ? dfg.arg(inst, 1) : NONE;
    const a2 = nargs > 2 ? dfg.arg(inst, 2) : NONE;
    if ((OPCODE_FLAGS[op]! & OpFlag.Commutative) !== 0 && a1 < a0) {
      const t = a0;
      a0 = a1;
      a1 = t;
    }
    const type = dfg.instType(inst);
    const lo = dfg.immLo(inst);
    const hi = dfg.immHi(inst);
    const aux = dfg.aux(inst);
    const e = table.find(op, type, a0, a1, a2, lo, hi, aux, 0);
    if (e >= 0) {
      this.replace(inst, table.value(e));
      this.stats.pure++;
    } else table.insert(op, type, a0, a1, a2, lo, hi, aux, 0, dfg.firstResult(inst));
  }

  private load(inst: Inst, op: number): void {
    const { dfg, table } = this;
    const memFlags = dfg.memFlags(inst);
    const ver = memFlags & MemFlag.readonly ? READONLY_VERSION : this.state[memCategory(memFlags)]!;
    const type = dfg.instType(inst);
    const addr = dfg.arg(inst, 0);
    const offset = dfg.offset(inst);
    const key = memFlags & KEY_FLAGS;
    const e = table.find(op, type, addr, NONE, NONE, offset, 0, key, ver);
    if (e >= 0) {
      const v = table.value(e);
      const def = dfg.valueInst(v);
      // The entry came from an equal load or from a store's forwarding record.
      const sameLoad = def !== NONE && dfg.opcode(def) === op && dfg.arg(def, 0) === addr && dfg.offset(def) === offset;
      this.replace(inst, v);
      if (sameLoad) this.stats.loads++;
      else this.stats.forwarded++;
    } else table.insert(op, type, addr, NONE, NONE, offset, 0, key, ver, dfg.firstResult(inst));
  }

  /** After `store x, p+off`: a `load` of x's type at p+off, seeing this store as its version, reads x. */
  private recordStore(inst: Inst): void {
    const dfg = this.dfg;
    const memFlags = dfg.memFlags(inst);
    if (memFlags & MemFlag.readonly) return; // a store to "readonly" memory: do not reason about it
    const x = dfg.arg(inst, 0);
    // The store is the version its own category sees right after it (applyMemoryEffect).
    this.table.insert(Opcode.load, dfg.valueType(x), dfg.arg(inst, 1), NONE, NONE, dfg.offset(inst), 0,
      memFlags & KEY_FLAGS, inst, x);
  }

  private replace(inst: Inst, v: number): void {
    this.dfg.changeToAlias(this.dfg.firstResult(inst), v);
    this.layout.removeInst(inst);
  }
}

const sharedGvn = new Gvn();
