/**
 * A hash map from a pair of non-negative int32 keys to an int32 value, open addressing over typed arrays
 * (no per-entry objects, no string keys). Used by SSA construction for "definition of variable x in block b".
 *
 * A slot is live only when its generation stamp equals the map's current generation, so `clear()` is O(1):
 * reusing one map for every function of a module costs nothing per function.
 */
import { NONE } from './ids.js';

export class IntPairMap {
  private keyA: Int32Array;
  private keyB: Int32Array;
  private vals: Int32Array;
  private gens: Int32Array;
  private gen = 1;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 256) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keyA = new Int32Array(cap);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.gens = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
    if (++this.gen === 0x7fffffff) {
      this.gens.fill(0);
      this.gen = 1;
    }
  }

  private slot(a: number, b: number): number {
    let h = Math.imul(a ^ Math.imul(b, 0x85ebca77), 0x9e3779b1);
    h ^= h >>> 15;
    return h & this.mask;
  }

  /** The value for (a, b), or NONE. */
  get(a: number, b: number): number {
    const { keyA, keyB, gens, mask, gen } = this;
    for (let i = this.slot(a, b); ; i = (i + 1) & mask) {
      if (gens[i] !== gen) return NONE;
      if (keyA[i] === a && keyB[i] === b) return this.vals[i]!;
    }
  }

  set(a: number, b: number, v: number): void {
    if ((this.count + 1) * 2 > this.keyA.length) this.rehash();
    const { keyA, keyB, gens, mask, gen } = this;
    for (let i = this.slot(a, b); ; i = (i + 1) & mask) {
      if (gens[i] !== gen) {
        gens[i] = gen;
        keyA[i] = a;
        keyB[i] = b;
        this.vals[i] = v;
        this.count++;
        return;
      }
      if (keyA[i] === a && keyB[i] === b) {
        this.vals[i] = v;
        return;
      }
    }
  }

  private rehash(): void {
    const { keyA: oldA, keyB: oldB, vals: oldV, gens: oldG, gen: oldGen } = this;
    const cap = oldA.length * 2;
    this.keyA = new Int32Array(cap);
    this.keyB = new Int32Array(cap);
    this.vals = new Int32Array(cap);
    this.gens = new Int32Array(cap);
    this.gen = 1;
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldA.length; i++) if (oldG[i] === oldGen) this.set(oldA[i]!, oldB[i]!, oldV[i]!);
  }
}
