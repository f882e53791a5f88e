import { type RegAllocFunction } from './regalloc-types.js';
import { RegAllocError } from './regalloc-error.js';
import { type ScratchPool } from './regalloc-pool.js';

const K_LAYOUT = 0;
const K_LAYOUT_INDEX = 1;
const K_BLOCK_OF_INST = 2;
const K_LOOP_DEPTH = 3;
const K_LOOP_END = 4;
const K_DELTA = 5;
const K_EDGE_FILL = 6;
const K_EDGE_BUCKET = 7;
const K_LOOP_HEADER = 0;
const K_EDGE_AT_SUCC = 1;
const K_EDGE_KEYS_SUCCS = 0;
const K_EDGE_KEYS_PREDS = 1;

/**
 * What the allocator needs to know about the control-flow graph: the emission order of blocks, the block of each
 * instruction, loop depths (to keep spill code out of loops), and where each edge's moves go. Validates the shape
 * promised by `RegAllocFunction` (blocks tile the instruction range, succ/pred lists agree, critical edges split).
 */
export class AllocCfg {
  readonly numBlocks: number;
  readonly numInsts: number;
  readonly numEdges: number;
  /** Blocks in emission order, and each block's index in it. */
  readonly layout: Int32Array;
  readonly layoutIndex: Int32Array;
  readonly blockOfInst: Int32Array;
  /** Loop nesting depth of each block (loops are contiguous in the layout; a back edge goes to an earlier block). */
  readonly loopDepth: Int32Array;
  readonly isLoopHeader: Uint8Array;
  /**
   * Per edge (index succStart[b] + i): 1 when its moves go at the start of the successor (the successor has this one
   * predecessor), 0 when they go just before the predecessor's terminator (the predecessor has this one successor).
   */
  readonly edgeAtSuccStart: Uint8Array;

  constructor(fn: RegAllocFunction, pool: ScratchPool) {
    const nb = fn.numBlocks;
    const ni = fn.numInsts;
    this.numBlocks = nb;
    this.numInsts = ni;
    if (nb < 1) throw new RegAllocError('function has no blocks');
    requireLength('blockInstStart', fn.blockInstStart, nb);
    requireLength('blockInstEnd', fn.blockInstEnd, nb);
    requireLength('succStart', fn.succStart, nb + 1);
    requireLength('predStart', fn.predStart, nb + 1);
    requireLength('blockParamStart', fn.blockParamStart, nb + 1);
    requireLength('operandStart', fn.operandStart, ni + 1);
    requireLength('clobbers', fn.clobbers, ni);
    requireLength('instFlags', fn.instFlags, ni);
    requireLength('vregClass', fn.vregClass, fn.numVRegs);
    requireLength('rematInst', fn.rematInst, fn.numVRegs);
    const numEdges = fn.succStart[nb];
    this.numEdges = numEdges;
    requireLength('succs', fn.succs, numEdges);
    requireLength('preds', fn.preds, fn.predStart[nb]);
    requireLength('branchArgStart', fn.branchArgStart, numEdges + 1);
    requireLength('branchArgs', fn.branchArgs, fn.branchArgStart[numEdges]);
    requireLength('blockParams', fn.blockParams, fn.blockParamStart[nb]);
    requireLength('operands', fn.operands, fn.operandStart[ni]);
    if (fn.predStart[nb] !== numEdges) {
      throw new RegAllocError(`${fn.predStart[nb]} predecessor entries but ${numEdges} successor entries`);
    }

    this.layout = computeLayout(fn, pool.int32(K_LAYOUT, nb));
    this.layoutIndex = pool.int32(K_LAYOUT_INDEX, nb);
    this.blockOfInst = pool.int32(K_BLOCK_OF_INST, ni);
    let nextInst = 0;
    for (let li = 0; li < nb; li++) {
      const b = this.layout[li];
      this.layoutIndex[b] = li;
      const start = fn.blockInstStart[b];
      const end = fn.blockInstEnd[b];
      if (start !== nextInst || end <= start || end > ni) {
        throw new RegAllocError(
          `block${b} covers instructions [${start}, ${end}): blocks must be non-empty and tile [0, ${ni}) without gaps`,
        );
      }
      for (let i = start; i < end; i++) this.blockOfInst[i] = b; // blocks are short: a loop beats fill()'s call
      nextInst = end;
    }
    if (nextInst !== ni) throw new RegAllocError(`blocks cover instructions [0, ${nextInst}) of ${ni}`);

    this.checkEdges(fn, pool);
    this.edgeAtSuccStart = this.placeEdgeMoves(fn, pool.uint8Fill(K_EDGE_AT_SUCC, this.numEdges, 0));
    this.loopDepth = pool.int32(K_LOOP_DEPTH, nb);
    this.isLoopHeader = pool.uint8Fill(K_LOOP_HEADER, nb, 0);
    this.computeLoopDepth(fn, pool);
  }

