import { type MachineEnv, NUM_PREGS, pregClass, type RegAllocFunction } from './regalloc-types.js';
import { type AllocCfg } from './regalloc-cfg.js';
import { RegAllocError } from './regalloc-error.js';
import { type IntVec } from './regalloc-int-vec.js';
import { InactiveSet, sortByStamp } from './regalloc-inactive-set.js';
import { IntervalQueue } from './regalloc-interval-queue.js';
import { IntervalStore } from './regalloc-intervals.js';
import { type LiveRanges } from './regalloc-liveness.js';
import { type OperandInfo } from './regalloc-operands.js';
import { type ScratchPool } from './regalloc-pool.js';
import {
  gapAtOrBefore,
  LOC_REMAT,
  LOC_STACK,
  LOC_UNASSIGNED,
  OWNER_CLOBBER,
  POS_INFINITY,
  REQ_ANY,
  REQ_REG,
  REQ_STACK,
} from './regalloc-positions.js';

/** Longest interval (in positions) `tryAllocateFree` tries its fast path on. */
const FAST_PATH_SPAN = 32;

/** How far back to look for a cheaper (shallower loop) block boundary to put a spill or reload on. */
const MAX_SPLIT_SEARCH_BLOCKS = 64;

const K_FIRST_CHILD = 71, K_FIXED_CURSOR = 72, K_FREE_UNTIL = 73, K_USE_POS = 74, K_BLOCK_POS = 75;
const K_INITIAL_STARTS = 81, K_REG_USE_POS = 89;
const K_VEC_ACTIVE_INT = 30, K_VEC_ACTIVE_FLOAT = 31, K_VEC_DUE = 32, K_VEC_DUE_STAMPS = 33, K_VEC_NEAR = 34;
const K_VEC_HEAP_STACK = 35, K_VEC_EVICT = 36;
const K_INACTIVE_INT = 83, K_INACTIVE_FLOAT = 86;

/**
 * Linear scan with interval splitting, after Wimmer & Mössenböck ("Optimized Interval Splitting in a Linear Scan
 * Register Allocator", 2005) and Wimmer & Franz (SSA form, 2010).
 *
 * Intervals are processed in order of start position. For each, `tryAllocateFree` looks for a register free over the
 * whole interval (hint first, then the environment's preference order, so caller-saved registers win when no call is
 * crossed); failing that, a register free for a prefix, splitting the rest off. If none is free, `allocateBlocked`
 * either spills the current interval up to its next register use (when every register is needed sooner by its
 * holder) or takes the register whose holder needs it latest, evicting the holder: the holder is split, its tail goes
 * to the stack (or becomes rematerialisable), and a reload child is queued before its next register use.
 * Fixed ranges (fixed-register operands, clobbers) block registers for everyone but their owner.
 * Spill and reload positions move to block boundaries of shallower loop depth when one is in reach.
 */
export class LinearScan {
  readonly iv: IntervalStore;
  /** The first interval (in position order) of each vreg, -1 for vregs that are never live. */
  readonly firstChild: Int32Array;

  private readonly queue: IntervalQueue;
  private readonly active: [IntVec, IntVec];
  /** Per class, the registers held by active intervals (kept with the active lists, read per allocation). */
  private readonly busy = new Int32Array(2);
  /**
   * Per class, a lower bound of the first position at which an active interval stops covering (its current range
   * ends: a hole or its end). Before it, `advance` has nothing to do for the active list.
   */
  private readonly activeExpiry = Int32Array.of(POS_INFINITY, POS_INFINITY);
  private readonly inactive: [InactiveSet, InactiveSet];
  /** Scratch lists: inactive intervals taken out by `advance`, with their stamps; those near the current one. */
  private readonly due: IntVec;
  private readonly dueStamps: IntVec;
  private readonly near: IntVec;
  private readonly evictList: IntVec;
  private readonly fixedCursor: Int32Array;
  private readonly freeUntil: Int32Array;
  private readonly usePos: Int32Array;
  private readonly blockPos: Int32Array;
  private readonly regUsePos: Int32Array;
  private readonly allocatableMask: [number, number];

