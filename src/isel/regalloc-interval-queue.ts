import { type ScratchPool } from './regalloc-pool.js';

const K_HEAP = 69;
const K_KEYS = 70;

/**
 * The unhandled intervals of linear scan: a binary min-heap of interval ids ordered by start position, ties broken
 * by id so the allocation is deterministic.
 */
export class IntervalQueue {
  private heap: Int32Array;
  private keys: Int32Array;
  size = 0;

  private capacity: number;

  constructor(
    capacity: number,
    private readonly pool: ScratchPool,
  ) {
    this.heap = pool.int32(K_HEAP, Math.max(16, capacity));
    this.keys = pool.int32(K_KEYS, Math.max(16, capacity));
    this.capacity = Math.min(this.heap.length, this.keys.length);
  }

  push(interval: number, start: number): void {
    if (this.size === this.capacity) {
      const n = this.capacity * 2;
      const h = this.pool.int32(K_HEAP, n);
      h.set(this.heap.subarray(0, this.size));
      this.heap = h;
      const k = this.pool.int32(K_KEYS, n);
      k.set(this.keys.subarray(0, this.size));
      this.keys = k;
      this.capacity = n;
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
