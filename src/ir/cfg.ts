/**
 * Control-flow graph: predecessors and successors of every block in the layout, computed from the
 * terminators (compressed arrays; recompute after changing branches or blocks).
 *
 * Successors are unique and in destination order (brif: then, else; br_table: default, then table order).
 * Predecessors are unique blocks, each with the branch instruction that reaches it (one terminator per block,
 * so a block can only be a predecessor once even when a br_table targets it twice).
 * Destinations that are not in the layout are left out (the verifier reports them).
 */
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst } from './ids.js';
import { OPCODE_FLAGS, OpFlag } from './opcodes.js';

export class ControlFlowGraph {
  private nBlocks = 0;
  // The arrays below are grow-only scratch: a recompute (the passes and the lowering keep one CFG each and
  // recompute it per function) allocates nothing once they are big enough. Only the first nBlocks+1 / `total`
  // entries are meaningful.
  /** Successors of block b: succList[succStart[b] .. succEnd[b]) (blocks are contiguous in layout order). */
  private succStart = new Int32Array(1);
  private succEnd = new Int32Array(1);
  private succList = new Int32Array(0);
  private predStart = new Int32Array(1);
  private predList = new Int32Array(0);
  private predInstList = new Int32Array(0);
  /** Scratch: per-block predecessor counts, fill cursors and the unique-destination mark. */
  private count = new Int32Array(0);
  private cursor = new Int32Array(0);
  private mark = new Int32Array(0);

  /** Builds the CFG of `func`. */
  static compute(func: IrFunction): ControlFlowGraph {
    return new ControlFlowGraph().compute(func);
  }

  /** (Re)computes for `func`, reusing this object's arrays where they fit. */
  compute(func: IrFunction): this {
    const { dfg, layout } = func;
    const nb = dfg.numBlocks;
    this.nBlocks = nb;
    if (this.count.length < nb + 1) {
      const cap = Math.max(nb + 1, this.count.length * 2);
      this.count = new Int32Array(cap);
      this.cursor = new Int32Array(cap);
      this.mark = new Int32Array(cap);
      this.succStart = new Int32Array(cap);
      this.succEnd = new Int32Array(cap);
      this.predStart = new Int32Array(cap);
    }
    const predCount = this.count;
    predCount.fill(0, 0, nb + 1);
    const mark = this.mark;
    mark.fill(NONE, 0, nb);
    const succStart = this.succStart;
    const succEnd = this.succEnd;
    // Blocks outside the layout have no successors.
    succStart.fill(0, 0, nb);
    succEnd.fill(0, 0, nb);
    // Pass 1, the only one that reads the IR: unique successors of each block, appended to succList in layout
    // order (so a block's successors are contiguous, though not in block-id order), and predecessor counts.
    let total = 0;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      succStart[b] = total;
      const term = layout.lastInst(b);
      if (term !== NONE && (OPCODE_FLAGS[dfg.opcode(term)]! & OpFlag.Branch) !== 0) {
        const nd = dfg.numDests(term);
        for (let k = 0; k < nd; k++) {
          const d = dfg.destBlock(term, k);
          if (d < 0 || d >= nb || !layout.isBlockInserted(d) || mark[d] === b) continue;
          mark[d] = b;
          if (total === this.succList.length) this.growEdgeLists(total);
          this.succList[total++] = d;
          predCount[d]++;
        }
      }
      succEnd[b] = total;
    }
    // Pass 2: predecessors (CSR in block-id order), in layout order of the predecessor blocks.
    const predStart = this.predStart;
    predStart[0] = 0;
    for (let b = 0; b < nb; b++) predStart[b + 1] = predStart[b]! + predCount[b]!;
    const succList = this.succList;
    const predList = this.predList;
    const predInstList = this.predInstList;
    const pfill = this.cursor;
    for (let b = 0; b < nb; b++) pfill[b] = predStart[b]!;
    for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
      const end = succEnd[b]!;
      if (succStart[b] === end) continue;
      const term = layout.lastInst(b);
      for (let i = succStart[b]!; i < end; i++) {
        const d = succList[i]!;
        predList[pfill[d]!] = b;
        predInstList[pfill[d]!++] = term;
      }
    }
    return this;
  }

  /** Doubles the edge lists (successors, predecessors), keeping the first `used` successors. */
  private growEdgeLists(used: number): void {
    const cap = Math.max(64, this.succList.length * 2);
    const succ = new Int32Array(cap);
    succ.set(this.succList.subarray(0, used));
    this.succList = succ;
    this.predList = new Int32Array(cap);
    this.predInstList = new Int32Array(cap);
  }

  /** Number of block ids covered (the DFG's block count when computed). */
  get numBlocks(): number {
    return this.nBlocks;
  }

  numSuccs(b: Block): number {
    return this.succEnd[b]! - this.succStart[b]!;
  }

  succ(b: Block, i: number): Block {
    return this.succList[this.succStart[b]! + i]!;
  }

  numPreds(b: Block): number {
    return this.predStart[b + 1]! - this.predStart[b]!;
  }

  pred(b: Block, i: number): Block {
    return this.predList[this.predStart[b]! + i]!;
  }

  /** The branch instruction (terminator of `pred(b, i)`) that reaches `b`. */
  predInst(b: Block, i: number): Inst {
    return this.predInstList[this.predStart[b]! + i]!;
  }

  /** Successors as a new array (convenience). */
  succs(b: Block): Block[] {
    return Array.from(this.succList.subarray(this.succStart[b]!, this.succEnd[b]!));
  }

  /** Predecessor blocks as a new array (convenience). */
  preds(b: Block): Block[] {
    return Array.from(this.predList.subarray(this.predStart[b]!, this.predStart[b + 1]!));
  }
}
