// Block order for emission: reverse postorder, with every loop's blocks contiguous (a nested loop is laid out as one
// unit where its header falls), and cold blocks (trap and out-of-fuel paths, `cold` in the IR) moved to the end.
// Contiguous loops keep the hot loop body together and let the register allocator see a loop as one layout range.

import { type DominatorTree, type IrFunction, type LoopAnalysis, NONE } from '../ir/index.js';
import { I32Buf, U8Buf } from './inst-store.js';

/** Buffers a Lowerer keeps for computeBlockOrder (new typed arrays per function cost more than the ordering). */
export class BlockOrderScratch {
  readonly order = new I32Buf();
  readonly result = new I32Buf();
  readonly emitted = new U8Buf();
}

/** Reachable IR blocks in emission order (a view of `scratch` when given: valid until its next use). */
export function computeBlockOrder(
  func: IrFunction,
  domtree: DominatorTree,
  loops: LoopAnalysis,
  scratch: BlockOrderScratch = new BlockOrderScratch(),
): Int32Array {
  const rpo = domtree.rpo;
  const nb = func.dfg.numBlocks;
  const numLoops = loops.numLoops;
  const dfg = func.dfg;
  let n = 0;
  if (numLoops === 0) {
    // No loops: reverse postorder, cold blocks moved last (the common case, done in one buffer).
    const result = scratch.result.view(rpo.length);
    let k = 0;
    for (let i = 0; i < rpo.length; i++) if (i === 0 || !dfg.isCold(rpo[i])) result[k++] = rpo[i];
    for (let i = 1; i < rpo.length; i++) if (dfg.isCold(rpo[i])) result[k++] = rpo[i];
    return result;
  }
  const order = scratch.order.array(rpo.length);
  {
    // Blocks of each loop in RPO (a block is listed in every loop that contains it).
    const loopBlocks: number[][] = [];
    for (let l = 0; l < numLoops; l++) loopBlocks.push([]);
    for (let i = 0; i < rpo.length; i++) {
      const b = rpo[i];
      for (let l = loops.loopOf(b); l !== NONE; l = loops.parent(l)) loopBlocks[l].push(b);
    }
    const emitted = scratch.emitted.array(nb, 0);
    // An explicit stack of (region, position) instead of recursion: deep loop nests cannot overflow the JS stack.
    const stackLoop: number[] = [NONE];
    const stackPos: number[] = [0];
    while (stackLoop.length > 0) {
      const top = stackLoop.length - 1;
      const region = stackLoop[top];
      const blocks = region === NONE ? rpo : loopBlocks[region];
      const pos = stackPos[top];
      if (pos >= blocks.length) {
        stackLoop.pop();
        stackPos.pop();
        continue;
      }
      stackPos[top] = pos + 1;
      const b = blocks[pos];
      if (emitted[b] === 1) continue;
      const l = loops.loopOf(b);
      if (l === region) {
        emitted[b] = 1;
        order[n++] = b;
        continue;
      }
      // b lies in a loop nested in this region: lay out that child loop (whose header is b) as one unit.
      let child = l;
      while (loops.parent(child) !== region) child = loops.parent(child);
      stackPos[top] = pos; // revisit b after the child region (it will be marked emitted by then)
      stackLoop.push(child);
      stackPos.push(0);
    }
  }
  // Cold blocks last (the entry stays first even if marked cold), keeping the relative order of both groups.
  const result = scratch.result.view(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (i === 0 || !dfg.isCold(order[i])) result[k++] = order[i];
  for (let i = 1; i < n; i++) if (dfg.isCold(order[i])) result[k++] = order[i];
  return result;
}
