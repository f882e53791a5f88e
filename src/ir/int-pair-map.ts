/**
 * A hash map from a pair of non-negative int32 keys to an int32 value, open addressing over typed arrays
 * (no per-entry objects, no string keys). Used by SSA construction for "definition of variable x in block b".
 */
import { NONE } from './ids.js';

export class IntPairMap {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private vals: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.keyA.fill(-1);
    this.count = 0;
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca77), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The value for (a, b), or NONE. */
  get(a: number, b: number): number {
    const keyA = this.keyA;
    const keyB = this.keyB;
    const mask = this.mask;
    for (let i = this.slot(a, b); ; i = (i + 1) & mask) {
      const k = keyA[i]!;
      if (k === -1) return NONE;
      if (k === a && keyB[i] === b) return this.vals[i]!;
    }
  }

  set(a: number, b: number, v: number): void {
    if ((this.count + 1) * 2 > this.keyA.length) this.rehash();
    const keyA = this.keyA;
    const keyB = this.keyB;
    const mask = this.mask;
    for (let i = this.slot(a, b); ; i = (i + 1) & mask) {
      const k = keyA[i]!;
      if (k === -1) {
        keyA[i] = a;
        keyB[i] = b;
        this.vals[i] = v;
        this.count++;
        return;
      }
      if (k === a && keyB[i] === b) {
        this.vals[i] = v;
        return;
      }
    }
  }

  private rehash(): void {
    const oldA = this.keyA;
    const oldB = this.keyB;
    const oldV = this.vals;
    const cap = oldA.length * 2;
    this.keyA = new Int32Array(cap).fill(-1);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldA.length; i++) if (oldA[i] !== -1) this.set(oldA[i]!, oldB[i]!, oldV[i]!);
  }
}
