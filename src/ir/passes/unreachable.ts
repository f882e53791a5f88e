/**
 * Removal of blocks that no path from the entry reaches. Shared by CFG cleanup and by constant folding (which
 * can turn a conditional trap into an unconditional one and so cut the rest of its block off).
 */
import type { IrFunction } from '../function.js';
import { NONE, type Block } from '../ids.js';

// Grow-only scratch shared by every call (passes run synchronously): no allocation per call once big enough.
let scratchReached = new Uint8Array(64);
let scratchStack = new Int32Array(64);

/**
 * Takes every block that cannot be reached from the entry out of the layout; returns how many were removed.
 * Values defined there can only be used in other unreachable blocks (a reachable use needs a dominating
 * definition), so the function stays valid.
 */
export function removeUnreachableBlocks(func: IrFunction): number {
  const { dfg, layout } = func;
  const entry = layout.firstBlock;
  if (entry === NONE) return 0;
  const nb = dfg.numBlocks;
  if (scratchReached.length < nb) {
    scratchReached = new Uint8Array(Math.max(nb, scratchReached.length * 2));
    scratchStack = new Int32Array(scratchReached.length);
  }
  const reached = scratchReached;
  reached.fill(0, 0, nb);
  const stack = scratchStack;
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
      if (d >= 0 && d < nb && reached[d] === 0 && layout.isBlockInserted(d)) {
        reached[d] = 1;
        stack[sp++] = d;
      }
    }
  }
  let removed = 0;
  for (let b: Block = entry; b !== NONE;) {
    const next = layout.nextBlock(b);
    if (reached[b] === 0) {
      layout.removeBlock(b);
      removed++;
    }
    b = next;
  }
  return removed;
}
