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
  private entryState = new Int32Array(0);

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
    const lastWriter = new Int32Array(nb * N).fill(UNKNOWN);
    for (let i = 0; i < rpo.length; i++) {
      const b = rpo[i]!;
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        const mask = clobberedCategories(dfg, inst);
        if (mask === 0) continue;
        for (let c = 0; c < N; c++) if (mask & (1 << c)) lastWriter[b * N + c] = inst;
      }
    }
    const entryState = new Int32Array(nb * N).fill(UNKNOWN);
    const outState = new Int32Array(nb * N).fill(UNKNOWN);
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
        for (let c = 0; c < N; c++) {
          let v = UNKNOWN;
          if (b === entry || pessimistic) v = blockEntryVersion(b);
          else {
            const np = cfg.numPreds(b);
            for (let j = 0; j < np; j++) {
              const pv = outState[cfg.pred(b, j) * N + c]!;
              if (pv === UNKNOWN) continue; // not reached yet (a back edge on the first round, or unreachable)
              if (v === UNKNOWN) v = pv;
              else if (v !== pv) {
                v = blockEntryVersion(b);
                break;
              }
            }
            if (v === UNKNOWN) v = blockEntryVersion(b);
          }
          entryState[b * N + c] = v;
          const w = lastWriter[b * N + c]!;
          const out = w === UNKNOWN ? v : w;
          if (outState[b * N + c] !== out) {
            outState[b * N + c] = out;
            if (!pessimistic) changed = true;
          }
        }
      }
      round++;
    }
    this.entryState = entryState;
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