  constructor(
    private readonly fn: RegAllocFunction,
    private readonly env: MachineEnv,
    private readonly cfg: AllocCfg,
    private readonly ops: OperandInfo,
    live: LiveRanges,
    pool: ScratchPool,
  ) {
    const nv = fn.numVRegs;
    this.iv = new IntervalStore(live.rangeStart, live.rangeEnd, nv + (nv >> 1) + 16, pool);
    this.firstChild = pool.int32Fill(K_FIRST_CHILD, nv, -1);
    this.queue = new IntervalQueue(nv + 16, pool);
    this.active = [pool.vec(K_VEC_ACTIVE_INT), pool.vec(K_VEC_ACTIVE_FLOAT)];
    const heapStack = pool.vec(K_VEC_HEAP_STACK);
    this.inactive = [
      new InactiveSet(this.iv, pool, K_INACTIVE_INT, heapStack),
      new InactiveSet(this.iv, pool, K_INACTIVE_FLOAT, heapStack),
    ];
    this.due = pool.vec(K_VEC_DUE);
    this.dueStamps = pool.vec(K_VEC_DUE_STAMPS);
    this.near = pool.vec(K_VEC_NEAR);
    this.evictList = pool.vec(K_VEC_EVICT);
    this.fixedCursor = pool.int32(K_FIXED_CURSOR, NUM_PREGS);
    this.freeUntil = pool.int32(K_FREE_UNTIL, NUM_PREGS);
    this.usePos = pool.int32(K_USE_POS, NUM_PREGS);
    this.blockPos = pool.int32(K_BLOCK_POS, NUM_PREGS);
    this.regUsePos = pool.int32(K_REG_USE_POS, NUM_PREGS);
    this.allocatableMask = [checkAllocatable(env, 0), checkAllocatable(env, 1)];
    for (let p = 0; p < NUM_PREGS; p++) this.fixedCursor[p] = ops.fixedStart[p];
    const rs = live.rangeStart;
    const re = live.rangeEnd;
    const starts = pool.int32(K_INITIAL_STARTS, nv);
    for (let v = 0; v < nv; v++) {
      const lo = live.rangeOf[v];
      const hi = live.rangeOf[v + 1];
      if (hi === lo) continue;
      const id = this.iv.create(v, rs[lo], re[hi - 1], lo, hi, ops.entryStart[v]);
      this.firstChild[v] = id;
      starts[id] = rs[lo];
    }
    // Initial interval ids are 0..count-1, so they double as their own index.
    this.queue.setInitial(starts, this.iv.count, 4 * fn.numInsts);
  }

  run(): void {
    const iv = this.iv;
    const vregClass = this.fn.vregClass;
    let lastPosInt = -1;
    let lastPosFloat = -1;
    while (this.queue.size > 0) {
      const cur = this.queue.pop();
      const cls = vregClass[iv.vreg[cur]];
      const pos = iv.start[cur];
      // Lists only change when the position moves (evictions update them directly).
      if (cls === 0) {
        if (pos !== lastPosInt) this.advance(0, pos);
        lastPosInt = pos;
      } else {
        if (pos !== lastPosFloat) this.advance(1, pos);
        lastPosFloat = pos;
      }
      this.allocate(cur, cls);
    }
  }

  /** Move intervals between active (covering pos), inactive (in a lifetime hole at pos) and handled (ended). */
  private advance(cls: number, pos: number): void {
    const iv = this.iv;
    const act = this.active[cls];
    const inact = this.inactive[cls];
    // Only inactive intervals resuming by pos can change state; the rest stay in their hole.
    const due = this.due;
    const dueStamps = this.dueStamps;
    inact.takeDue(pos, due, dueStamps);
    for (let k = 0; k < due.length; k++) {
      const it = due.data[k];
      if (iv.end[it] <= pos) continue;
      if (iv.covers(it, pos)) {
        act.push(it);
        this.busy[cls] |= 1 << iv.loc[it];
        const x = iv.coverEnd(it);
        if (x < this.activeExpiry[cls]) this.activeExpiry[cls] = x;
      } else {
        inact.readd(it, iv.resumePos(it), dueStamps.data[k]);
      }
    }
    // Every active interval still covers pos: the list would come out unchanged.
    if (pos < this.activeExpiry[cls]) return;
    let w = 0;
    let busy = 0;
    let expiry = POS_INFINITY;
    for (let k = 0; k < act.length; k++) {
      const it = act.data[k];
      if (iv.end[it] <= pos) continue;
      if (iv.covers(it, pos)) {
        act.data[w++] = it;
        busy |= 1 << iv.loc[it];
        const x = iv.coverEnd(it);
        if (x < expiry) expiry = x;
      } else {
        inact.add(it, iv.resumePos(it));
      }
    }
    act.length = w;
    this.busy[cls] = busy;
    this.activeExpiry[cls] = expiry;
  }

