/**
 * A pool of small growable integer lists in one Int32Array (like Cranelift's ListPool / EntityList).
 *
 * A list is a handle: the index of its header `[capacity, length]`, followed by `capacity` slots. Handle 0 is
 * the shared empty list (capacity 0), so "no list yet" needs no allocation. Capacities are powers of two; a list
 * that outgrows its block moves to a bigger one and the old block goes on a free list for its size class.
 * Operations that may move a list return the (possibly new) handle: always store it back.
 */
export type ListHandle = number;

/** The empty list. */
export const EMPTY_LIST: ListHandle = 0;

const HEADER = 2;
const SIZE_CLASSES = 31;

export class ListPool {
  data: Int32Array;
  private top: number;
  /**
   * Head of the free chain per size class (log2 of capacity); -1 = empty. Free blocks chain through slot +1. A plain
   * array of small integers: cheaper to create than a typed array (every new IR function has a pool).
   */
  private readonly freeHeads: number[] = [
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  ];

  constructor(initialWords = 256) {
    this.data = new Int32Array(Math.max(initialWords, 16));
    this.top = HEADER; // data[0..1] = empty list header: capacity 0, length 0
  }

  /** Forgets every list (the arrays are kept for reuse). */
  clear(): void {
    this.top = HEADER;
    const heads = this.freeHeads;
    for (let i = 0; i < SIZE_CLASSES; i++) heads[i] = -1; // (Array.prototype.fill is a slower runtime call)
    this.data[0] = 0;
    this.data[1] = 0;
  }

  /** Makes room for `words` words in total without further growth. */
  reserve(words: number): void {
    if (words > this.data.length) this.grow(words);
  }

  /** Words in use (for statistics). */
  get usedWords(): number {
    return this.top;
  }

  len(h: ListHandle): number {
    return this.data[h + 1]!;
  }

  get(h: ListHandle, i: number): number {
    return this.data[h + HEADER + i]!;
  }

  set(h: ListHandle, i: number, v: number): void {
    this.data[h + HEADER + i] = v;
  }

  /** Allocates an empty list with room for at least `capacity` elements. */
  alloc(capacity: number): ListHandle {
    if (capacity <= 0) return EMPTY_LIST;
    const cls = capacity <= 1 ? 0 : 32 - Math.clz32(capacity - 1);
    let h = this.freeHeads[cls]!;
    const data = this.data;
    if (h >= 0) {
      this.freeHeads[cls] = data[h + 1]!;
    } else {
      const cap = 1 << cls;
      h = this.top;
      const end = h + HEADER + cap;
      if (end > this.data.length) this.grow(end);
      this.top = end;
    }
    this.data[h] = 1 << cls;
    this.data[h + 1] = 0;
    return h;
  }

  /** Returns a list's block to the free chain. The handle must not be used again. */
  free(h: ListHandle): void {
    // EMPTY_LIST, or NONE (-1: an operand list that was never set, e.g. a call's before `setVarArgs`): nothing.
    if (h <= EMPTY_LIST) return;
    const cap = this.data[h]!;
    const cls = 31 - Math.clz32(cap);
    this.data[h + 1] = this.freeHeads[cls]!;
    this.freeHeads[cls] = h;
  }

  /** A new list holding `count` elements of `src` starting at `start`. */
  fromArray(src: ArrayLike<number>, start = 0, count = src.length - start): ListHandle {
    if (count <= 0) return EMPTY_LIST;
    const h = this.alloc(count);
    const data = this.data;
    for (let i = 0; i < count; i++) data[h + HEADER + i] = src[start + i]!;
    data[h + 1] = count;
    return h;
  }

  /** A new list `[a]`. */
  of1(a: number): ListHandle {
    const h = this.alloc(1);
    this.data[h + HEADER] = a;
    this.data[h + 1] = 1;
    return h;
  }

  /** Appends `v`; returns the list's handle, which changes when the list had to move. */
  push(h: ListHandle, v: number): ListHandle {
    const data = this.data;
    const len = data[h + 1]!;
    if (len < data[h]!) {
      data[h + HEADER + len] = v;
      data[h + 1] = len + 1;
      return h;
    }
    const moved = this.alloc(len + 1);
    const d = this.data; // alloc may have grown the array
    // Most lists are a few elements long: a loop beats copyWithin (a runtime call) there.
    if (len <= 16) for (let i = 0; i < len; i++) d[moved + HEADER + i] = d[h + HEADER + i]!;
    else d.copyWithin(moved + HEADER, h + HEADER, h + HEADER + len);
    d[moved + HEADER + len] = v;
    d[moved + 1] = len + 1;
    this.free(h);
    return moved;
  }

  /** Removes element `i`, shifting the rest down (keeps order). */
  removeAt(h: ListHandle, i: number): void {
    const data = this.data;
    const len = data[h + 1]!;
    if (i < 0 || i >= len) throw new RangeError(`ListPool.removeAt: index ${i} out of range (length ${len})`);
    if (len - i <= 16) for (let j = h + HEADER + i; j < h + HEADER + len - 1; j++) data[j] = data[j + 1]!;
    else data.copyWithin(h + HEADER + i, h + HEADER + i + 1, h + HEADER + len);
    data[h + 1] = len - 1;
  }

  /** Sets the length to `n` (n must not exceed the current length). */
  truncate(h: ListHandle, n: number): void {
    if (h !== EMPTY_LIST) this.data[h + 1] = n;
  }

  /** Copies the list into a new plain array (convenience for tests and tools; not for hot loops). */
  toArray(h: ListHandle): number[] {
    const n = this.len(h);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.data[h + HEADER + i]!;
    return out;
  }

  private grow(words: number): void {
    let n = this.data.length;
    while (n < words) n *= 2;
    const bigger = new Int32Array(n);
    bigger.set(this.data.subarray(0, this.top));
    this.data = bigger;
  }
}
