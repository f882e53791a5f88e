import { type ScratchPool } from './regalloc-pool.js';
import { LOC_UNASSIGNED } from './regalloc-positions.js';

// Scratch pool keys of the ten per-interval arrays: K_FIRST .. K_FIRST+8, and K_PREV.
const K_PREV = 79;
const K_INACTIVE_STAMP = 82;
const K_FIRST = 60;

/**
 * Live intervals as a structure of typed arrays. An interval is a window [start, end) over its vreg's sorted live
 * ranges (rangeStart/rangeEnd, shared and never modified): ranges lo .. hi-1, each clipped to the window. Splitting
 * an interval shrinks its window and creates a child for the rest, so no range is ever copied. The children of a
 * vreg form a list in position order through `next`.
 */
export class IntervalStore {
  count = 0;
  vreg: Int32Array;
  start: Int32Array;
  end: Int32Array;
  lo: Int32Array;
  hi: Int32Array;
  /** A preg 0..31, LOC_STACK, LOC_REMAT, or LOC_UNASSIGNED. */
  loc: Int32Array;
  next: Int32Array;
  /** The previous piece of the same vreg, -1 for the first. */
  prev: Int32Array;
  /** Range index at or before the current scan position (advances monotonically). */
  rangeCursor: Int32Array;
  /** Entry index at or before the first entry at or after the current gap (advances monotonically). */
  entryCursor: Int32Array;
  /** While the interval is in an InactiveSet: its stamp there (its place in insertion order); else -1. */
  inactiveStamp: Int32Array;

  private capacity: number;

  constructor(
    readonly rangeStart: Int32Array,
    readonly rangeEnd: Int32Array,
    capacity: number,
    private readonly pool: ScratchPool,
  ) {
    const n = Math.max(16, capacity);
    this.vreg = pool.int32(K_FIRST, n);
    this.start = pool.int32(K_FIRST + 1, n);
    this.end = pool.int32(K_FIRST + 2, n);
    this.lo = pool.int32(K_FIRST + 3, n);
    this.hi = pool.int32(K_FIRST + 4, n);
    this.loc = pool.int32(K_FIRST + 5, n);
    this.next = pool.int32(K_FIRST + 6, n);
    this.rangeCursor = pool.int32(K_FIRST + 7, n);
    this.entryCursor = pool.int32(K_FIRST + 8, n);
    this.prev = pool.int32(K_PREV, n);
    this.inactiveStamp = pool.int32(K_INACTIVE_STAMP, n);
    this.capacity = Math.min(
      this.inactiveStamp.length,
      this.prev.length,
      this.vreg.length,
      this.start.length,
      this.end.length,
      this.lo.length,
      this.hi.length,
      this.loc.length,
      this.next.length,
      this.rangeCursor.length,
      this.entryCursor.length,
    );
  }

  create(vreg: number, start: number, end: number, lo: number, hi: number, entryCursor: number): number {
    if (this.count === this.capacity) this.grow();
    const i = this.count++;
    this.vreg[i] = vreg;
    this.start[i] = start;
    this.end[i] = end;
    this.lo[i] = lo;
    this.hi[i] = hi;
    this.loc[i] = LOC_UNASSIGNED;
    this.next[i] = -1;
    this.prev[i] = -1;
    this.rangeCursor[i] = lo;
    this.entryCursor[i] = entryCursor;
    this.inactiveStamp[i] = -1;
    return i;
  }

  /** Does interval i cover pos? pos must not decrease between calls for the same interval. */
  covers(i: number, pos: number): boolean {
    const rs = this.rangeStart;
    const re = this.rangeEnd;
    const hi = this.hi[i];
    const end = this.end[i];
    let k = this.rangeCursor[i];
    while (k < hi && Math.min(re[k], end) <= pos) k++;
    this.rangeCursor[i] = k;
    return k < hi && Math.max(rs[k], this.start[i]) <= pos;
  }

  /**
   * Where interval i stops covering the range at its cursor (the range's end, clipped to the interval). Valid for an
   * interval covering the scan position (its cursor is on the covering range).
   */
  coverEnd(i: number): number {
    const e = this.rangeEnd[this.rangeCursor[i]];
    return e < this.end[i] ? e : this.end[i];
  }

