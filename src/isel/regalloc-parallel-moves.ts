import {
  allocIndex,
  allocIsReg,
  allocIsStack,
  allocReg,
  allocStack,
  EDIT_MOVE,
  EDIT_REMAT,
  type RegAllocFunction,
} from './regalloc-types.js';
import { RegAllocError } from './regalloc-error.js';
import { type IntVec } from './regalloc-int-vec.js';
import { NUM_PRIOS, type RawMoves } from './regalloc-moves.js';
import { type OperandInfo } from './regalloc-operands.js';
import { type ScratchPool } from './regalloc-pool.js';
import { LOC_REMAT, LOC_STACK } from './regalloc-positions.js';
import { type SpillSlots } from './regalloc-spill-slots.js';

/** The allocator's output edits, appended in program-point order. */
export class EditList {
  readonly point: IntVec;
  readonly from: IntVec;
  readonly to: IntVec;
  readonly cls: IntVec;
  readonly kind: IntVec;

  constructor(pool: ScratchPool) {
    this.point = pool.vec(50);
    this.from = pool.vec(51);
    this.to = pool.vec(52);
    this.cls = pool.vec(53);
    this.kind = pool.vec(54);
  }

  push(point: number, from: number, to: number, cls: number, kind: number): void {
    this.point.push(point);
    this.from.push(from);
    this.to.push(to);
    this.cls.push(cls);
    this.kind.push(kind);
  }

  get length(): number {
    return this.point.length;
  }
}

/**
 * Turns one parallel move (all sources read, then all destinations written) into sequential moves. Moves whose
 * destination no pending move still reads go first; when only cycles remain, one destination's old value is saved
 * in the scratch register of its class and its readers read the scratch instead, which opens the cycle into a chain.
 * Stack-to-stack moves go through a scratch register (the other class's if a cycle holds this one: slots are 8 bytes
 * either way). Rematerialisations run last, since they read nothing but may overwrite a source.
 */
export class ParallelMoveResolver {
  private readonly from: IntVec;
  private readonly to: IntVec;
  private readonly cls: IntVec;
  private readonly rematInst: IntVec;
  private readonly rematTo: IntVec;
  private readonly rematCls: IntVec;
  private readonly readCount: Int32Array;
  private readonly dstOwner: Int32Array;
  private readonly done: Int32Array;
  private readonly busy: Int32Array;

  constructor(
    private readonly scratch: readonly [number, number],
    numSlots: number,
    maxGroupSize: number,
    pool: ScratchPool,
  ) {
    this.from = pool.vec(55);
    this.to = pool.vec(56);
    this.cls = pool.vec(57);
    this.rematInst = pool.vec(58);
    this.rematTo = pool.vec(59);
    this.rematCls = pool.vec(60);
    this.readCount = pool.int32Fill(103, 32 + numSlots, 0);
    this.dstOwner = pool.int32Fill(104, 32 + numSlots, -1);
    this.done = pool.int32(105, maxGroupSize);
    this.busy = pool.int32Fill(106, 2, 0);
  }

  addMove(from: number, to: number, cls: number): void {
    if (from === to) return;
    this.from.push(from);
    this.to.push(to);
    this.cls.push(cls);
  }

  addRemat(inst: number, to: number, cls: number): void {
    for (let k = 0; k < this.rematTo.length; k++) {
      if (this.rematTo.data[k] !== to) continue;
      if (this.rematInst.data[k] === inst) return;
      throw new RegAllocError(`internal: two remats write ${describe(to)}`);
    }
    this.rematInst.push(inst);
    this.rematTo.push(to);
    this.rematCls.push(cls);
  }

  /** Emit the pending parallel move as sequential edits at `point`, then forget it. */
  flush(point: number, out: EditList): void {
    const from = this.from.data;
    const to = this.to.data;
    const cls = this.cls.data;
    const readCount = this.readCount;
    const dstOwner = this.dstOwner;
    // Drop exact duplicates (two fixed uses of one vreg in one register); distinct writers of one place are a bug.
    let n = 0;
    for (let m = 0; m < this.from.length; m++) {
      const key = keyOf(to[m]);
      const owner = dstOwner[key];
      if (owner >= 0) {
        if (from[owner] === from[m]) continue;
        throw new RegAllocError(`internal: two moves write ${describe(to[m])} at program point ${point}`);
      }
      dstOwner[key] = n;
      from[n] = from[m];
      to[n] = to[m];
      cls[n] = cls[m];
      n++;
    }
    const done = this.done;
    for (let m = 0; m < n; m++) {
      readCount[keyOf(from[m])]++;
      done[m] = 0;
    }
    let remaining = n;
    while (remaining > 0) {
      let progressed = false;
      for (let m = 0; m < n; m++) {
        if (done[m] || readCount[keyOf(to[m])] !== 0) continue;
        this.emitMove(point, from[m], to[m], cls[m], out);
        done[m] = 1;
        readCount[keyOf(from[m])]--;
        remaining--;
        progressed = true;
      }
      if (progressed || remaining === 0) continue;
      // Only cycles are left: save one destination's current value in a scratch register.
      let m = 0;
      while (done[m]) m++;
      const saved = to[m];
      let c = -1;
      for (let r = 0; r < n; r++) {
        if (!done[r] && from[r] === saved) {
          c = cls[r];
          break;
        }
      }
      if (c < 0 || this.busy[c] > 0) throw new RegAllocError(`internal: cannot break move cycle at point ${point}`);
      const tmp = allocReg(this.scratch[c]);
      out.push(point, saved, tmp, c, EDIT_MOVE);
      for (let r = 0; r < n; r++) {
        if (done[r] || from[r] !== saved) continue;
        from[r] = tmp;
        readCount[keyOf(saved)]--;
        readCount[keyOf(tmp)]++;
        this.busy[c]++;
      }
    }
    for (let k = 0; k < this.rematInst.length; k++) {
      const target = this.rematTo.data[k];
      if (dstOwner[keyOf(target)] >= 0) {
        throw new RegAllocError(`internal: remat and move both write ${describe(target)}`);
      }
    }
    for (let m = 0; m < n; m++) {
      dstOwner[keyOf(to[m])] = -1;
      readCount[keyOf(from[m])] = 0;
    }
    for (let k = 0; k < this.rematInst.length; k++) {
      const target = this.rematTo.data[k];
      const c = this.rematCls.data[k];
      if (allocIsReg(target)) {
        out.push(point, this.rematInst.data[k], target, c, EDIT_REMAT);
      } else {
        const tmp = allocReg(this.scratch[c]);
        out.push(point, this.rematInst.data[k], tmp, c, EDIT_REMAT);
        out.push(point, tmp, target, c, EDIT_MOVE);
      }
    }
    this.from.clear();
    this.to.clear();
    this.cls.clear();
    this.rematInst.clear();
    this.rematTo.clear();
    this.rematCls.clear();
  }