  private allocate(cur: number, cls: number): void {
    const iv = this.iv;
    const ops = this.ops;
    const e = iv.entryCursor[cur];
    if (e < ops.entryStart[iv.vreg[cur] + 1] && ops.entryPos[e] === iv.start[cur] && ops.entryReq[e] === REQ_STACK) {
      this.spillAndReload(cur, iv.start[cur] + 1);
      return;
    }
    if (this.tryAllocateFree(cur, cls)) return;
    this.allocateBlocked(cur, cls);
  }

  private tryAllocateFree(cur: number, cls: number): boolean {
    const iv = this.iv;
    const regs = this.env.allocatable[cls];
    const freeUntil = this.freeUntil;
    const start = iv.start[cur];
    const end = iv.end[cur];
    // Registers held by an active interval are busy now (free until 0); freeUntil is only set and read for the
    // others, the candidates (a bit set over pregs, so busy registers cost nothing below). First the fixed ranges
    // (which also initialise freeUntil), then inactive intervals lower it.
    const cand = this.allocatableMask[cls] & ~this.busy[cls];
    const ops = this.ops;
    const near = this.near;
    this.inactive[cls].collectBefore(end, near);
    // Fast path for the many short intervals: no inactive interval resumes before the end and no fixed range of a
    // candidate lies in its instructions, so every candidate is free throughout; take the hint or the first one.
    if (near.length === 0 && end - start <= FAST_PATH_SPAN && cand !== 0) {
      const instFixedMask = ops.instFixedMask;
      let fixedMask = 0;
      for (let i = start >> 2, last = (end - 1) >> 2; i <= last; i++) fixedMask |= instFixedMask[i];
      if ((fixedMask & cand) === 0) {
        // (computeHint may answer LOC_STACK or LOC_REMAT, whose shifted mask bit aliases a preg's: not a register.)
        const hint = this.computeHint(cur, cls);
        if (hint >= 0 && hint < NUM_PREGS && ((cand >>> hint) & 1) !== 0) {
          this.assign(cur, hint, cls);
          return true;
        }
        for (let k = 0; k < regs.length; k++) {
          if (((cand >>> regs[k]) & 1) !== 0) {
            this.assign(cur, regs[k], cls);
            return true;
          }
        }
      }
    }
    const fixedStart = ops.fixedStart;
    const frStart = ops.fixedRangeStart;
    const frEnd = ops.fixedRangeEnd;
    const fixedCursor = this.fixedCursor;
    for (let m = cand; m !== 0; m &= m - 1) {
      const r = 31 - Math.clz32(m & -m);
      // Fast path: no fixed range of r left that could overlap [start, end).
      let f = fixedCursor[r];
      const fEnd = fixedStart[r + 1];
      while (f < fEnd && frEnd[f] <= start) f++;
      fixedCursor[r] = f;
      freeUntil[r] = f === fEnd || frStart[f] >= end ? POS_INFINITY : this.fixedIntersect(r, cur);
    }
    for (let k = 0; k < near.length; k++) {
      const it = near.data[k];
      const r = iv.loc[it];
      // (An intersection lies after start: inactive intervals resume after the scan position.)
      if (((cand >>> r) & 1) === 0 || freeUntil[r] <= start) continue;
      const x = iv.intersect(it, cur);
      if (x < freeUntil[r]) freeUntil[r] = x;
    }
    const hint = this.computeHint(cur, cls);
    const hintFree = hint >= 0 && hint < NUM_PREGS && ((cand >>> hint) & 1) !== 0;
    if (hintFree && freeUntil[hint] >= end) {
      this.assign(cur, hint, cls);
      return true;
    }
    let best = -1;
    let bestUntil = 0;
    for (let k = 0; k < regs.length; k++) {
      const r = regs[k];
      if (((cand >>> r) & 1) === 0) continue;
      const f = freeUntil[r];
      if (f >= end) {
        this.assign(cur, r, cls);
        return true;
      }
      if (f > bestUntil) {
        best = r;
        bestUntil = f;
      }
    }
    if (hintFree && freeUntil[hint] === bestUntil) best = hint;
    const splitPos = gapAtOrBefore(bestUntil);
    if (best < 0 || splitPos <= start) return false;
    // A register for a prefix only pays off if the prefix uses the value; otherwise keep the value in memory
    // (no register use before splitPos means the next one is at or after it, so a reload fits in between).
    if (!this.hasUseBefore(cur, start, splitPos)) {
      this.spillAndReload(cur, start + 1);
      return true;
    }
    this.queueChild(this.splitOff(cur, splitPos));
    this.assign(cur, best, cls);
    return true;
  }

