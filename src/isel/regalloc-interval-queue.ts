import { type ScratchPool } from './regalloc-pool.js';

const K_HEAP = 69;
const K_KEYS = 70;
const K_SORTED = 76;
const K_SORTED_KEYS = 77;
const K_COUNTS = 78;

/**
 * The unhandled intervals of linear scan, ordered by start position (ties by id, so allocation is deterministic).
 * The initial intervals (one per vreg) arrive all at once and are counting-sorted into an array; split children
 * arrive during the scan and go into a binary min-heap. `pop` takes the smaller head of the two.
 */
export class IntervalQueue {
  private heap: Int32Array;
  private keys: Int32Array;
  private heapSize = 0;
  private capacity: number;
  private sorted: Int32Array;
  private sortedKeys: Int32Array;
  private sortedHead = 0;
  private sortedCount = 0;

  constructor(
    capacity: number,
    private readonly pool: ScratchPool,
  ) {
    this.heap = pool.int32(K_HEAP, Math.max(16, capacity));
    this.keys = pool.int32(K_KEYS, Math.max(16, capacity));
    this.capacity = Math.min(this.heap.length, this.keys.length);
    this.sorted = pool.int32(K_SORTED, 16);
    this.sortedKeys = pool.int32(K_SORTED_KEYS, 16);
  }

  get size(): number {
    return this.heapSize + this.sortedCount - this.sortedHead;
  }

  /** Set the initial intervals: ids 0..n-1 with start positions starts[0..n-1], all at most maxPos. */
  setInitial(starts: Int32Array, n: number, maxPos: number): void {
    const count = this.pool.int32Fill(K_COUNTS, maxPos + 2, 0);
    for (let k = 0; k < n; k++) count[starts[k] + 1]++;
    for (let p = 0; p <= maxPos; p++) count[p + 1] += count[p];
    this.sorted = this.pool.int32(K_SORTED, n);
    this.sortedKeys = this.pool.int32(K_SORTED_KEYS, n);
    for (let k = 0; k < n; k++) {
      const at = count[starts[k]]++;
      this.sorted[at] = k;
      this.sortedKeys[at] = starts[k];
    }
    this.sortedHead = 0;
    this.sortedCount = n;
  }

  push(interval: number, start: number): void {
    if (this.heapSize === this.capacity) {
      const n = this.capacity * 2;
      const h = this.pool.int32(K_HEAP, n);
      h.set(this.heap.subarray(0, this.heapSize));
      this.heap = h;
      const k = this.pool.int32(K_KEYS, n);
      k.set(this.keys.subarray(0, this.heapSize));
      this.keys = k;
      this.capacity = n;
    }
    const heap = this.heap;
    const keys = this.keys;
    let i = this.heapSize++;
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
    if (this.sortedHead < this.sortedCount) {
      const h = this.sortedHead;
      const key = this.sortedKeys[h];
      const id = this.sorted[h];
      if (this.heapSize === 0 || key < this.keys[0] || (key === this.keys[0] && id < this.heap[0])) {
        this.sortedHead = h + 1;
        return id;
      }
    }
    return this.popHeap();
  }

  private popHeap(): number {
    const heap = this.heap;
    const keys = this.keys;
    const top = heap[0];
    const n = --this.heapSize;
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
