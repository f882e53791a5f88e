/**
 * Memory versions for redundant-load elimination (after Cranelift's alias analysis "last stores").
 *
 * Memory is split into four categories by the access's MemFlags region: `heap`, `table`, `vmctx`, and `other`
 * (accesses without a region, which may alias anything). At every program point each category has a *version*:
 * the last instruction that may have written it (a store or a call), or a marker for "the entry of block b"
 * when different paths into b disagree. Two loads of the same address in the same category that see the same
 * version read the same bytes, provided one dominates the other (the pass using this guarantees that): between
 * them no path can execute a writer of that category without also re-entering the version's source, which the
 * dominance rules out.
 *
 * Effects: a store with region R writes R and `other` (a region-less load may read R's bytes); a store without
 * a region writes every category; calls write every category. `readonly` loads ignore versions altogether:
 * their memory never changes while the function runs.
 */
import type { ControlFlowGraph } from '../cfg.js';
import type { DataFlowGraph } from '../dfg.js';
import type { DominatorTree } from '../dominators.js';
import type { IrFunction } from '../function.js';
import { NONE, type Block, type Inst } from '../ids.js';
import { MemFlag } from '../memflags.js';
import { OPCODE_FLAGS, OpFlag } from '../opcodes.js';

export const MemCategory = {
  heap: 0,
  table: 1,
  vmctx: 2,
  /** No region: may alias every other category. */
  other: 3,
} as const;
export const MEM_CATEGORY_COUNT = 4;
/** Bit mask with every category set. */
export const ALL_CATEGORIES = 0b1111;

/** The category of a load or store with these flags. */
export function memCategory(flags: number): number {
  if (flags & MemFlag.heap) return MemCategory.heap;
  if (flags & MemFlag.table) return MemCategory.table;
  if (flags & MemFlag.vmctx) return MemCategory.vmctx;
  return MemCategory.other;
}

/**
 * The categories (bit mask over MemCategory) that `inst` may write: 0 for instructions that write no memory.
 */
export function clobberedCategories(dfg: DataFlowGraph, inst: Inst): number {
  const flags = OPCODE_FLAGS[dfg.opcode(inst)]!;
  if (flags & OpFlag.Call) return ALL_CATEGORIES;
  if ((flags & OpFlag.Store) === 0) return 0;
  const cat = memCategory(dfg.memFlags(inst));
  return cat === MemCategory.other ? ALL_CATEGORIES : (1 << cat) | (1 << MemCategory.other);
}

/** The version standing for "memory as it was at the entry of block b". Store/call versions are inst ids. */
export function blockEntryVersion(b: Block): number {
  return -2 - b;
}

/** Not computed yet (optimistic start of the fixpoint). */
const UNKNOWN = -0x80000000;
/** Rounds before falling back to the pessimistic solution. */
const MAX_ROUNDS = 32;

/** Applies the effect of `inst` to `state` (one version per category). */
export function applyMemoryEffect(dfg: DataFlowGraph, inst: Inst, state: Int32Array): void {
  const mask = clobberedCategories(dfg, inst);
  if (mask === 0) return;
  for (let c = 0; c < MEM_CATEGORY_COUNT; c++) if (mask & (1 << c)) state[c] = inst;
}

/** Memory versions at the entry of every reachable block, computed to a fixpoint over reverse postorder. */
export class MemoryVersions {
  // Grow-only (recomputing into the same object allocates nothing once they fit); nb * N entries are meaningful.
  private entryState = new Int32Array(0);
  private lastWriter = new Int32Array(0);
  private outState = new Int32Array(0);

  static compute(func: IrFunction, cfg: ControlFlowGraph, domtree: DominatorTree): MemoryVersions {
    return new MemoryVersions().compute(func, cfg, domtree);
  }

  compute(func: IrFunction, cfg: ControlFlowGraph, domtree: DominatorTree): this {
    const { dfg, layout } = func;
    const nb = dfg.numBlocks;
    const N = MEM_CATEGORY_COUNT;
    const rpo = domtree.rpo;
    const entry = layout.firstBlock;
    // Per block and category: the last writer in the block, or UNKNOWN when the block passes its entry
    // version through. One walk over the instructions; the fixpoint below only touches blocks.
    if (this.entryState.length < nb * N) {
      const cap = Math.max(nb * N, this.entryState.length * 2);
      this.entryState = new Int32Array(cap);
      this.lastWriter = new Int32Array(cap);
      this.outState = new Int32Array(cap);
    }
    const lastWriter = this.lastWriter;
    lastWriter.fill(UNKNOWN, 0, nb * N);
    for (let i = 0; i < rpo.length; i++) {
      const b = rpo[i]!;
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        const mask = clobberedCategories(dfg, inst);
        if (mask === 0) continue;
        for (let c = 0; c < N; c++) if (mask & (1 << c)) lastWriter[b * N + c] = inst;
      }
    }
    const entryState = this.entryState;
    entryState.fill(UNKNOWN, 0, nb * N);
    const outState = this.outState;
    outState.fill(UNKNOWN, 0, nb * N);
    let changed = true;
    let round = 0;
    // Reducible CFGs settle in a few rounds (loop nesting depth + 2). Should a strange graph keep changing,
    // the last round gives every block its own entry version: always sound, merely less precise.
    let pessimistic = false;
    while (changed) {
      changed = false;
      if (round === MAX_ROUNDS) pessimistic = true;
      for (let i = 0; i < rpo.length; i++) {
        const b = rpo[i]!;
        const base = b * N;
        // Every category's entry version of b, from one walk over its predecessors (per category: the common
        // version of the predecessors reached so far, or b's own entry version where they disagree).
        const own = blockEntryVersion(b);
        if (b === entry || pessimistic) {
          for (let c = 0; c < N; c++) entryState[base + c] = own;
        } else {
          for (let c = 0; c < N; c++) entryState[base + c] = UNKNOWN;
          let settled = 0; // categories that met a disagreement (bit mask)
          const np = cfg.numPreds(b);
          for (let j = 0; j < np && settled !== ALL_CATEGORIES; j++) {
            const pbase = cfg.pred(b, j) * N;
            for (let c = 0; c < N; c++) {
              if (settled & (1 << c)) continue;
              const pv = outState[pbase + c]!;
              if (pv === UNKNOWN) continue; // not reached yet (a back edge on the first round, or unreachable)
              const v = entryState[base + c]!;
              if (v === UNKNOWN) entryState[base + c] = pv;
              else if (v !== pv) {
                entryState[base + c] = own;
                settled |= 1 << c;
              }
            }
          }
          for (let c = 0; c < N; c++) if (entryState[base + c] === UNKNOWN) entryState[base + c] = own;
        }
        for (let c = 0; c < N; c++) {
          const w = lastWriter[base + c]!;
          const out = w === UNKNOWN ? entryState[base + c]! : w;
          if (outState[base + c] !== out) {
            outState[base + c] = out;
            if (!pessimistic) changed = true;
          }
        }
      }
      round++;
    }
    return this;
  }

  /** Copies the versions at the entry of `b` into `state`. */
  loadEntry(b: Block, state: Int32Array): void {
    const N = MEM_CATEGORY_COUNT;
    for (let c = 0; c < N; c++) state[c] = this.entryState[b * N + c]!;
  }

  /** The version of category `c` at the entry of `b`. */
  entryVersion(b: Block, c: number): number {
    return this.entryState[b * MEM_CATEGORY_COUNT + c]!;
  }
}
