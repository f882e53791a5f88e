/**
 * A cursor over wasm bytes with the binary format's primitive decoders: strict LEB128 (u32, s32, s33, s64 — the last
 * without BigInt, as two 32-bit halves), fixed-width little-endian words, names (strict UTF-8) and vectors.
 *
 * Every read is bounded by `end` (a section's or a function body's end, or the module's end), and every failure is
 * a CompileError naming the byte offset — never a RangeError, never a read past the data.
 */
import { CompileError } from './errors.js';
import { decodeUtf8, isWellFormedUtf8 } from './utf8.js';

export class BinaryReader {
  bytes: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** Reads must stay below this offset. */
  end: number;
  /** Function index (in the function index space) that error messages name; -1 outside function bodies. */
  functionIndex = -1;
  /** Set while reading inside a section or body, where running out of bytes is the section's fault. */
  inSection = false;
  /** Low and high halves (each as int32) of the last s64 read by readVarS64 (and of i64.const immediates). */
  i64lo = 0;
  i64hi = 0;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  /** Throws a CompileError for the current function (if any) at `offset`. */
  fail(reason: string, offset: number = this.pos): never {
    throw new CompileError(reason, offset, this.functionIndex);
  }

  /** Throws the error for running out of bytes: at the module's end, or at the end of a section or function body. */
  failEnd(offset: number = this.pos): never {
    const inside = this.inSection || this.end < this.bytes.length;
    this.fail(inside ? 'unexpected end of section or function' : 'unexpected end', offset);
  }

  /** Bytes left before `end`. */
  remaining(): number {
    return this.end - this.pos;
  }

  readU8(): number {
    const pos = this.pos;
    if (pos >= this.end) this.failEnd();
    this.pos = pos + 1;
    return this.bytes[pos];
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32 (returned as a non-negative number). */
  readVarU32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    return this.readVarU32Slow();
  }

  private readVarU32Slow(): number {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.failEnd(pos);
      const b = bytes[pos++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result >>> 0;
      }
    }
    // Fifth byte: only its low 4 bits are value bits.
    if (pos >= end) this.failEnd(pos);
    const b = bytes[pos];
    if (b & 0x80) this.fail('integer representation too long', pos);
    if (b > 0x0f) this.fail('integer too large', pos);
    this.pos = pos + 1;
    return (result | (b << 28)) >>> 0;
  }

  /** Signed LEB128, at most 5 bytes, value in int32 range. */
  readVarS32(): number {
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return (b << 25) >> 25;
      }
    }
    return this.readVarS32Slow();
  }

  private readVarS32Slow(): number {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) this.failEnd(pos);
      const b = bytes[pos++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        const unused = 32 - shift - 7; // sign-extend from the last value bit
        return (result << unused) >> unused;
      }
    }
    // Fifth byte: bits 0–3 are value bits 28–31; bits 4–6 must repeat the sign (bit 3).
    if (pos >= end) this.failEnd(pos);
    const b = bytes[pos];
    if (b & 0x80) this.fail('integer representation too long', pos);
    const signAndUnused = b & 0x78;
    if (signAndUnused !== 0 && signAndUnused !== 0x78) this.fail('integer too large', pos);
    this.pos = pos + 1;
    return result | (b << 28);
  }

  /**
   * Signed LEB128 of 33 bits (block types' type indices), at most 5 bytes. Rare, so plain float arithmetic: the result
   * is exact in [-2^32, 2^32).
   */
  readVarS33(): number {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) this.failEnd(pos);
      const b = bytes[pos++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.pos = pos;
        return b & 0x40 ? result - scale : result;
      }
    }
    // Fifth byte: bits 0–4 are value bits 28–32 (bit 32 the sign); bits 5–6 must repeat the sign.
    if (pos >= end) this.failEnd(pos);
    const b = bytes[pos];
    if (b & 0x80) this.fail('integer representation too long', pos);
    const signAndUnused = b & 0x70;
    if (signAndUnused !== 0 && signAndUnused !== 0x70) this.fail('integer too large', pos);
    this.pos = pos + 1;
    result += (b & 0x1f) * scale;
    return b & 0x10 ? result - 2 ** 33 : result;
  }

  /** Signed LEB128 of 64 bits, at most 10 bytes, into i64lo/i64hi (int32 halves) — no BigInt. */
  readVarS64(): void {
    const bytes = this.bytes;
    const end = this.end;
    let pos = this.pos;
    if (pos < end && bytes[pos] < 0x80) {
      const v = (bytes[pos] << 25) >> 25;
      this.pos = pos + 1;
      this.i64lo = v;
      this.i64hi = v >> 31;
      return;
    }
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b = 0;
    for (;;) {
      if (pos >= end) this.failEnd(pos);
      b = bytes[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >>> 4;
      } else if (shift < 63) hi |= (b & 0x7f) << (shift - 32);
      else {
        // Tenth byte: bit 0 is value bit 63; bits 1–6 must repeat it.
        if (b & 0x80) this.fail('integer representation too long', pos - 1);
        if (b !== 0 && b !== 0x7f) this.fail('integer too large', pos - 1);
        this.pos = pos;
        this.i64lo = lo;
        this.i64hi = hi | (b << 31);
        return;
      }
      shift += 7;
      if (b < 0x80) break;
    }
    if (b & 0x40) {
      // Negative: fill the bits above the last value bit with ones.
      if (shift < 32) {
        lo |= -1 << shift;
        hi = -1;
      } else hi |= -1 << (shift - 32);
    }
    this.pos = pos;
    this.i64lo = lo | 0;
    this.i64hi = hi | 0;
  }

  /** A 4-byte little-endian word, as int32 (float bit patterns). */
  readFixedI32(): number {
    const pos = this.pos;
    if (this.end - pos < 4) this.failEnd(pos);
    const b = this.bytes;
    this.pos = pos + 4;
    return b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24);
  }

  /**
   * A vector's length, checked against the bytes left (each element takes at least `minElementBytes`), so that a
   * huge declared count fails here instead of driving a huge allocation or a long loop.
   */
  readVecLength(minElementBytes = 1): number {
    const at = this.pos;
    const n = this.readVarU32();
    if (n * minElementBytes > this.end - this.pos) {
      this.fail(`unexpected end of section or function: ${n} elements declared, only ${this.end - this.pos} bytes left`, at);
    }
    return n;
  }

  /** A byte vector (length + bytes): returns the start offset of the bytes and leaves `pos` after them. */
  readByteVector(): number {
    const at = this.pos;
    const n = this.readVarU32();
    const start = this.pos;
    if (n > this.end - start) this.fail(`length out of bounds: ${n} bytes do not fit`, at);
    this.pos = start + n;
    return start;
  }

  /** A name: a byte vector of well-formed UTF-8. */
  readName(): string {
    const at = this.pos;
    const start = this.readByteVector();
    const end = this.pos;
    if (!isWellFormedUtf8(this.bytes, start, end)) this.fail('malformed UTF-8 encoding', at);
    return decodeUtf8(this.bytes, start, end);
  }

  skip(n: number): void {
    if (n > this.end - this.pos) this.failEnd();
    this.pos += n;
  }
}