  private allocateBlocked(cur: number, cls: number): void {
    const iv = this.iv;
    const regs = this.env.allocatable[cls];
    // Per register: usePos = the holders' next use of any kind (the eviction heuristic: furthest next use loses),
    // regUsePos = their next must-have-register use (what makes an eviction legal), blockPos = fixed ranges.
    const usePos = this.usePos;
    const regUsePos = this.regUsePos;
    const blockPos = this.blockPos;
    const start = iv.start[cur];
    const end = iv.end[cur];
    const firstReg = this.nextRegUse(cur, start);
    // Uses that could read memory (REQ_ANY) still want a register: a value used in an inner loop through
    // `xor r, [m]` should take the register of a value not used until after the loop (Wimmer's "should have
    // register" use positions), not be spilled because it could be.
    const nextUse = this.nextUse(cur, start + 1);
    const firstUse = nextUse < firstReg ? nextUse : firstReg;
    if (firstUse === POS_INFINITY) {
      this.spillAndReload(cur, start + 1);
      return;
    }
    const gap = gapAtOrBefore(start);
    for (let k = 0; k < regs.length; k++) {
      usePos[regs[k]] = POS_INFINITY;
      regUsePos[regs[k]] = POS_INFINITY;
      blockPos[regs[k]] = POS_INFINITY;
    }
    const act = this.active[cls];
    for (let k = 0; k < act.length; k++) {
      const it = act.data[k];
      const r = iv.loc[it];
      const nu = this.nextRegUse(it, gap);
      if (gapAtOrBefore(nu) === gap) {
        usePos[r] = 0; // needed by this very instruction: cannot be evicted
        regUsePos[r] = 0;
        blockPos[r] = 0;
        continue;
      }
      if (nu < regUsePos[r]) regUsePos[r] = nu;
      const np = this.nextUse(it, gap);
      if (np < usePos[r]) usePos[r] = np;
    }
    const near = this.near;
    this.inactive[cls].collectBefore(end, near);
    for (let k = 0; k < near.length; k++) {
      const it = near.data[k];
      const r = iv.loc[it];
      if (usePos[r] === 0) continue;
      if (iv.intersect(it, cur) === POS_INFINITY) continue;
      const nu = this.nextUse(it, start);
      if (nu < usePos[r]) usePos[r] = nu;
      const nr = this.nextRegUse(it, start);
      if (nr < regUsePos[r]) regUsePos[r] = nr;
    }
    for (let k = 0; k < regs.length; k++) {
      const r = regs[k];
      if (usePos[r] === 0) continue;
      const x = this.fixedIntersect(r, cur);
      if (x === POS_INFINITY) continue;
      if (gapAtOrBefore(x) <= start) {
        usePos[r] = 0;
        regUsePos[r] = 0;
        blockPos[r] = 0;
        continue;
      }
      if (x < blockPos[r]) blockPos[r] = x;
      if (x < usePos[r]) usePos[r] = x;
      if (x < regUsePos[r]) regUsePos[r] = x;
    }
    const hint = this.computeHint(cur, cls);
    let reg = regs[0];
    for (let k = 1; k < regs.length; k++) if (usePos[regs[k]] > usePos[reg]) reg = regs[k];
    if (hint >= 0 && usePos[hint] === usePos[reg]) reg = hint;
    if (usePos[reg] < firstUse) {
      if (firstReg === POS_INFINITY) {
        this.spillAndReload(cur, start + 1);
        return;
      }
      // Every holder needs its register before cur does (or none is usable here): cur waits in memory until its
      // first register use, unless that use is in this very instruction.
      if (gapAtOrBefore(firstReg) > start) {
        this.spillAndReload(cur, gap + 4);
        return;
      }
      // cur must have a register right here: take the one whose holder needs it as a register latest.
      reg = regs[0];
      for (let k = 1; k < regs.length; k++) if (regUsePos[regs[k]] > regUsePos[reg]) reg = regs[k];
      if (hint >= 0 && regUsePos[hint] === regUsePos[reg]) reg = hint;
      if (regUsePos[reg] < firstReg) {
        throw new RegAllocError(
          `no ${cls === 0 ? 'integer' : 'float'} register for v${iv.vreg[cur]} at inst ${start >> 2}: ` +
            'the instruction needs more registers at once than are allocatable',
        );
      }
    }
    if (blockPos[reg] < end) this.queueChild(this.splitOff(cur, gapAtOrBefore(blockPos[reg])));
    this.evict(reg, cur, cls);
    this.assign(cur, reg, cls);
  }

