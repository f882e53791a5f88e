import { type RegAllocFunction } from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { RegAllocError } from './regalloc-error.js';
import { type OperandInfo } from './regalloc-operands.js';
import { type ScratchPool } from './regalloc-pool.js';

const K_LIVE_IN_MARK = 40, K_LIVE_OUT_MARK = 41, K_TOUCH_MARK = 42, K_USE_MARK = 43, K_USE_END = 44;
const K_TOUCHED = 45, K_WORK = 46, K_RANGE_OF = 47, K_LIVE_IN_START = 48, K_LIVE_IN_FILL = 49, K_LIVE_IN = 50;
const K_SORT_KEYS = 51;
const K_LIVE_IN_PAIR_START = 52;
const EMPTY = new Int32Array(0);
const K_VEC_STARTS = 20, K_VEC_ENDS = 21, K_VEC_LIVE_IN_BLOCK = 22;

/**
 * Live ranges of every vreg over allocator positions, and the vregs live into each block.
 *
 * Computed per vreg by walking backwards from each use to the definition (the SSA path-exploration method of
 * Brandner et al., "Computing Liveness Sets for SSA-Form Programs"): a use outside the def block makes the vreg live
 * into that block and out of each predecessor, recursively, stopping at the def block. The cost is proportional to the
 * size of the liveness sets, and memory is O(blocks) scratch rather than a bit matrix of blocks × vregs.
 * Ranges come out sorted and merged (adjacent blocks in the layout join into one range).
 */
export class LiveRanges {
  /** Ranges of vreg v: indices rangeOf[v] .. rangeOf[v+1]-1 into rangeStart/rangeEnd. */
  readonly rangeOf: Int32Array;
  readonly rangeStart: Int32Array;
  readonly rangeEnd: Int32Array;
  /**
   * The blocks each vreg is live into (params of the block excluded), vreg by vreg:
   * liveInPairBlock[liveInPairStart[v] .. liveInPairStart[v+1]-1].
   */
  readonly liveInPairStart: Int32Array;
  readonly liveInPairBlock: Int32Array;
  /**
   * The same by block, built on demand by `bucketByBlock` (only edge moves guarded at a terminator need it): vregs
   * live into block b, in increasing order, are liveIn[liveInStart[b] .. liveInStart[b+1]-1].
   */
  liveInStart: Int32Array = EMPTY;
  liveIn: Int32Array = EMPTY;
  private bucketed = false;
  private readonly numBlocks: number;
  private readonly numVRegs: number;
  private readonly pool: ScratchPool;