  /**
   * Where interval i resumes after the lifetime hole it is in: the clipped start of the range at its cursor. Valid
   * right after `covers(i, pos)` answered false for a pos before its end.
   */
  resumePos(i: number): number {
    const s = this.rangeStart[this.rangeCursor[i]];
    return s > this.start[i] ? s : this.start[i];
  }

  /** First position at or after a's range cursor covered by both a and b, or POS_INFINITY-like max. */
  intersect(a: number, b: number): number {
    const rs = this.rangeStart;
    const re = this.rangeEnd;
    let i = this.rangeCursor[a];
    let j = this.lo[b];
    const hiA = this.hi[a];
    const hiB = this.hi[b];
    const startA = this.start[a];
    const endA = this.end[a];
    const startB = this.start[b];
    const endB = this.end[b];
    while (i < hiA && j < hiB) {
      const sa = Math.max(rs[i], startA);
      const ea = Math.min(re[i], endA);
      const sb = Math.max(rs[j], startB);
      const eb = Math.min(re[j], endB);
      if (ea <= sb) {
        i++;
      } else if (eb <= sa) {
        j++;
      } else {
        return Math.max(sa, sb);
      }
    }
    return 0x7fffffff;
  }

  /** Start of the first range of i that begins after pos (the end of the lifetime hole pos is in). */
  nextRangeStartAfter(i: number, pos: number): number {
    const rs = this.rangeStart;
    for (let k = this.lo[i]; k < this.hi[i]; k++) {
      const s = Math.max(rs[k], this.start[i]);
      if (s > pos) return s;
    }
    return 0x7fffffff;
  }

  /**
   * Split interval i at pos (start < pos < end): i keeps [start, pos), a new child gets the rest (its start moves
   * past a hole when pos falls in one). Returns the child, or -1 when nothing of i lies at or after pos.
   */
  split(i: number, pos: number, entryCursor: number): number {
    const rs = this.rangeStart;
    const re = this.rangeEnd;
    const end = this.end[i];
    let k = this.lo[i];
    const hi = this.hi[i];
    while (k < hi && Math.min(re[k], end) <= pos) k++;
    if (k >= hi) return -1;
    const childStart = Math.max(pos, rs[k]);
    if (childStart <= this.start[i]) return -1;
    const child = this.create(this.vreg[i], childStart, end, k, hi, entryCursor);
    if (rs[k] < pos) {
      this.hi[i] = k + 1;
      this.end[i] = pos;
    } else {
      this.hi[i] = k;
      this.end[i] = Math.min(re[k - 1], end);
    }
    if (this.rangeCursor[i] >= this.hi[i]) this.rangeCursor[i] = this.hi[i] - 1;
    this.next[child] = this.next[i];
    if (this.next[i] >= 0) this.prev[this.next[i]] = child;
    this.next[i] = child;
    this.prev[child] = i;
    return child;
  }

  private grow(): void {
    const n = this.capacity * 2;
    const count = this.count;
    const pool = this.pool;
    const g = (key: number, a: Int32Array): Int32Array => {
      const b = pool.int32(key, n);
      if (b !== a) b.set(a.subarray(0, count));
      return b;
    };
    this.vreg = g(K_FIRST, this.vreg);
    this.start = g(K_FIRST + 1, this.start);
    this.end = g(K_FIRST + 2, this.end);
    this.lo = g(K_FIRST + 3, this.lo);
    this.hi = g(K_FIRST + 4, this.hi);
    this.loc = g(K_FIRST + 5, this.loc);
    this.next = g(K_FIRST + 6, this.next);
    this.rangeCursor = g(K_FIRST + 7, this.rangeCursor);
    this.entryCursor = g(K_FIRST + 8, this.entryCursor);
    this.prev = g(K_PREV, this.prev);
    this.inactiveStamp = g(K_INACTIVE_STAMP, this.inactiveStamp);
    this.capacity = n;
  }
}