  /** Take `reg` away from the intervals holding it where they overlap cur. */
  private evict(reg: number, cur: number, cls: number): void {
    const iv = this.iv;
    const start = iv.start[cur];
    const gap = gapAtOrBefore(start);
    const act = this.active[cls];
    let w = 0;
    for (let k = 0; k < act.length; k++) {
      const it = act.data[k];
      if (iv.loc[it] !== reg) {
        act.data[w++] = it;
        continue;
      }
      this.spillFrom(it, this.chooseSpillPos(it, gap), gap + 4);
    }
    act.length = w;
    this.busy[cls] &= ~(1 << reg);
    // Inactive holders overlapping cur, in their list order (each spill creates intervals: ids must not depend on
    // the heap's layout).
    const inact = this.inactive[cls];
    const near = this.near;
    inact.collectBefore(iv.end[cur], near);
    const hit = this.evictList;
    hit.clear();
    for (let k = 0; k < near.length; k++) {
      const it = near.data[k];
      if (iv.loc[it] === reg && iv.intersect(it, cur) !== POS_INFINITY) hit.push(it);
    }
    sortByStamp(hit, iv.inactiveStamp);
    for (let k = 0; k < hit.length; k++) {
      const it = hit.data[k];
      inact.remove(it);
      this.spillFrom(it, iv.nextRangeStartAfter(it, start), gap + 4);
    }
  }

  /** Move the part of `it` from `pos` on out of its register (all of it when pos is at or before its start). */
  private spillFrom(it: number, pos: number, minReload: number): void {
    const iv = this.iv;
    let target = it;
    if (pos > iv.start[it]) {
      target = this.splitOff(it, pos);
      if (target < 0) return;
    }
    const nu = this.nextRegUse(target, iv.start[target]);
    if (nu !== POS_INFINITY && gapAtOrBefore(nu) <= iv.start[target]) {
      // Needs a register right where it resumes after a lifetime hole (later than cur's start): compete again there.
      if (target === it || iv.start[target] < minReload - 4) {
        throw new RegAllocError(`internal: evicted v${iv.vreg[it]} needs its register at inst ${nu >> 2}`);
      }
      this.queueChild(target);
      return;
    }
    this.spillAndReload(target, minReload);
  }

