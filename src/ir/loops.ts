/**
 * Natural loops: a back edge is an edge latch -> header where the header dominates the latch; the loop of a
 * header is every block that reaches one of its latches without passing through the header. Loops with the
 * same header are one loop. Loops nest: each has a parent (the innermost enclosing loop) and a depth (1 =
 * outermost). Edges into a block that does not dominate their source (irreducible control flow, which wasm
 * cannot produce) form no loop.
 *
 * LICM needs: the loops (headers), `loopOf(block)` (innermost loop), `contains(loop, block)`, and the
 * blocks of a loop (`loopBlocks`).
 */
import type { ControlFlowGraph } from './cfg.js';
import type { DominatorTree } from './dominators.js';
import type { IrFunction } from './function.js';
import { NONE, type Block } from './ids.js';

/** A loop id (dense from 0, outer loops before the loops they contain). */
export type Loop = number;

export class LoopAnalysis {
  // Grow-only columns (a loop count never exceeds the block count): recomputing into the same object, as the
  // passes do once per function, allocates nothing once they are big enough. Only the first nLoops / nBlocks
  // entries are meaningful.
  private nLoops = 0;
  private nBlocks = 0;
  private headers = new Int32Array(0);
  private parents = new Int32Array(0);
  private depths = new Int32Array(0);
  private innermost = new Int32Array(0);
  /** Scratch: the predecessor walk's stack (at most one entry per CFG edge in flight). */
  private stack = new Int32Array(0);

  static compute(func: IrFunction, cfg: ControlFlowGraph, domtree: DominatorTree): LoopAnalysis {
    return new LoopAnalysis().compute(func, cfg, domtree);
  }

  compute(func: IrFunction, cfg: ControlFlowGraph, domtree: DominatorTree): this {
    const nb = func.dfg.numBlocks;
    if (this.innermost.length < nb) {
      const cap = Math.max(nb, this.innermost.length * 2);
      this.headers = new Int32Array(cap);
      this.parents = new Int32Array(cap);
      this.depths = new Int32Array(cap);
      this.innermost = new Int32Array(cap);
    }
    const headers = this.headers;
    const parents = this.parents;
    const innermost = this.innermost;
    innermost.fill(NONE, 0, nb);
    this.nBlocks = nb;
    let nLoops = 0;
    const rpo = domtree.rpo;
    // Headers in reverse postorder: an enclosing loop's header comes before the headers it contains.
    for (let i = 0; i < rpo.length; i++) {
      const h = rpo[i]!;
      const np = cfg.numPreds(h);
      for (let j = 0; j < np; j++) {
        if (domtree.dominates(h, cfg.pred(h, j))) {
          headers[nLoops] = h;
          parents[nLoops] = NONE;
          nLoops++;
          break;
        }
      }
    }
    this.nLoops = nLoops;
    // Bodies, innermost first (reverse order of headers): walk predecessors back from the latches. A block is
    // pushed once per predecessor edge followed, so the stack never holds more than the CFG has edges.
    let stack = this.stack;
    let sp = 0;
    for (let loop = nLoops - 1; loop >= 0; loop--) {
      const h = headers[loop]!;
      innermost[h] = loop;
      const np = cfg.numPreds(h);
      for (let j = 0; j < np; j++) {
        const p = cfg.pred(h, j);
        if (!domtree.dominates(h, p)) continue;
        if (sp === stack.length) stack = this.growStack(sp);
        stack[sp++] = p;
      }
      while (sp > 0) {
        let b = stack[--sp]!;
        if (!domtree.isReachable(b)) continue;
        const inner = innermost[b]!;
        if (inner === NONE) {
          innermost[b] = loop;
        } else {
          // Already in a loop found earlier (an inner one): attach its outermost ancestor to this loop and
          // continue from that ancestor's header.
          let outer = inner;
          while (parents[outer] !== NONE) outer = parents[outer]!;
          if (outer === loop) continue;
          parents[outer] = loop;
          b = headers[outer]!;
        }
        const n = cfg.numPreds(b);
        for (let j = 0; j < n; j++) {
          const p = cfg.pred(b, j);
          if (p === h) continue;
          if (sp === stack.length) stack = this.growStack(sp);
          stack[sp++] = p;
        }
      }
    }
    for (let loop = 0; loop < nLoops; loop++) {
      const parent = parents[loop]!;
      this.depths[loop] = parent === NONE ? 1 : this.depths[parent]! + 1;
    }
    return this;
  }

  private growStack(used: number): Int32Array<ArrayBuffer> {
    const bigger = new Int32Array(Math.max(64, used * 2));
    bigger.set(this.stack.subarray(0, used));
    this.stack = bigger;
    return bigger;
  }

  get numLoops(): number {
    return this.nLoops;
  }

  header(loop: Loop): Block {
    return this.headers[loop]!;
  }

  /** Innermost enclosing loop, or NONE for an outermost loop. */
  parent(loop: Loop): Loop {
    return this.parents[loop]!;
  }

  /** Nesting depth: 1 for an outermost loop. */
  depth(loop: Loop): number {
    return this.depths[loop]!;
  }

  /** The innermost loop containing `b`, or NONE. */
  loopOf(b: Block): Loop {
    return b < this.nBlocks ? this.innermost[b]! : NONE;
  }

  /** Loop depth of a block (0 outside loops). */
  blockDepth(b: Block): number {
    const l = this.loopOf(b);
    return l === NONE ? 0 : this.depths[l]!;
  }

  isHeader(b: Block): boolean {
    const l = this.loopOf(b);
    return l !== NONE && this.headers[l] === b;
  }

  /** True when `b` is in `loop` or in a loop nested in it. */
  contains(loop: Loop, b: Block): boolean {
    for (let l = this.loopOf(b); l !== NONE; l = this.parents[l]!) if (l === loop) return true;
    return false;
  }

  /** Blocks of `loop` (nested loops included), in reverse postorder; the header first. */
  loopBlocks(loop: Loop, domtree: DominatorTree): Block[] {
    const out: Block[] = [];
    const rpo = domtree.rpo;
    for (let i = 0; i < rpo.length; i++) if (this.contains(loop, rpo[i]!)) out.push(rpo[i]!);
    return out;
  }
}
