import { IntVec } from './regalloc-int-vec.js';

/**
 * Working arrays reused from one allocator run to the next (functions are allocated one at a time), so compiling a
 * module does not allocate and zero a hundred typed arrays per function. Each call site owns a fixed key; an array
 * handed out may be longer than asked for, so callers use explicit counts, never `.length`. Arrays are not cleared
 * unless the `*Fill` variant is used. Outputs returned to the caller never come from here.
 */
export class ScratchPool {
  private readonly i32: (Int32Array | undefined)[] = [];
  private readonly u8: (Uint8Array | undefined)[] = [];
  private readonly f64: (Float64Array | undefined)[] = [];
  private readonly vecs: (IntVec | undefined)[] = [];

  int32(key: number, n: number): Int32Array {
    let a = this.i32[key];
    if (a === undefined || a.length < n) {
      a = new Int32Array(capacityFor(n));
      this.i32[key] = a;
    }
    return a;
  }

  int32Fill(key: number, n: number, value: number): Int32Array {
    const a = this.int32(key, n);
    a.fill(value, 0, n);
    return a;
  }

  uint8Fill(key: number, n: number, value: number): Uint8Array {
    let a = this.u8[key];
    if (a === undefined || a.length < n) {
      a = new Uint8Array(capacityFor(n));
      this.u8[key] = a;
    }
    a.fill(value, 0, n);
    return a;
  }

  float64(key: number, n: number): Float64Array {
    let a = this.f64[key];
    if (a === undefined || a.length < n) {
      a = new Float64Array(capacityFor(n));
      this.f64[key] = a;
    }
    return a;
  }

  float64Fill(key: number, n: number, value: number): Float64Array {
    const a = this.float64(key, n);
    a.fill(value, 0, n);
    return a;
  }

  /** An empty growable list; its growth is kept for the next run. */
  vec(key: number): IntVec {
    let v = this.vecs[key];
    if (v === undefined) {
      v = new IntVec(64);
      this.vecs[key] = v;
    }
    v.clear();
    return v;
  }
}

function capacityFor(n: number): number {
  return n < 64 ? 64 : n + (n >> 2);
}

/** The pool shared by `allocateRegisters` calls on this thread. */
export const sharedScratchPool = new ScratchPool();
