import { OperandConstraint, OperandKind, pointAfter, pointBefore, type RegAllocFunction } from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { type IntervalStore } from './regalloc-intervals.js';
import { type ChildLocator, PRIO_DEF_COPY, PRIO_DEF_STORE, PRIO_PARAM_STORE, type RawMoves } from './regalloc-moves.js';
import { INST_SPECIAL_USE, type OperandInfo } from './regalloc-operands.js';
import { type ScratchPool } from './regalloc-pool.js';
import { LOC_STACK } from './regalloc-positions.js';

/** Relative execution frequency of code at loop depth d (each loop level counts 8×). */
function depthWeight(depth: number): number {
  return Math.pow(8, depth < 10 ? depth : 10);
}

/**
 * Spill stores and spill slots.
 *
 * Store placement: a value is SSA, so once its slot holds it, every later store of the same value into that slot is
 * redundant as long as the slot stays reserved. For each spilled vreg the allocator compares the weighted cost of
 * the stores the split moves need (reg → slot, at splits, edges and stack-use fixups) against one store right after
 * the definition; when the definition wins (or the value is defined straight into its slot), those stores are
 * dropped and the slot is reserved over the vreg's whole lifetime. Otherwise the slot is reserved over the hull of
 * the vreg's stack-located pieces, each entered through a store.
 *
 * Slot assignment: each spilled vreg reserves its slot over the hull of its stack-located pieces (from the definition
 * when stored there). Hulls are scheduled greedily by start; a slot whose previous hull has ended is reused. Slots are
 * 8 bytes and class-agnostic, so int and float values share them.
 */
export class SpillSlots {
  /** Slot of each vreg, -1 if it never lives in memory. */
  readonly slotOf: Int32Array;
  readonly numSlots: number;