  /** Put interval i in memory, splitting off a reload child before its next register use. */
  private spillAndReload(i: number, minReload: number): void {
    const iv = this.iv;
    const v = iv.vreg[i];
    iv.loc[i] = this.ops.remat[v] >= 0 ? LOC_REMAT : LOC_STACK;
    const nu = this.nextRegUse(i, iv.start[i]);
    if (nu === POS_INFINITY) return;
    const latest = gapAtOrBefore(nu);
    let earliest = gapAtOrBefore(iv.start[i]) + 4;
    const minGap = (minReload + 3) & ~3;
    if (minGap > earliest) earliest = minGap;
    if (latest < earliest) {
      throw new RegAllocError(`internal: cannot reload v${v} between positions ${earliest} and ${latest}`);
    }
    this.queueChild(this.splitOff(i, this.chooseReloadPos(earliest, latest)));
  }

  /** Split i at pos; the child (unassigned, not yet queued) gets the part from pos on. Returns it or -1. */
  private splitOff(i: number, pos: number): number {
    const iv = this.iv;
    const child = iv.split(i, pos, 0);
    if (child >= 0) iv.entryCursor[child] = this.firstEntryAtOrAfter(iv.vreg[i], iv.start[child]);
    return child;
  }

  private queueChild(child: number): void {
    if (child >= 0) this.queue.push(child, this.iv.start[child]);
  }

  private assign(cur: number, reg: number, cls: number): void {
    this.iv.loc[cur] = reg;
    this.active[cls].push(cur);
    this.busy[cls] |= 1 << reg;
    const x = this.iv.coverEnd(cur);
    if (x < this.activeExpiry[cls]) this.activeExpiry[cls] = x;
  }

  /** First position where a fixed range of preg r owned by someone else overlaps cur. */
  private fixedIntersect(r: number, cur: number): number {
    const ops = this.ops;
    const iv = this.iv;
    const frStart = ops.fixedRangeStart;
    const frEnd = ops.fixedRangeEnd;
    const frOwner = ops.fixedRangeOwner;
    const kEnd = ops.fixedStart[r + 1];
    const start = iv.start[cur];
    const end = iv.end[cur];
    let k = this.fixedCursor[r];
    while (k < kEnd && frEnd[k] <= start) k++;
    this.fixedCursor[r] = k;
    const v = iv.vreg[cur];
    const exemptInst = ops.clobberExemptInst[v];
    const rs = iv.rangeStart;
    const re = iv.rangeEnd;
    let j = iv.lo[cur];
    const hi = iv.hi[cur];
    while (k < kEnd && j < hi) {
      const fs = frStart[k];
      if (fs >= end) break;
      const owner = frOwner[k];
      if (owner === v || (owner === OWNER_CLOBBER && exemptInst === fs >> 2)) {
        k++;
        continue;
      }
      const fe = frEnd[k];
      const sb = Math.max(rs[j], start);
      const eb = Math.min(re[j], end);
      if (eb <= fs) {
        j++;
      } else if (fe <= sb) {
        k++;
      } else {
        return Math.max(fs, sb);
      }
    }
    return POS_INFINITY;
  }

  /** Position of the first REQ_REG entry of interval i at or after `from`. */
  private nextRegUse(i: number, from: number): number {
    const iv = this.iv;
    const ops = this.ops;
    const entryPos = ops.entryPos;
    const ee = ops.entryStart[iv.vreg[i] + 1];
    let e = iv.entryCursor[i];
    const gap = gapAtOrBefore(from);
    while (e < ee && entryPos[e] < gap) e++;
    iv.entryCursor[i] = e;
    while (e < ee && entryPos[e] < from) e++;
    if (e >= ee) return POS_INFINITY;
    const r = ops.entryNextReg[e];
    if (r < 0 || entryPos[r] >= iv.end[i]) return POS_INFINITY;
    return entryPos[r];
  }

