/** A growable Int32Array: append-only lists in the allocator's hot paths without one object per element. */
export class IntVec {
  data: Int32Array;
  length = 0;

  constructor(initialCapacity = 16) {
    this.data = new Int32Array(Math.max(4, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  reserve(minCapacity: number): void {
    if (minCapacity <= this.data.length) return;
    const grown = new Int32Array(Math.max(minCapacity, this.data.length * 2));
    grown.set(this.data.subarray(0, this.length));
    this.data = grown;
  }

  clear(): void {
    this.length = 0;
  }

  /** A copy trimmed to the used length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
