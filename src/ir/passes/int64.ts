/**
 * 64-bit two's-complement integer arithmetic on pairs of int32 halves (lo, hi), without BigInt: the IR keeps
 * i64 immediates as two halves, and constant folding must wrap exactly like wasm's i64 operators.
 *
 * Functions that produce a 64-bit result write it to `out[0]` (lo) and `out[1]` (hi); `out` may be shared
 * scratch (every function reads all its inputs before writing).
 */

/** High 32 bits of the unsigned 64-bit product of two unsigned 32-bit numbers (as an int32). */
export function mulHiU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  // Every partial product is below 2^32, so `>>> 16` and `& 0xffff` read them exactly.
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

export function add64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  const lo = (alo + blo) | 0;
  const carry = lo >>> 0 < alo >>> 0 ? 1 : 0;
  out[0] = lo;
  out[1] = (ahi + bhi + carry) | 0;
}

export function sub64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  const borrow = alo >>> 0 < blo >>> 0 ? 1 : 0;
  out[0] = (alo - blo) | 0;
  out[1] = (ahi - bhi - borrow) | 0;
}

export function neg64(lo: number, hi: number, out: Int32Array): void {
  sub64(0, 0, lo, hi, out);
}

export function mul64(alo: number, ahi: number, blo: number, bhi: number, out: Int32Array): void {
  const hi = (Math.imul(alo, bhi) + Math.imul(ahi, blo) + mulHiU32(alo, blo)) | 0;
  out[0] = Math.imul(alo, blo);
  out[1] = hi;
}

/** Shift left by `n & 63`. */
export function shl64(lo: number, hi: number, n: number, out: Int32Array): void {
  n &= 63;
  if (n === 0) {
    out[0] = lo;
    out[1] = hi;
  } else if (n < 32) {
    out[1] = (hi << n) | (lo >>> (32 - n));
    out[0] = lo << n;
  } else {
    out[1] = lo << (n - 32);
    out[0] = 0;
  }
}

/** Logical shift right by `n & 63`. */
export function ushr64(lo: number, hi: number, n: number, out: Int32Array): void {
  n &= 63;
  if (n === 0) {
    out[0] = lo;
    out[1] = hi;
  } else if (n < 32) {
    out[0] = (lo >>> n) | (hi << (32 - n));
    out[1] = hi >>> n;
  } else {
    out[0] = hi >>> (n - 32);
    out[1] = 0;
  }
}

/** Arithmetic shift right by `n & 63`. */
export function sshr64(lo: number, hi: number, n: number, out: Int32Array): void {
  n &= 63;
  if (n === 0) {
    out[0] = lo;
    out[1] = hi;
  } else if (n < 32) {
    out[0] = (lo >>> n) | (hi << (32 - n));
    out[1] = hi >> n;
  } else {
    out[0] = hi >> (n - 32);
    out[1] = hi >> 31;
  }
}

/** Rotate left by `n & 63`. */
export function rotl64(lo: number, hi: number, n: number, out: Int32Array): void {
  n &= 63;
  if (n >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    n -= 32;
  }
  if (n === 0) {
    out[0] = lo;
    out[1] = hi;
  } else {
    const nlo = (lo << n) | (hi >>> (32 - n));
    out[1] = (hi << n) | (lo >>> (32 - n));
    out[0] = nlo;
  }
}

/** Rotate right by `n & 63`. */
export function rotr64(lo: number, hi: number, n: number, out: Int32Array): void {
  rotl64(lo, hi, (64 - (n & 63)) & 63, out);
}

export function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function ctz64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}

export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function eq64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return alo === blo && ahi === bhi;
}

/** Unsigned a < b. */
export function ltU64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  return ah < bh || (ah === bh && alo >>> 0 < blo >>> 0);
}

/** Signed a < b. */
export function ltS64(alo: number, ahi: number, blo: number, bhi: number): boolean {
  return (ahi | 0) < (bhi | 0) || ((ahi | 0) === (bhi | 0) && alo >>> 0 < blo >>> 0);
}