  private emitMove(point: number, f: number, t: number, c: number, out: EditList): void {
    if (allocIsStack(f) && allocIsStack(t)) {
      const tc = this.busy[c] > 0 ? 1 - c : c;
      if (this.busy[tc] > 0) throw new RegAllocError(`internal: no scratch register free at point ${point}`);
      const tmp = allocReg(this.scratch[tc]);
      out.push(point, f, tmp, tc, EDIT_MOVE);
      out.push(point, tmp, t, tc, EDIT_MOVE);
    } else {
      out.push(point, f, t, c, EDIT_MOVE);
    }
    if (allocIsReg(f) && allocIndex(f) === this.scratch[c]) this.busy[c]--;
  }
}

/** Moves per function the sort key has room for (2^21). */
const MAX_SORTED_MOVES = 0x200000;
const K_SORT_KEYS = 100;

function keyOf(alloc: number): number {
  return allocIsReg(alloc) ? allocIndex(alloc) : 32 + allocIndex(alloc);
}

function describe(alloc: number): string {
  return allocIsReg(alloc) ? `preg ${allocIndex(alloc)}` : `slot ${allocIndex(alloc)}`;
}

/**
 * Sort the raw moves by (program point, group), keeping generation order within a group, and sequentialise each
 * group into edits.
 */
export function emitEdits(
  fn: RegAllocFunction,
  scratch: readonly [number, number],
  ops: OperandInfo,
  moves: RawMoves,
  slots: SpillSlots,
  pool: ScratchPool,
): EditList {
  const n = moves.length;
  const point = moves.point.data;
  const prio = moves.prio.data;
  const dropped = moves.dropped.data;
  // Sort keys (point · NUM_PRIOS + prio) · 2^21 + move index: exact in a double, unique, and ordered like a stable
  // sort by group. A native sort of the few moves beats a counting sort over all 10 · numInsts groups.
  if (n >= MAX_SORTED_MOVES) throw new RegAllocError(`${n} moves: at most ${MAX_SORTED_MOVES} per function`);
  let numLive = 0;
  const keys = pool.float64(K_SORT_KEYS, n);
  for (let m = 0; m < n; m++) {
    if (!dropped[m]) keys[numLive++] = (point[m] * NUM_PRIOS + prio[m]) * MAX_SORTED_MOVES + m;
  }
  const sorted = keys.subarray(0, numLive).sort();
  const order = pool.int32(101, numLive);
  for (let k = 0; k < numLive; k++) order[k] = sorted[k] % MAX_SORTED_MOVES;

  const out = new EditList(pool);
  const resolver = new ParallelMoveResolver(scratch, slots.numSlots, numLive, pool);
  const slotOf = slots.slotOf;
  const toAlloc = (loc: number, v: number): number => {
    if (loc < LOC_STACK) return allocReg(loc);
    const slot = slotOf[v];
    if (loc !== LOC_STACK || slot < 0) throw new RegAllocError(`internal: v${v} has no spill slot`);
    return allocStack(slot);
  };
  let k = 0;
  while (k < numLive) {
    const m0 = order[k];
    const key = point[m0] * NUM_PRIOS + prio[m0];
    while (k < numLive && point[order[k]] * NUM_PRIOS + prio[order[k]] === key) {
      const m = order[k++];
      const v = moves.toVReg.data[m];
      const c = fn.vregClass[v];
      const to = toAlloc(moves.toLoc.data[m], v);
      const fromLoc = moves.fromLoc.data[m];
      const fromV = moves.fromVReg.data[m];
      if (fromLoc === LOC_REMAT) resolver.addRemat(ops.remat[fromV], to, c);
      else resolver.addMove(toAlloc(fromLoc, fromV), to, c);
    }
    resolver.flush(point[m0], out);
  }
  return out;
}