  private checkEdges(fn: RegAllocFunction, pool: ScratchPool): void {
    const nb = fn.numBlocks;
    for (let b = 0; b < nb; b++) {
      if (fn.succStart[b + 1] < fn.succStart[b] || fn.predStart[b + 1] < fn.predStart[b]) {
        throw new RegAllocError(`block${b}: succStart/predStart are not monotone`);
      }
      if (fn.blockParamStart[b + 1] < fn.blockParamStart[b]) {
        throw new RegAllocError(`block${b}: blockParamStart is not monotone`);
      }
    }
    if (fn.blockParamStart[1] !== fn.blockParamStart[0]) {
      throw new RegAllocError(
        'block0 (entry) has block parameters: incoming arguments must be defined by an instruction with fixed defs',
      );
    }
    if (!this.predsMatchSuccs(fn, pool)) this.compareEdgeMultisets(fn, pool);
    for (let b = 0; b < nb; b++) {
      for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
        const s = fn.succs[e];
        const numArgs = fn.branchArgStart[e + 1] - fn.branchArgStart[e];
        const numParams = fn.blockParamStart[s + 1] - fn.blockParamStart[s];
        if (numArgs !== numParams) {
          throw new RegAllocError(`edge block${b} → block${s} passes ${numArgs} args to ${numParams} block params`);
        }
      }
    }
  }

  /**
   * Fast path of the edge check, linear: do the pred lists hold exactly the succ lists' edges, each block's preds in
   * increasing block order (as producers build them)? Also range-checks every successor.
   */
  private predsMatchSuccs(fn: RegAllocFunction, pool: ScratchPool): boolean {
    const nb = fn.numBlocks;
    const predStart = fn.predStart;
    const fill = pool.int32(K_EDGE_FILL, nb);
    for (let s = 0; s < nb; s++) fill[s] = predStart[s];
    const bucket = pool.int32(K_EDGE_BUCKET, fn.succStart[nb]);
    for (let b = 0; b < nb; b++) {
      for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
        const s = fn.succs[e];
        if (s < 0 || s >= nb) throw new RegAllocError(`block${b}: successor ${s} out of range`);
        if (fill[s] === predStart[s + 1]) return false;
        bucket[fill[s]++] = b;
      }
    }
    const preds = fn.preds;
    for (let s = 0; s < nb; s++) {
      if (fill[s] !== predStart[s + 1]) return false;
      for (let q = predStart[s]; q < predStart[s + 1]; q++) if (bucket[q] !== preds[q]) return false;
    }
    return true;
  }

  /** The edge check in general (throws on a mismatch): succs and preds must list the same (pred, succ) multiset. */
  private compareEdgeMultisets(fn: RegAllocFunction, pool: ScratchPool): void {
    const nb = fn.numBlocks;
    // The (pred, succ) pairs listed by succs and by preds must be the same multiset: compare them sorted
    // (a join of a big br_table has thousands of predecessors, so no per-edge scan of pred lists).
    const numEdges = fn.succStart[nb];
    const fromSuccs = pool.float64Fill(K_EDGE_KEYS_SUCCS, numEdges, 0).subarray(0, numEdges);
    const fromPreds = pool.float64Fill(K_EDGE_KEYS_PREDS, numEdges, 0).subarray(0, numEdges);
    for (let b = 0, k = 0; b < nb; b++) {
      for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
        const s = fn.succs[e];
        if (s < 0 || s >= nb) throw new RegAllocError(`block${b}: successor ${s} out of range`);
        fromSuccs[k++] = s * nb + b;
      }
    }
    for (let s = 0, k = 0; s < nb; s++) {
      for (let q = fn.predStart[s]; q < fn.predStart[s + 1]; q++) {
        const p = fn.preds[q];
        if (p < 0 || p >= nb) throw new RegAllocError(`block${s}: predecessor ${p} out of range`);
        fromPreds[k++] = s * nb + p;
      }
    }
    fromSuccs.sort();
    fromPreds.sort();
    for (let k = 0; k < numEdges; k++) {
      if (fromSuccs[k] !== fromPreds[k]) {
        const key = Math.min(fromSuccs[k], fromPreds[k]);
        const s = Math.floor(key / nb);
        throw new RegAllocError(`edge block${key - s * nb} → block${s} is listed in succs or preds but not both`);
      }
    }
  }

  private placeEdgeMoves(fn: RegAllocFunction, atSuccStart: Uint8Array): Uint8Array {
    for (let b = 0; b < fn.numBlocks; b++) {
      const numSuccs = fn.succStart[b + 1] - fn.succStart[b];
      for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
        const s = fn.succs[e];
        const numPreds = fn.predStart[s + 1] - fn.predStart[s];
        if (numPreds === 1 && s !== 0) {
          atSuccStart[e] = 1;
          continue;
        }
        if (numSuccs !== 1) {
          throw new RegAllocError(
            `critical edge block${b} → block${s} (block${b} has ${numSuccs} successors, block${s} has ` +
              `${numPreds} predecessors${s === 0 ? ' and is the entry' : ''}): split it with an empty block`,
          );
        }
        // Moves go before the terminator; generateMoves keeps the terminator's operands out of their way.
      }
    }
    return atSuccStart;
  }

  private computeLoopDepth(fn: RegAllocFunction, pool: ScratchPool): void {
    const nb = fn.numBlocks;
    // A back edge b → h (h not after b in the layout) closes the loop occupying layout slots [h, b].
    const loopEnd = pool.int32Fill(K_LOOP_END, nb, -1);
    const cold = fn.blockCold;
    for (let b = 0; b < nb; b++) {
      // A cold block laid out at the end that jumps back into hot code (an out-of-fuel call returning) is no loop.
      if (cold !== undefined && cold[b] === 1) continue;
      const lb = this.layoutIndex[b];
      for (let e = fn.succStart[b]; e < fn.succStart[b + 1]; e++) {
        const h = fn.succs[e];
        const lh = this.layoutIndex[h];
        if (lh <= lb) {
          this.isLoopHeader[h] = 1;
          if (lb > loopEnd[lh]) loopEnd[lh] = lb;
        }
      }
    }
    const delta = pool.int32Fill(K_DELTA, nb + 1, 0);
    for (let lh = 0; lh < nb; lh++) {
      if (loopEnd[lh] >= 0) {
        delta[lh]++;
        delta[loopEnd[lh] + 1]--;
      }
    }
    let depth = 0;
    for (let li = 0; li < nb; li++) {
      depth += delta[li];
      const b = this.layout[li];
      this.loopDepth[b] = cold !== undefined && cold[b] === 1 ? 0 : depth;
    }
  }

  /** Is `pos` the first position of a block? */
  isBlockStart(pos: number, fn: RegAllocFunction): boolean {
    if ((pos & 3) !== 0) return false;
    const inst = pos >> 2;
    return inst < this.numInsts && fn.blockInstStart[this.blockOfInst[inst]] === inst;
  }
}

function requireLength(name: string, array: ArrayLike<number>, min: number): void {
  if (array.length < min) throw new RegAllocError(`${name} has length ${array.length}, expected at least ${min}`);
}

function computeLayout(fn: RegAllocFunction, layout: Int32Array): Int32Array {
  const nb = fn.numBlocks;
  let sorted = true;
  for (let b = 0; b < nb; b++) {
    layout[b] = b;
    if (b > 0 && fn.blockInstStart[b] < fn.blockInstStart[b - 1]) sorted = false;
  }
  if (!sorted) {
    const order = Array.from(layout.subarray(0, nb));
    order.sort((a, b) => fn.blockInstStart[a] - fn.blockInstStart[b]);
    layout.set(order);
  }
  return layout;
}