  /**
   * Position of the next entry of interval i at or after `from`, of any kind. Copies into reuse or fixed registers
   * and edge moves (REQ_NONE) count:
   * a value about to be read is a worse eviction victim than one not read until after the loop it is live through.
   */
  private nextUse(i: number, from: number): number {
    const iv = this.iv;
    const ops = this.ops;
    const entryPos = ops.entryPos;
    const ee = ops.entryStart[iv.vreg[i] + 1];
    const end = iv.end[i];
    for (let e = iv.entryCursor[i]; e < ee; e++) {
      const p = entryPos[e];
      // A copy into a reuse register (REQ_NONE at a gap) may sit exactly at the end of the range it reads.
      if (p > end) break;
      if (p < from) continue;
      return p;
    }
    return POS_INFINITY;
  }

  /** Does interval i have a register-preferring entry (REQ_ANY / REQ_REG) before pos? */
  /**
   * Does interval i (starting at `start`) read its value before pos? Any entry after its start counts: a copy into
   * a reuse register or an edge move (REQ_NONE) is cheaper from a register than from a slot, so a loop-carried value
   * that is only ever read that way (`movaps t, x; addsd t, y`) still deserves the register.
   */
  private hasUseBefore(i: number, start: number, pos: number): boolean {
    const ops = this.ops;
    const ee = ops.entryStart[this.iv.vreg[i] + 1];
    for (let e = this.iv.entryCursor[i]; e < ee && ops.entryPos[e] < pos; e++) {
      if (ops.entryPos[e] > start) return true;
      const req = ops.entryReq[e];
      if (req === REQ_REG || req === REQ_ANY) return true;
    }
    return false;
  }

