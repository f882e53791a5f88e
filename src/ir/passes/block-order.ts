/**
 * Reverse postorder of the reachable blocks, straight from the terminators: for passes that need "definitions
 * before uses" (every block after its dominators) but no predecessor lists or dominator tree.
 */
import type { IrFunction } from '../function.js';
import { NONE } from '../ids.js';

/** Reachable blocks in reverse postorder (the entry first); unreachable blocks are left out. */
export function reversePostorder(func: IrFunction): Int32Array {
  const { dfg, layout } = func;
  const entry = layout.firstBlock;
  if (entry === NONE) return new Int32Array(0);
  const nb = dfg.numBlocks;
  const seen = new Uint8Array(nb);
  const stackBlock = new Int32Array(nb);
  const stackNext = new Int32Array(nb); // next destination index to follow
  const post = new Int32Array(nb);
  let nPost = 0;
  let sp = 0;
  stackBlock[sp] = entry;
  stackNext[sp++] = 0;
  seen[entry] = 1;
  while (sp > 0) {
    const b = stackBlock[sp - 1]!;
    const term = layout.lastInst(b);
    const k = stackNext[sp - 1]!;
    if (term !== NONE && k < dfg.numDests(term)) {
      stackNext[sp - 1] = k + 1;
      const d = dfg.destBlock(term, k);
      if (seen[d] === 0 && layout.isBlockInserted(d)) {
        seen[d] = 1;
        stackBlock[sp] = d;
        stackNext[sp++] = 0;
      }
    } else {
      post[nPost++] = b;
      sp--;
    }
  }
  const rpo = new Int32Array(nPost);
  for (let i = 0; i < nPost; i++) rpo[i] = post[nPost - 1 - i]!;
  return rpo;
}
