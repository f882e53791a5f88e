// Struct-of-arrays storage for machine instructions on virtual registers. Used twice: as the staging area the
// lowering writes into (block by block, in reverse), and as the final VCode in emission order. Columns grow by
// doubling; read them only through the fields after construction is finished (a column object is replaced on growth).

import { amodeRegCount } from './mops.js';

export class InstStore {
  count = 0;
  op = new Uint8Array(64);
  size = new Uint8Array(64);
  sub = new Uint8Array(64);
  imm = new Int32Array(64);
  immHi = new Int32Array(64);
  aux = new Int32Array(64);
  amKind = new Uint8Array(64);
  amShift = new Uint8Array(64);
  amDisp = new Int32Array(64);
  clobbers = new Int32Array(64);
  flags = new Uint8Array(64);
  /** IR instruction the machine instruction came from (-1: none), for the VCode printer and error messages. */
  irInst = new Int32Array(64);
  /** Operand range of instruction i: operands[opStart[i] .. opStart[i + 1]). */
  opStart = new Int32Array(65);
  operands = new Int32Array(256);
  numOperands = 0;

  clear(): void {
    this.count = 0;
    this.numOperands = 0;
    this.opStart[0] = 0;
  }

  /** Starts instruction `count`; add operands with `operand()`, then fields; finish with `end()`. */
  begin(op: number, size: number, sub: number, irInst: number): number {
    const i = this.count;
    if (i + 1 >= this.op.length) this.grow(i + 2);
    this.op[i] = op;
    this.size[i] = size;
    this.sub[i] = sub;
    this.imm[i] = 0;
    this.immHi[i] = 0;
    this.aux[i] = 0;
    this.amKind[i] = 0;
    this.amShift[i] = 0;
    this.amDisp[i] = 0;
    this.clobbers[i] = 0;
    this.flags[i] = 0;
    this.irInst[i] = irInst;
    this.opStart[i] = this.numOperands;
    return i;
  }

  operand(packed: number): void {
    const n = this.numOperands;
    if (n === this.operands.length) {
      const next = new Int32Array(n * 2);
      next.set(this.operands);
      this.operands = next;
    }
    this.operands[n] = packed;
    this.numOperands = n + 1;
  }

  end(): void {
    const i = this.count;
    this.count = i + 1;
    this.opStart[i + 1] = this.numOperands;
  }

  numOps(i: number): number {
    return this.opStart[i + 1] - this.opStart[i];
  }

  /** Index (within instruction i's operands) of the first address-mode register, or -1. */
  amStart(i: number): number {
    const n = amodeRegCount(this.amKind[i]);
    return n === 0 ? -1 : this.numOps(i) - n;
  }

  /**
   * Appends instructions [start, end) of `from` unchanged (operands as stored). One tight loop per column: this is
   * how lowering moves its staged groups into emission order.
   */
  appendRange(from: InstStore, start: number, end: number): void {
    const n = end - start;
    const j0 = this.count;
    if (j0 + n + 1 > this.op.length) this.grow(j0 + n + 1);
    const opBase = from.opStart[start];
    const numOps = from.opStart[end] - opBase;
    const o0 = this.numOperands;
    if (o0 + numOps > this.operands.length) {
      let cap = this.operands.length * 2;
      while (cap < o0 + numOps) cap *= 2;
      this.operands = growI32(this.operands, cap);
    }
    for (let k = 0; k < n; k++) {
      const i = start + k;
      const j = j0 + k;
      this.op[j] = from.op[i];
      this.size[j] = from.size[i];
      this.sub[j] = from.sub[i];
      this.imm[j] = from.imm[i];
      this.immHi[j] = from.immHi[i];
      this.aux[j] = from.aux[i];
      this.amKind[j] = from.amKind[i];
      this.amShift[j] = from.amShift[i];
      this.amDisp[j] = from.amDisp[i];
      this.clobbers[j] = from.clobbers[i];
      this.flags[j] = from.flags[i];
      this.irInst[j] = from.irInst[i];
      this.opStart[j + 1] = from.opStart[i + 1] - opBase + o0;
    }
    const src = from.operands;
    const dst = this.operands;
    for (let k = 0; k < numOps; k++) dst[o0 + k] = src[opBase + k];
    this.count = j0 + n;
    this.numOperands = o0 + numOps;
  }

  private grow(min: number): void {
    let cap = this.op.length * 2;
    while (cap < min) cap *= 2;
    this.op = growU8(this.op, cap);
    this.size = growU8(this.size, cap);
    this.sub = growU8(this.sub, cap);
    this.imm = growI32(this.imm, cap);
    this.immHi = growI32(this.immHi, cap);
    this.aux = growI32(this.aux, cap);
    this.amKind = growU8(this.amKind, cap);
    this.amShift = growU8(this.amShift, cap);
    this.amDisp = growI32(this.amDisp, cap);
    this.clobbers = growI32(this.clobbers, cap);
    this.flags = growU8(this.flags, cap);
    this.irInst = growI32(this.irInst, cap);
    this.opStart = growI32(this.opStart, cap + 1);
  }
}

/** Follows a vreg alias chain (aliases are set when a lowering makes one IR value share another's register). */
export function resolveAlias(alias: Int32Array, v: number): number {
  let n = 0;
  while (alias[v] >= 0) {
    v = alias[v];
    if (++n > alias.length) throw new Error(`isel: vreg alias cycle through v${v}`);
  }
  return v;
}

export function growU8(a: Uint8Array, cap: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}

export function growI32(a: Int32Array, cap: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** A growable list of int32. */
export class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Int32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) this.data = growI32(this.data, this.length * 2);
    this.data[this.length++] = x;
  }
  get(i: number): number {
    return this.data[i];
  }
  clear(): void {
    this.length = 0;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
  /** The elements as a view (valid until the list grows or is cleared). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/**
 * A reusable Int32Array buffer: view(n) returns its first n elements (grown as needed), optionally filled. The
 * compiler reuses these across functions: allocating typed arrays per function costs more than the work itself.
 */
export class I32Buf {
  private a = new Int32Array(64);
  /**
   * The whole buffer, grown to at least n elements, its first n filled when `fill` is given. No view object is
   * made (a subarray costs about as much as filling a few hundred elements): use it where only indices < n are read.
   */
  array(n: number, fill?: number): Int32Array {
    if (n > this.a.length) {
      let cap = this.a.length * 2;
      while (cap < n) cap *= 2;
      this.a = new Int32Array(cap);
    }
    if (fill !== undefined) this.a.fill(fill, 0, n);
    return this.a;
  }
  view(n: number, fill?: number): Int32Array {
    if (n > this.a.length) {
      let cap = this.a.length * 2;
      while (cap < n) cap *= 2;
      this.a = new Int32Array(cap);
    }
    const v = this.a.subarray(0, n);
    if (fill !== undefined) v.fill(fill);
    return v;
  }
}

export class U8Buf {
  private a = new Uint8Array(64);
  /** The whole buffer, grown to at least n elements (see I32Buf.array). */
  array(n: number, fill?: number): Uint8Array {
    if (n > this.a.length) {
      let cap = this.a.length * 2;
      while (cap < n) cap *= 2;
      this.a = new Uint8Array(cap);
    }
    if (fill !== undefined) this.a.fill(fill, 0, n);
    return this.a;
  }
  view(n: number, fill?: number): Uint8Array {
    if (n > this.a.length) {
      let cap = this.a.length * 2;
      while (cap < n) cap *= 2;
      this.a = new Uint8Array(cap);
    }
    const v = this.a.subarray(0, n);
    if (fill !== undefined) v.fill(fill);
    return v;
  }
}