  constructor(
    fn: RegAllocFunction,
    cfg: AllocCfg,
    ops: OperandInfo,
    iv: IntervalStore,
    locator: ChildLocator,
    moves: RawMoves,
    pool: ScratchPool,
  ) {
    const nv = fn.numVRegs;
    const hullStart = pool.int32Fill(90, nv, 0x7fffffff);
    const hullEnd = pool.int32Fill(91, nv, -1);
    const lifetimeEnd = pool.int32Fill(92, nv, 0);
    for (let i = 0; i < iv.count; i++) {
      const v = iv.vreg[i];
      if (iv.end[i] > lifetimeEnd[v]) lifetimeEnd[v] = iv.end[i];
      if (iv.loc[i] !== LOC_STACK) continue;
      if (iv.start[i] < hullStart[v]) hullStart[v] = iv.start[i];
      if (iv.end[i] > hullEnd[v]) hullEnd[v] = iv.end[i];
    }
    for (let i = 0; i < fn.numInsts; i++) {
      if ((ops.instSpecial[i] & INST_SPECIAL_USE) === 0) continue; // no stack use here
      for (let j = fn.operandStart[i]; j < fn.operandStart[i + 1]; j++) {
        const op = fn.operands[j];
        if (((op >>> 20) & 3) !== OperandKind.Use || ops.opConstraint[j] !== OperandConstraint.Stack) continue;
        const v = op & 0xfffff;
        if (4 * i < hullStart[v]) hullStart[v] = 4 * i;
        if (4 * i + 4 > hullEnd[v]) hullEnd[v] = 4 * i + 4;
      }
    }

    // Weighted cost of the stores each vreg needs where it is split into memory.
    const storeCost = pool.float64Fill(90, nv, 0);
    const n = moves.length;
    const point = moves.point.data;
    const fromLoc = moves.fromLoc.data;
    const fromVReg = moves.fromVReg.data;
    const toLoc = moves.toLoc.data;
    const toVReg = moves.toVReg.data;
    const prio = moves.prio.data;
    // A copy out of a fixed def register writes the definition itself: it is never a redundant store.
    const isStore = (m: number): boolean =>
      toLoc[m] === LOC_STACK &&
      fromLoc[m] < LOC_STACK &&
      fromVReg[m] === toVReg[m] &&
      !((point[m] & 1) === 1 && prio[m] === PRIO_DEF_COPY);
    for (let m = 0; m < n; m++) {
      if (!isStore(m)) continue;
      storeCost[fromVReg[m]] += depthWeight(cfg.loopDepth[cfg.blockOfInst[point[m] >> 1]]);
    }
    const storeAtDef = pool.uint8Fill(90, nv, 0);
    for (let v = 0; v < nv; v++) {
      if (hullEnd[v] < 0) continue;
      const defPos = ops.defPos[v];
      const defLoc = locator.locAt(v, defPos);
      if (defLoc === LOC_STACK) {
        storeAtDef[v] = 1; // defined in its slot: every later store is redundant
      } else if (defLoc < LOC_STACK && storeCost[v] > 0) {
        const defWeight = depthWeight(cfg.loopDepth[ops.defBlock[v]]);
        if (defWeight > storeCost[v]) continue;
        storeAtDef[v] = 1;
        if (ops.isParam[v]) {
          moves.add(pointBefore(fn.blockInstStart[ops.defBlock[v]]), PRIO_PARAM_STORE, defLoc, v, LOC_STACK, v);
        } else {
          moves.add(pointAfter(ops.defInst[v]), PRIO_DEF_STORE, defLoc, v, LOC_STACK, v);
        }
      } else {
        continue;
      }
      // The dropped stores rely on the slot holding v on every path from the definition: reserve it for v's
      // whole lifetime (every point on such a path is live for v).
      hullStart[v] = defPos;
      if (lifetimeEnd[v] > hullEnd[v]) hullEnd[v] = lifetimeEnd[v];
    }
    // Drop the now redundant stores (the def stores just added sit at indices >= n and stay).
    const dropped = moves.dropped.data;
    for (let m = 0; m < n; m++) if (isStore(m) && storeAtDef[toVReg[m]]) dropped[m] = 1;

    // Greedy slot scheduling over hulls sorted by start.
    let count = 0;
    for (let v = 0; v < nv; v++) if (hullEnd[v] >= 0) count++;
    const order = pool.float64Fill(91, count, 0).subarray(0, count);
    for (let v = 0, k = 0; v < nv; v++) if (hullEnd[v] >= 0) order[k++] = hullStart[v] * 0x100000 + v;
    order.sort();
    this.slotOf = pool.int32Fill(93, nv, -1);
    const heapEnd = pool.int32(94, count);
    const heapSlot = pool.int32(95, count);
    let heapSize = 0;
    let numSlots = 0;
    for (let k = 0; k < count; k++) {
      const v = order[k] % 0x100000;
      let slot: number;
      if (heapSize > 0 && heapEnd[0] <= hullStart[v]) {
        slot = heapSlot[0];
        heapSize = heapPop(heapEnd, heapSlot, heapSize);
      } else {
        slot = numSlots++;
      }
      this.slotOf[v] = slot;
      heapSize = heapPush(heapEnd, heapSlot, heapSize, hullEnd[v], slot);
    }
    this.numSlots = numSlots;
  }
}

function heapPush(keys: Int32Array, vals: Int32Array, size: number, key: number, val: number): number {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (keys[parent] <= key) break;
    keys[i] = keys[parent];
    vals[i] = vals[parent];
    i = parent;
  }
  keys[i] = key;
  vals[i] = val;
  return size + 1;
}

function heapPop(keys: Int32Array, vals: Int32Array, size: number): number {
  const n = size - 1;
  const key = keys[n];
  const val = vals[n];
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && keys[c + 1] < keys[c]) c++;
    if (key <= keys[c]) break;
    keys[i] = keys[c];
    vals[i] = vals[c];
    i = c;
  }
  keys[i] = key;
  vals[i] = val;
  return n;
}
