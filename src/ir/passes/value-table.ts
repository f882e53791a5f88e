/**
 * A scoped hash table of instruction keys for global value numbering: entries are pushed while walking down
 * the dominator tree and popped (newest first) when leaving a subtree. Separate chaining with insertion at the
 * bucket head makes popping O(1): the newest entry is always the head of its bucket.
 *
 * A key is (opcode, type, up to three operands, 64-bit immediate, aux field, memory version); the entry maps
 * it to the value that computes it (NONE for keys of instructions without a result, like `trapz`). Everything
 * lives in typed arrays: no objects per entry.
 */
import { growI32 } from '../grow.js';

export class ValueTable {
  private buckets = new Int32Array(0);
  private mask = 0;
  private top = 0;
  private kOp = new Int32Array(256);
  private kType = new Int32Array(256);
  private kA0 = new Int32Array(256);
  private kA1 = new Int32Array(256);
  private kA2 = new Int32Array(256);
  private kLo = new Int32Array(256);
  private kHi = new Int32Array(256);
  private kAux = new Int32Array(256);
  private kVer = new Int32Array(256);
  private eValue = new Int32Array(256);
  private eBucket = new Int32Array(256);
  private eNext = new Int32Array(256);

  /** `expectedEntries`: an upper bound on live entries, to size the buckets (about 2 per entry). */
  constructor(expectedEntries = 0) {
    this.reset(expectedEntries);
  }

  /** Empties the table for reuse (keeps its storage; the buckets grow to fit `expectedEntries`). */
  reset(expectedEntries: number): void {
    let n = 64;
    while (n < expectedEntries * 2) n *= 2;
    if (n > this.buckets.length) {
      this.buckets = new Int32Array(n).fill(-1);
      this.top = 0;
    } else {
      // Popping every entry empties exactly the buckets in use: no fill of the whole (maybe large) bucket array
      // for a small function after a big one.
      this.popTo(0);
    }
    this.mask = this.buckets.length - 1;
  }

  /** Number of entries; pass it to `popTo` to leave the scope entered at this point. */
  get size(): number {
    return this.top;
  }

  private static hash(op: number, type: number, a0: number, a1: number, a2: number, lo: number, hi: number,
    aux: number, ver: number): number {
    let h = Math.imul(op + 1, 0x9e3779b1) ^ type;
    h = Math.imul(h ^ a0, 0x85ebca6b);
    h = Math.imul(h ^ a1, 0xc2b2ae35);
    h = Math.imul(h ^ a2, 0x27d4eb2f);
    h = Math.imul(h ^ lo, 0x165667b1);
    h = Math.imul(h ^ hi, 0x9e3779b1);
    h = Math.imul(h ^ aux, 0x85ebca6b);
    h = Math.imul(h ^ ver, 0xc2b2ae35);
    return h ^ (h >>> 15);
  }

  /** The entry index for this key, or -1. */
  find(op: number, type: number, a0: number, a1: number, a2: number, lo: number, hi: number, aux: number,
    ver: number): number {
    const bucket = ValueTable.hash(op, type, a0, a1, a2, lo, hi, aux, ver) & this.mask;
    for (let e = this.buckets[bucket]!; e >= 0; e = this.eNext[e]!) {
      if (this.kOp[e] === op && this.kType[e] === type && this.kA0[e] === a0 && this.kA1[e] === a1 &&
        this.kA2[e] === a2 && this.kLo[e] === lo && this.kHi[e] === hi && this.kAux[e] === aux &&
        this.kVer[e] === ver) return e;
    }
    return -1;
  }

  /** The value recorded by entry `e`. */
  value(e: number): number {
    return this.eValue[e]!;
  }

  /** Adds a key (it shadows an equal older key until this scope is popped). */
  insert(op: number, type: number, a0: number, a1: number, a2: number, lo: number, hi: number, aux: number,
    ver: number, value: number): void {
    const e = this.top;
    if (e === this.kOp.length) this.grow();
    const bucket = ValueTable.hash(op, type, a0, a1, a2, lo, hi, aux, ver) & this.mask;
    this.kOp[e] = op;
    this.kType[e] = type;
    this.kA0[e] = a0;
    this.kA1[e] = a1;
    this.kA2[e] = a2;
    this.kLo[e] = lo;
    this.kHi[e] = hi;
    this.kAux[e] = aux;
    this.kVer[e] = ver;
    this.eValue[e] = value;
    this.eBucket[e] = bucket;
    this.eNext[e] = this.buckets[bucket]!;
    this.buckets[bucket] = e;
    this.top = e + 1;
  }

  /** Removes the entries added after the table had `size` entries (newest first). */
  popTo(size: number): void {
    for (let e = this.top - 1; e >= size; e--) this.buckets[this.eBucket[e]!] = this.eNext[e]!;
    this.top = size;
  }

  private grow(): void {
    const n = this.top + 1;
    this.kOp = growI32(this.kOp, n);
    this.kType = growI32(this.kType, n);
    this.kA0 = growI32(this.kA0, n);
    this.kA1 = growI32(this.kA1, n);
    this.kA2 = growI32(this.kA2, n);
    this.kLo = growI32(this.kLo, n);
    this.kHi = growI32(this.kHi, n);
    this.kAux = growI32(this.kAux, n);
    this.kVer = growI32(this.kVer, n);
    this.eValue = growI32(this.eValue, n);
    this.eBucket = growI32(this.eBucket, n);
    this.eNext = growI32(this.eNext, n);
  }
}
