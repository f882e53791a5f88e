import { type IntVec } from './regalloc-int-vec.js';
import { type IntervalStore } from './regalloc-intervals.js';
import { type ScratchPool } from './regalloc-pool.js';

/**
 * The inactive intervals of one register class (assigned, but in a lifetime hole at the scan position), as a binary
 * min-heap keyed by where each one resumes: the start of its first range after the hole.
 *
 * Why not a plain list: with fuel in a variable, every fuel value that an out-of-line trap or out-of-fuel block at
 * the end of the function reads stays inactive from its last in-line use to that cold block, so the list grows with
 * the function and every allocation scanned all of it (quadratic). Only intervals resuming before the end of the
 * interval being allocated can interfere with it, and only those resuming at or before the scan position can
 * change state, so both questions visit just the heap's prefix below a limit.
 *
 * The resume key of an interval never changes while it is here: its range cursor only moves when the scan reaches
 * the key (then it is taken out) and it is only split when evicted (then it is removed).
 *
 * Order: the allocator's decisions depend on the order in which it evicts or reactivates intervals, which was the
 * order of insertion into a list. Each insertion gets an increasing stamp (kept across a re-insertion, as the list
 * kept an interval's place), and callers that care sort what they take out by stamp. Removal is lazy: an entry is live
 * while `iv.inactiveStamp` of its interval still equals the entry's stamp.
 */
export class InactiveSet {
  private key: Int32Array;
  private item: Int32Array;
  private stamp: Int32Array;
  private size = 0;
  private nextStamp = 0;

  constructor(
    private readonly iv: IntervalStore,
    private readonly pool: ScratchPool,
    private readonly poolKey: number,
    private readonly stack: IntVec,
  ) {
    this.key = pool.int32(poolKey, 64);
    this.item = pool.int32(poolKey + 1, 64);
    this.stamp = pool.int32(poolKey + 2, 64);
  }

  /** Add interval it, resuming at `resume`, with a new stamp. */
  add(it: number, resume: number): void {
    const s = this.nextStamp++;
    this.push(it, resume, s);
  }

  /** Put back an interval taken out by `takeDue` that is still in a hole, keeping its place (stamp). */
  readd(it: number, resume: number, stamp: number): void {
    this.push(it, resume, stamp);
  }

  remove(it: number): void {
    if (this.iv.inactiveStamp[it] < 0) return;
    this.iv.inactiveStamp[it] = -1;
  }

  /**
   * Take out every live interval resuming at or before pos, into `out` sorted by stamp (their list order); their
   * stamps go to `outStamps`.
   */
  takeDue(pos: number, out: IntVec, outStamps: IntVec): void {
    out.clear();
    outStamps.clear();
    const stampOf = this.iv.inactiveStamp;
    while (this.size > 0 && this.key[0] <= pos) {
      const it = this.item[0];
      const s = this.stamp[0];
      this.popTop();
      if (stampOf[it] !== s) continue;
      stampOf[it] = -1;
      insertByStamp(out, outStamps, it, s);
    }
  }

  /** Collect every live interval resuming before `limit` into `out`, in heap order (callers needing order sort). */
  collectBefore(limit: number, out: IntVec): void {
    out.clear();
    if (this.size === 0 || this.key[0] >= limit) return;
    const key = this.key;
    const item = this.item;
    const stamp = this.stamp;
    const stampOf = this.iv.inactiveStamp;
    const n = this.size;
    const stack = this.stack;
    stack.clear();
    stack.push(0);
    while (stack.length > 0) {
      const i = stack.data[--stack.length];
      const it = item[i];
      if (stampOf[it] === stamp[i]) out.push(it);
      const c = 2 * i + 1;
      if (c < n && key[c] < limit) stack.push(c);
      if (c + 1 < n && key[c + 1] < limit) stack.push(c + 1);
    }
  }

  private push(it: number, resume: number, s: number): void {
    if (this.size === this.key.length) this.grow();
    this.iv.inactiveStamp[it] = s;
    const key = this.key;
    const item = this.item;
    const stamp = this.stamp;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (key[parent] <= resume) break;
      key[i] = key[parent];
      item[i] = item[parent];
      stamp[i] = stamp[parent];
      i = parent;
    }
    key[i] = resume;
    item[i] = it;
    stamp[i] = s;
  }

  private popTop(): void {
    const key = this.key;
    const item = this.item;
    const stamp = this.stamp;
    const n = --this.size;
    if (n === 0) return;
    const k = key[n];
    const it = item[n];
    const s = stamp[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && key[c + 1] < key[c]) c++;
      if (k <= key[c]) break;
      key[i] = key[c];
      item[i] = item[c];
      stamp[i] = stamp[c];
      i = c;
    }
    key[i] = k;
    item[i] = it;
    stamp[i] = s;
  }

  private grow(): void {
    const n = this.key.length * 2;
    const size = this.size;
    const g = (k: number, a: Int32Array): Int32Array => {
      const b = this.pool.int32(k, n);
      if (b !== a) b.set(a.subarray(0, size));
      return b;
    };
    this.key = g(this.poolKey, this.key);
    this.item = g(this.poolKey + 1, this.item);
    this.stamp = g(this.poolKey + 2, this.stamp);
  }
}

/** Insert (it, s) into the lists kept sorted by stamp (few entries: insertion sort). */
function insertByStamp(out: IntVec, stamps: IntVec, it: number, s: number): void {
  out.push(it);
  stamps.push(s);
  const o = out.data;
  const st = stamps.data;
  let j = out.length - 1;
  while (j > 0 && st[j - 1] > s) {
    o[j] = o[j - 1];
    st[j] = st[j - 1];
    j--;
  }
  o[j] = it;
  st[j] = s;
}

/** Sort the first n intervals of `list` by their current inactive stamps (insertion sort: lists are short). */
export function sortByStamp(list: IntVec, stampOf: Int32Array): void {
  const d = list.data;
  for (let i = 1; i < list.length; i++) {
    const x = d[i];
    const s = stampOf[x];
    let j = i - 1;
    while (j >= 0 && stampOf[d[j]] > s) {
      d[j + 1] = d[j];
      j--;
    }
    d[j + 1] = x;
  }
}
