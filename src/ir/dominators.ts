/**
 * Dominator tree (Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm", iterating over reverse
 * postorder), with a pre/post numbering of the tree so `dominates(a, b)` is O(1).
 *
 * Only blocks reachable from the entry are in the tree; `isReachable` tells the others apart.
 */
import type { ControlFlowGraph } from './cfg.js';
import type { IrFunction } from './function.js';
import { NONE, type Block } from './ids.js';

export class DominatorTree {
  /** Reachable blocks in reverse postorder (the entry first). A view that the next `compute` overwrites. */
  rpo = new Int32Array(0);
  private nBlocks = 0;
  // Per-block arrays are grow-only (only the first nBlocks entries are meaningful), so recomputing with one tree
  // per pass allocates nothing once they are big enough.
  private rpoNum = new Int32Array(0);
  private idoms = new Int32Array(0);
  private pre = new Int32Array(0);
  private post = new Int32Array(0);
  private firstChildOf = new Int32Array(0);
  private nextSiblingOf = new Int32Array(0);
  /** Scratch for the depth-first walks and the orders (rpo and preorder are views into the last two). */
  private postorder = new Int32Array(0);
  private stackBlock = new Int32Array(0);
  private stackIdx = new Int32Array(0);
  private seen = new Uint8Array(0);
  private rpoBuf = new Int32Array(0);
  private preorderBuf = new Int32Array(0);
  /** Reachable blocks in dominator-tree preorder (a block before everything it dominates). A view, like rpo. */
  preorder = new Int32Array(0);

  static compute(func: IrFunction, cfg: ControlFlowGraph): DominatorTree {
    return new DominatorTree().compute(func, cfg);
  }

  compute(func: IrFunction, cfg: ControlFlowGraph): this {
    const nb = func.dfg.numBlocks;
    const entry = func.layout.firstBlock;
    this.nBlocks = nb;
    if (this.rpoNum.length < nb) {
      const cap = Math.max(nb, this.rpoNum.length * 2);
      this.rpoNum = new Int32Array(cap);
      this.idoms = new Int32Array(cap);
      this.pre = new Int32Array(cap);
      this.post = new Int32Array(cap);
      this.firstChildOf = new Int32Array(cap);
      this.nextSiblingOf = new Int32Array(cap);
      this.postorder = new Int32Array(cap);
      this.stackBlock = new Int32Array(cap);
      this.stackIdx = new Int32Array(cap);
      this.seen = new Uint8Array(cap);
      this.rpoBuf = new Int32Array(cap);
      this.preorderBuf = new Int32Array(cap);
    }
    this.rpoNum.fill(NONE, 0, nb);
    this.idoms.fill(NONE, 0, nb);
    this.pre.fill(NONE, 0, nb);
    this.post.fill(NONE, 0, nb);
    this.firstChildOf.fill(NONE, 0, nb);
    this.nextSiblingOf.fill(NONE, 0, nb);
    if (entry === NONE) {
      this.rpo = this.rpoBuf.subarray(0, 0);
      this.preorder = this.preorderBuf.subarray(0, 0);
      return this;
    }
    // Postorder by iterative DFS over successors.
    const postorder = this.postorder;
    let nPost = 0;
    const stackBlock = this.stackBlock;
    const stackIdx = this.stackIdx;
    const seen = this.seen;
    seen.fill(0, 0, nb);
    let sp = 0;
    stackBlock[0] = entry;
    stackIdx[0] = 0;
    seen[entry] = 1;
    sp = 1;
    while (sp > 0) {
      const b = stackBlock[sp - 1]!;
      const i = stackIdx[sp - 1]!;
      if (i < cfg.numSuccs(b)) {
        stackIdx[sp - 1] = i + 1;
        const s = cfg.succ(b, i);
        if (seen[s] === 0) {
          seen[s] = 1;
          stackBlock[sp] = s;
          stackIdx[sp] = 0;
          sp++;
        }
      } else {
        postorder[nPost++] = b;
        sp--;
      }
    }
    const rpo = this.rpoBuf.subarray(0, nPost);
    for (let i = 0; i < nPost; i++) {
      const b = postorder[nPost - 1 - i]!;
      rpo[i] = b;
      this.rpoNum[b] = i;
    }
    this.rpo = rpo;
    // Iterate to the fixpoint (converges in a few rounds on reducible graphs).
    const idom = this.idoms;
    const rpoNum = this.rpoNum;
    idom[entry] = entry;
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = 1; i < nPost; i++) {
        const b = rpo[i]!;
        let newIdom = NONE;
        const np = cfg.numPreds(b);
        for (let j = 0; j < np; j++) {
          const p = cfg.pred(b, j);
          if (idom[p] === NONE) continue; // unreachable or not processed yet
          if (newIdom === NONE) newIdom = p;
          else {
            let x = p;
            let y = newIdom;
            while (x !== y) {
              while (rpoNum[x]! > rpoNum[y]!) x = idom[x]!;
              while (rpoNum[y]! > rpoNum[x]!) y = idom[y]!;
            }
            newIdom = x;
          }
        }
        if (idom[b] !== newIdom) {
          idom[b] = newIdom;
          changed = true;
        }
      }
    }
    idom[entry] = NONE;
    // Children lists (in reverse postorder) and pre/post numbering of the tree.
    for (let i = nPost - 1; i >= 1; i--) {
      const b = rpo[i]!;
      const parent = idom[b]!;
      this.nextSiblingOf[b] = this.firstChildOf[parent]!;
      this.firstChildOf[parent] = b;
    }
    const preorder = this.preorderBuf.subarray(0, nPost);
    let counter = 0;
    let nPre = 0;
    sp = 0;
    stackBlock[sp++] = entry;
    this.pre[entry] = counter++;
    preorder[nPre++] = entry;
    stackIdx[0] = this.firstChildOf[entry]!; // next child to visit
    while (sp > 0) {
      const child = stackIdx[sp - 1]!;
      if (child !== NONE) {
        stackIdx[sp - 1] = this.nextSiblingOf[child]!;
        this.pre[child] = counter++;
        preorder[nPre++] = child;
        stackBlock[sp] = child;
        stackIdx[sp] = this.firstChildOf[child]!;
        sp++;
      } else {
        this.post[stackBlock[sp - 1]!] = counter++;
        sp--;
      }
    }
    this.preorder = preorder;
    return this;
  }

  isReachable(b: Block): boolean {
    return b >= 0 && b < this.nBlocks && this.rpoNum[b] !== NONE;
  }

  /** Position in reverse postorder, or NONE when unreachable. */
  rpoIndex(b: Block): number {
    return this.rpoNum[b]!;
  }

  /** Immediate dominator; NONE for the entry and for unreachable blocks. */
  idom(b: Block): Block {
    return this.idoms[b]!;
  }

  /** True when every path from the entry to `b` goes through `a` (a block dominates itself). */
  dominates(a: Block, b: Block): boolean {
    if (a === b) return true;
    const pa = this.pre[a]!;
    const pb = this.pre[b]!;
    if (pa === NONE || pb === NONE) return false;
    return pa <= pb && this.post[b]! <= this.post[a]!;
  }

  strictlyDominates(a: Block, b: Block): boolean {
    return a !== b && this.dominates(a, b);
  }

  /** First child in the dominator tree, or NONE. */
  firstChild(b: Block): Block {
    return this.firstChildOf[b]!;
  }

  /** Next sibling in the dominator tree, or NONE. */
  nextSibling(b: Block): Block {
    return this.nextSiblingOf[b]!;
  }
}