  private firstEntryAtOrAfter(v: number, pos: number): number {
    const entryPos = this.ops.entryPos;
    let lo = this.ops.entryStart[v];
    let hi = this.ops.entryStart[v + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entryPos[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The register cur would like: the register of the value it continues (the reused input of a reuse def, the
   * arguments flowing into a block param, the param a branch arg flows to), the register of its previous piece, or
   * the fixed register of an upcoming use.
   */
  private computeHint(cur: number, cls: number): number {
    const iv = this.iv;
    const ops = this.ops;
    const fn = this.fn;
    const v = iv.vreg[cur];
    const mask = this.allocatableMask[cls];
    const start = iv.start[cur];
    if (start === ops.defPos[v]) {
      if (ops.isParam[v]) {
        const b = ops.defBlock[v];
        const index = this.paramIndex(b, v);
        for (let q = fn.predStart[b]; q < fn.predStart[b + 1]; q++) {
          const p = fn.preds[q];
          const e = this.edgeIndex(p, b);
          if (e < 0) continue;
          const arg = fn.branchArgs[fn.branchArgStart[e] + index];
          const loc = this.locAt(arg, 4 * fn.blockInstEnd[p] - 1);
          if (loc >= 0 && loc < NUM_PREGS && ((mask >>> loc) & 1) !== 0) return loc;
        }
      } else {
        const h = ops.hintVreg[v];
        if (h >= 0) {
          const loc = ops.isParam[h] ? this.locAt(h, ops.defPos[h]) : this.locAt(h, start - 1);
          if (loc >= 0 && loc < NUM_PREGS && ((mask >>> loc) & 1) !== 0) return loc;
        }
      }
    }
    const ee = ops.entryStart[v + 1];
    const end = iv.end[cur];
    for (let e = iv.entryCursor[cur], n = 0; e < ee && n < 4 && ops.entryPos[e] < end; e++, n++) {
      const h = ops.entryHint[e];
      if (h >= 0 && ((mask >>> h) & 1) !== 0) return h;
    }
    // The register of the piece just before (a reload into the same register needs no other change).
    const prev = iv.prev[cur];
    if (prev >= 0) {
      const loc = iv.loc[prev];
      if (loc >= 0 && loc < NUM_PREGS && ((mask >>> loc) & 1) !== 0) return loc;
    }
    return -1;
  }

  /** Location of vreg v at pos if already decided (a preg, LOC_STACK, LOC_REMAT), else LOC_UNASSIGNED. */
  private locAt(v: number, pos: number): number {
    const iv = this.iv;
    for (let c = this.firstChild[v]; c >= 0; c = iv.next[c]) {
      if (iv.start[c] > pos) break;
      if (pos < iv.end[c]) return iv.loc[c];
    }
    return LOC_UNASSIGNED;
  }

  private paramIndex(b: number, v: number): number {
    const fn = this.fn;
    for (let k = fn.blockParamStart[b]; k < fn.blockParamStart[b + 1]; k++) {
      if (fn.blockParams[k] === v) return k - fn.blockParamStart[b];
    }
    return -1;
  }

  private edgeIndex(p: number, s: number): number {
    const fn = this.fn;
    for (let e = fn.succStart[p]; e < fn.succStart[p + 1]; e++) if (fn.succs[e] === s) return e;
    return -1;
  }

  /**
   * Where to move interval `it` to memory when evicted at gap `maxPos`: the latest block boundary after its last
   * register use whose loop depth is lower than at maxPos (so a store leaves the loop), else maxPos itself.
   */
  private chooseSpillPos(it: number, maxPos: number): number {
    const iv = this.iv;
    const ops = this.ops;
    if (maxPos <= iv.start[it]) return maxPos;
    const depth = this.depthAt(maxPos);
    if (depth === 0) return maxPos;
    // Earliest allowed: after the last register use before maxPos.
    let minPos = iv.start[it];
    const v = iv.vreg[it];
    const es = ops.entryStart[v];
    for (let e = this.firstEntryAtOrAfter(v, maxPos) - 1, n = 0; e >= es && n < 32; e--, n++) {
      if (ops.entryPos[e] < minPos) break;
      if (ops.entryReq[e] === REQ_REG || ops.entryReq[e] === REQ_ANY) {
        minPos = ops.entryPos[e];
        break;
      }
      if (n === 31) return maxPos;
    }
    return this.shallowestBoundary(minPos, maxPos, depth, maxPos);
  }

  /** Where to reload: a gap in [minPos, maxPos], preferring block boundaries of lower loop depth than maxPos. */
  private chooseReloadPos(minPos: number, maxPos: number): number {
    const depth = this.depthAt(maxPos);
    if (depth === 0) return maxPos;
    return this.shallowestBoundary(minPos - 1, maxPos, depth, maxPos);
  }

  /** Latest block start in (after, maxPos] with the lowest boundary depth below `depth`, else `fallback`. */
  private shallowestBoundary(after: number, maxPos: number, depth: number, fallback: number): number {
    const cfg = this.cfg;
    const fn = this.fn;
    let best = fallback;
    let bestDepth = depth;
    let li = cfg.layoutIndex[cfg.blockOfInst[maxPos >> 2]];
    for (let n = 0; li >= 0 && n < MAX_SPLIT_SEARCH_BLOCKS; li--, n++) {
      const b = cfg.layout[li];
      const bs = 4 * fn.blockInstStart[b];
      if (bs <= after) break;
      if (bs > maxPos) continue;
      const d = cfg.loopDepth[b] - cfg.isLoopHeader[b];
      if (d < bestDepth) {
        best = bs;
        bestDepth = d;
        if (d === 0) break;
      }
    }
    return best;
  }

  /** Loop depth of a move placed at gap pos (entering a loop header counts as outside the loop). */
  private depthAt(pos: number): number {
    const cfg = this.cfg;
    const b = cfg.blockOfInst[pos >> 2];
    if (this.fn.blockInstStart[b] * 4 === pos) return cfg.loopDepth[b] - cfg.isLoopHeader[b];
    return cfg.loopDepth[b];
  }
}

function checkAllocatable(env: MachineEnv, cls: number): number {
  const regs = env.allocatable[cls];
  let mask = 0;
  if (regs.length === 0) throw new RegAllocError(`no allocatable registers of class ${cls}`);
  for (let k = 0; k < regs.length; k++) {
    const r = regs[k];
    if (r < 0 || r >= NUM_PREGS || pregClass(r) !== cls) {
      throw new RegAllocError(`allocatable register ${r} is not of class ${cls}`);
    }
    if (r === env.scratch[0] || r === env.scratch[1]) {
      throw new RegAllocError(`scratch register ${r} must not be allocatable`);
    }
    mask |= 1 << r;
  }
  return mask;
}