  constructor(fn: RegAllocFunction, cfg: AllocCfg, ops: OperandInfo, pool: ScratchPool) {
    const nv = fn.numVRegs;
    const nb = fn.numBlocks;
    const liveInMark = pool.int32Fill(K_LIVE_IN_MARK, nb, -1);
    const liveOutMark = pool.int32Fill(K_LIVE_OUT_MARK, nb, -1);
    const touchMark = pool.int32Fill(K_TOUCH_MARK, nb, -1);
    const useMark = pool.int32Fill(K_USE_MARK, nb, -1);
    const useEnd = pool.int32(K_USE_END, nb);
    const touched = pool.int32(K_TOUCHED, nb);
    const work = pool.int32(K_WORK, nb);
    const rangeOf = pool.int32(K_RANGE_OF, nv + 1);
    const starts = pool.vec(K_VEC_STARTS);
    const ends = pool.vec(K_VEC_ENDS);
    const liveInBlock = pool.vec(K_VEC_LIVE_IN_BLOCK);
    const pairStart = pool.int32(K_LIVE_IN_PAIR_START, nv + 1);
    starts.reserve(nv * 2 + 16);
    ends.reserve(nv * 2 + 16);
    const blockOfInst = cfg.blockOfInst;
    const layoutIndex = cfg.layoutIndex;
    const layout = cfg.layout;
    const blockStart = fn.blockInstStart;
    const blockEnd = fn.blockInstEnd;
    const preds = fn.preds;
    const predStart = fn.predStart;

    const defPosOf = ops.defPos;
    const defBlockOf = ops.defBlock;
    const entryStart = ops.entryStart;
    const entryPos = ops.entryPos;
    const entryEnd = ops.entryEnd;

    for (let v = 0; v < nv; v++) {
      rangeOf[v] = starts.length;
      pairStart[v] = liveInBlock.length;
      const defPos = defPosOf[v];
      if (defPos < 0) continue;
      const defBlock = defBlockOf[v];
      const es0 = entryStart[v];
      const ee0 = entryStart[v + 1];
      // Fast path: a temporary used only in its defining block is one range [def, last use). (Blocks tile the
      // instructions, so "in the def block at or after the def" is a bounds check.)
      const defBlockEnd = 4 * blockEnd[defBlock];
      let local = true;
      let localEnd = defPos + 1;
      for (let k = es0; k < ee0; k++) {
        const pos = entryPos[k];
        if (pos < defPos || pos >= defBlockEnd) {
          local = false;
          break;
        }
        if (entryEnd[k] > localEnd) localEnd = entryEnd[k];
      }
      if (local) {
        starts.push(defPos);
        ends.push(localEnd);
        continue;
      }
      let numTouched = 0;
      touchMark[defBlock] = v;
      touched[numTouched++] = defBlock;
      const es = ops.entryStart[v];
      const ee = ops.entryStart[v + 1];
      for (let k = es; k < ee; k++) {
        const pos = ops.entryPos[k];
        const b = blockOfInst[pos >> 2];
        if (useMark[b] !== v) {
          useMark[b] = v;
          useEnd[b] = ops.entryEnd[k];
          if (touchMark[b] !== v) {
            touchMark[b] = v;
            touched[numTouched++] = b;
          }
        } else if (ops.entryEnd[k] > useEnd[b]) {
          useEnd[b] = ops.entryEnd[k];
        }
        if (b === defBlock) {
          if (pos < defPos) throw new RegAllocError(`v${v} is used at inst ${pos >> 2} before its definition`);
          continue;
        }
        if (liveInMark[b] === v) continue;
        // Walk backwards from b marking live-in/live-out until the def block.
        let top = 0;
        work[top++] = b;
        while (top > 0) {
          const x = work[--top];
          if (liveInMark[x] === v) continue;
          liveInMark[x] = v;
          if (touchMark[x] !== v) {
            touchMark[x] = v;
            touched[numTouched++] = x;
          }
          liveInBlock.push(x);
          if (x === 0) {
            throw new RegAllocError(
              `v${v} is live into the entry block: its definition (block${defBlock}) ` +
                `does not dominate its use at inst ${pos >> 2}`,
            );
          }
          // A block without predecessors is unreachable: nothing flows into it, so the walk ends there.
          for (let q = predStart[x]; q < predStart[x + 1]; q++) {
            const p = preds[q];
            if (liveOutMark[p] !== v) {
              liveOutMark[p] = v;
              if (touchMark[p] !== v) {
                touchMark[p] = v;
                touched[numTouched++] = p;
              }
            }
            if (p !== defBlock && liveInMark[p] !== v) work[top++] = p;
          }
        }
      }
      if (numTouched > 16 && numTouched * 16 >= nb) {
        // Live across much of the function (the VMContext, the fuel counter): collecting the marked blocks in one
        // pass over the layout beats sorting them.
        numTouched = 0;
        for (let li = 0; li < nb; li++) {
          const b = layout[li];
          if (touchMark[b] === v) touched[numTouched++] = b;
        }
      } else {
        sortByLayout(touched, numTouched, layoutIndex, layout, pool);
      }
      let lastEnd = -1;
      for (let t = 0; t < numTouched; t++) {
        const b = touched[t];
        const from = liveInMark[b] === v ? 4 * blockStart[b] : defPos;
        let to: number;
        if (liveOutMark[b] === v) to = 4 * blockEnd[b];
        else if (useMark[b] === v) to = useEnd[b];
        else throw new RegAllocError(`internal: v${v} touched block${b} without being live there`);
        if (from === lastEnd) {
          ends.data[ends.length - 1] = to;
        } else {
          starts.push(from);
          ends.push(to);
        }
        lastEnd = to;
      }
    }
    rangeOf[nv] = starts.length;
    this.rangeOf = rangeOf;
    this.rangeStart = starts.data;
    this.rangeEnd = ends.data;

    pairStart[nv] = liveInBlock.length;
    this.liveInPairStart = pairStart;
    this.liveInPairBlock = liveInBlock.data;
    this.numBlocks = nb;
    this.numVRegs = nv;
    this.pool = pool;
  }

  /** Fill `liveInStart` / `liveIn` (once per function). */
  bucketByBlock(): void {
    if (this.bucketed) return;
    this.bucketed = true;
    const nb = this.numBlocks;
    const nv = this.numVRegs;
    const pool = this.pool;
    const pairStart = this.liveInPairStart;
    const pairBlock = this.liveInPairBlock;
    const n = pairStart[nv];
    const liveInStart = pool.int32Fill(K_LIVE_IN_START, nb + 1, 0);
    for (let k = 0; k < n; k++) liveInStart[pairBlock[k] + 1]++;
    for (let b = 0; b < nb; b++) liveInStart[b + 1] += liveInStart[b];
    const fill = pool.int32(K_LIVE_IN_FILL, nb);
    fill.set(liveInStart.subarray(0, nb));
    const liveIn = pool.int32(K_LIVE_IN, n);
    for (let v = 0; v < nv; v++) {
      for (let k = pairStart[v]; k < pairStart[v + 1]; k++) liveIn[fill[pairBlock[k]]++] = v;
    }
    this.liveInStart = liveInStart;
    this.liveIn = liveIn;
  }
}

/** Sort the first n blocks of `blocks` by layout index (insertion sort when short, typed-array sort otherwise). */
function sortByLayout(
  blocks: Int32Array,
  n: number,
  layoutIndex: Int32Array,
  layout: Int32Array,
  pool: ScratchPool,
): void {
  if (n <= 16) {
    for (let i = 1; i < n; i++) {
      const b = blocks[i];
      const key = layoutIndex[b];
      let j = i - 1;
      while (j >= 0 && layoutIndex[blocks[j]] > key) {
        blocks[j + 1] = blocks[j];
        j--;
      }
      blocks[j + 1] = b;
    }
    return;
  }
  const keys = pool.int32(K_SORT_KEYS, n).subarray(0, n);
  for (let i = 0; i < n; i++) keys[i] = layoutIndex[blocks[i]];
  keys.sort();
  for (let i = 0; i < n; i++) blocks[i] = layout[keys[i]];
}
