import { describe, expect, it } from 'vitest';
import {
  ControlFlowGraph,
  DominatorTree,
  LoopAnalysis,
  NONE,
  UseIndex,
  parseFunction,
} from '../../src/ir/index.js';

const NESTED = `function %nest(i32) {
block0(v0: i32):
    jump block1

block1:
    brif v0, block2, block5

block2:
    v1 = iadd v0, v0
    brif v1, block3, block4

block3:
    jump block2

block4:
    jump block1

block5:
    br_table v0, block5, [block5, block1]

block6:
    jump block1
}`;

describe('CFG, dominators, loops, uses', () => {
  const func = parseFunction(NESTED);
  const cfg = ControlFlowGraph.compute(func);
  const dom = DominatorTree.compute(func, cfg);
  const loops = LoopAnalysis.compute(func, cfg, dom);

  it('computes unique successors and predecessors with their branches', () => {
    expect(cfg.succs(0)).toEqual([1]);
    expect(cfg.succs(1)).toEqual([2, 5]);
    expect(cfg.succs(5)).toEqual([5, 1]); // br_table: default block5 listed once
    expect(cfg.preds(1)).toEqual([0, 4, 5, 6]);
    expect(cfg.preds(5)).toEqual([1, 5]);
    expect(cfg.numPreds(0)).toBe(0);
    expect(cfg.predInst(1, 1)).toBe(func.layout.lastInst(4));
  });

  it('computes dominators; unreachable blocks are outside the tree', () => {
    expect(dom.rpo[0]).toBe(0);
    expect(dom.rpo.length).toBe(6);
    expect([1, 2, 3, 4, 5].map((b) => dom.idom(b))).toEqual([0, 1, 2, 2, 1]);
    expect(dom.idom(0)).toBe(NONE);
    expect(dom.isReachable(6)).toBe(false);
    expect(dom.dominates(1, 4)).toBe(true);
    expect(dom.dominates(3, 4)).toBe(false);
    expect(dom.dominates(2, 2)).toBe(true);
    expect(dom.strictlyDominates(2, 2)).toBe(false);
    expect(dom.dominates(0, 6)).toBe(false);
    // Preorder lists a block before all it dominates.
    const order = Array.from(dom.preorder);
    expect(order[0]).toBe(0);
    for (const b of order) if (b !== 0) expect(order.indexOf(dom.idom(b))).toBeLessThan(order.indexOf(b));
    const children: number[] = [];
    for (let c = dom.firstChild(2); c !== NONE; c = dom.nextSibling(c)) children.push(c);
    expect(children.sort()).toEqual([3, 4]);
  });

  it('finds natural loops with nesting, depths and bodies', () => {
    expect(loops.numLoops).toBe(3); // block1 (outer), block2 (inner), block5 (self loop)
    const outer = loops.loopOf(1);
    const inner = loops.loopOf(2);
    const self = loops.loopOf(5);
    expect(loops.header(outer)).toBe(1);
    expect(loops.header(inner)).toBe(2);
    expect(loops.header(self)).toBe(5);
    expect(loops.parent(inner)).toBe(outer);
    expect(loops.parent(self)).toBe(outer); // block5 jumps back to block1 through br_table
    expect(loops.parent(outer)).toBe(NONE);
    expect(loops.depth(outer)).toBe(1);
    expect(loops.depth(inner)).toBe(2);
    expect(loops.loopOf(3)).toBe(inner);
    expect(loops.loopOf(4)).toBe(outer);
    expect(loops.loopOf(0)).toBe(NONE);
    expect(loops.loopOf(6)).toBe(NONE); // unreachable
    expect(loops.isHeader(2)).toBe(true);
    expect(loops.isHeader(3)).toBe(false);
    expect(loops.contains(outer, 3)).toBe(true);
    expect(loops.contains(inner, 4)).toBe(false);
    expect(loops.blockDepth(3)).toBe(2);
    expect(loops.loopBlocks(inner, dom)).toEqual([2, 3]);
    expect(loops.loopBlocks(outer, dom).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('indexes uses (operands and branch arguments)', () => {
    const f = parseFunction(`function %u(i32) -> i32 {
block0(v0: i32):
    v1 = iadd v0, v0
    brif v1, block1(v1), block1(v0)

block1(v2: i32):
    return v2
}`);
    const uses = UseIndex.compute(f);
    expect(uses.numUses(0)).toBe(3);
    expect(uses.numUses(1)).toBe(2);
    expect(uses.numUses(2)).toBe(1);
    expect(uses.usersOf(1)).toEqual([f.layout.lastInst(0), f.layout.lastInst(0)]);
    expect(uses.user(2, 0)).toBe(f.layout.lastInst(1));
  });
});
