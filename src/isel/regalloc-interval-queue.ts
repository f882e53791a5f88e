/**
 * The unhandled intervals of linear scan: a binary min-heap of interval ids ordered by start position, ties broken
 * by id so the allocation is deterministic.
 */
export class IntervalQueue {
  private heap: Int32Array;
  private keys: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.heap = new Int32Array(Math.max(16, capacity));
    this.keys = new Int32Array(Math.max(16, capacity));
  }

  push(interval: number, start: number): void {
    if (this.size === this.heap.length) {
      const h = new Int32Array(this.size * 2);
      h.set(this.heap);
      this.heap = h;
      const k = new Int32Array(this.size * 2);
      k.set(this.keys);
      this.keys = k;
    }
    const heap = this.heap;
    const keys = this.keys;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent];
      if (pk < start || (pk === start && heap[parent] < interval)) break;
      heap[i] = heap[parent];
      keys[i] = pk;
      i = parent;
    }
    heap[i] = interval;
    keys[i] = start;
  }

  pop(): number {
    const heap = this.heap;
    const keys = this.keys;
    const top = heap[0];
    const n = --this.size;
    if (n === 0) return top;
    const item = heap[n];
    const key = keys[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (keys[r] < keys[c] || (keys[r] === keys[c] && heap[r] < heap[c]))) c = r;
      if (key < keys[c] || (key === keys[c] && item < heap[c])) break;
      heap[i] = heap[c];
      keys[i] = keys[c];
      i = c;
    }
    heap[i] = item;
    keys[i] = key;
    return top;
  }
}