const divScratch = new Int32Array(2);

/**
 * Unsigned division and remainder (divisor must be non-zero): quotient to `quot`, remainder to `rem`.
 * Uses exact double arithmetic below 2^52 and shift-subtract long division above.
 */
export function divRemU64(
  alo: number, ahi: number, blo: number, bhi: number, quot: Int32Array, rem: Int32Array,
): void {
  const ah = ahi >>> 0;
  const bh = bhi >>> 0;
  if (ah < 0x100000 && bh < 0x100000) {
    // Both below 2^52: doubles are exact (q * b <= a + b stays below 2^53); correct the floor of the rounded
    // quotient by one step if needed.
    const a = ah * 4294967296 + (alo >>> 0);
    const b = bh * 4294967296 + (blo >>> 0);
    let q = Math.floor(a / b);
    let r = a - q * b;
    if (r < 0) {
      q -= 1;
      r += b;
    } else if (r >= b) {
      q += 1;
      r -= b;
    }
    quot[0] = q | 0;
    quot[1] = Math.floor(q / 4294967296) | 0;
    rem[0] = r | 0;
    rem[1] = Math.floor(r / 4294967296) | 0;
    return;
  }
  let qlo = 0;
  let qhi = 0;
  let rlo = 0;
  let rhi = 0;
  for (let i = 63; i >= 0; i--) {
    // r = (r << 1) | bit i of a
    rhi = (rhi << 1) | (rlo >>> 31);
    const bit = i >= 32 ? (ahi >>> (i - 32)) & 1 : (alo >>> i) & 1;
    rlo = (rlo << 1) | bit;
    if (!ltU64(rlo, rhi, blo, bhi)) {
      sub64(rlo, rhi, blo, bhi, divScratch);
      rlo = divScratch[0]!;
      rhi = divScratch[1]!;
      if (i >= 32) qhi |= 1 << (i - 32);
      else qlo |= 1 << i;
    }
  }
  quot[0] = qlo;
  quot[1] = qhi;
  rem[0] = rlo;
  rem[1] = rhi;
}

const absA = new Int32Array(2);
const absB = new Int32Array(2);
const qTmp = new Int32Array(2);
const rTmp = new Int32Array(2);

/**
 * Signed division (truncating) and remainder (sign of the dividend). The divisor must be non-zero; for
 * INT64_MIN / -1 the quotient wraps to INT64_MIN and the remainder is 0 (callers decide whether that traps).
 */
export function divRemS64(
  alo: number, ahi: number, blo: number, bhi: number, quot: Int32Array, rem: Int32Array,
): void {
  const negA = ahi < 0;
  const negB = bhi < 0;
  if (negA) neg64(alo, ahi, absA);
  else {
    absA[0] = alo;
    absA[1] = ahi;
  }
  if (negB) neg64(blo, bhi, absB);
  else {
    absB[0] = blo;
    absB[1] = bhi;
  }
  divRemU64(absA[0]!, absA[1]!, absB[0]!, absB[1]!, qTmp, rTmp);
  if (negA !== negB) neg64(qTmp[0]!, qTmp[1]!, quot);
  else {
    quot[0] = qTmp[0]!;
    quot[1] = qTmp[1]!;
  }
  if (negA) neg64(rTmp[0]!, rTmp[1]!, rem);
  else {
    rem[0] = rTmp[0]!;
    rem[1] = rTmp[1]!;
  }
}

/** True when the 64-bit value is a power of two (as unsigned); `log2Pow2` then gives its exponent. */
export function isPow2_64(lo: number, hi: number): boolean {
  if (lo === 0) return hi !== 0 && (hi & (hi - 1)) === 0;
  return hi === 0 && (lo & (lo - 1)) === 0;
}

export function log2Pow2_64(lo: number, hi: number): number {
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
}
