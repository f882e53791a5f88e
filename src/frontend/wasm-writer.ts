/**
 * Writing wasm bytes, for tools that rewrite modules (inject-metering.ts): a growable byte buffer with the binary
 * format's encoders (LEB128 u32 / s32 / s64, names), the byte sizes of those encodings (so a rewriter can compute a
 * body's new size before writing it, instead of writing it twice), and a listing of a module's sections so a rewriter
 * can copy the sections it does not change byte for byte.
 *
 * The decoding side is binary-reader.ts; tests/frontend/wasm-writer.test.ts checks each encoder against it.
 */
import { CompileError } from './errors.js';

export { SECTION_ORDER, SectionId } from './sections.js';

/** Byte length of `n` (an integer in [0, 2^32)) as unsigned LEB128. */
export function u32Size(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Byte length of `n` (an integer in [-2^31, 2^31)) as signed LEB128. */
export function s32Size(n: number): number {
  let size = 1;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return size;
    size++;
  }
}

/** A growable byte buffer with the binary format's encoders. */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.bytes = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(b: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Unsigned LEB128 of an integer in [0, 2^32). */
  u32(n: number): void {
    if (!(n >= 0 && n <= 0xffffffff && Number.isInteger(n))) throw new RangeError(`u32 out of range: ${n}`);
    this.reserve(5);
    const bytes = this.bytes;
    let at = this.length;
    while (n >= 0x80) {
      bytes[at++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128); // not >>>: n may exceed 2^31
    }
    bytes[at++] = n;
    this.length = at;
  }

  /** Signed LEB128 of an integer in [-2^31, 2^31) (i32.const immediates; also non-negative i64.const values that fit). */
  s32(n: number): void {
    if (!(n >= -0x80000000 && n <= 0x7fffffff && Number.isInteger(n))) throw new RangeError(`s32 out of range: ${n}`);
    this.reserve(5);
    const bytes = this.bytes;
    let at = this.length;
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
        bytes[at++] = b;
        break;
      }
      bytes[at++] = b | 0x80;
    }
    this.length = at;
  }

  /** Signed LEB128 of a 64-bit value (BigInt: for one-off constants only, never per operator). */
  s64(v: bigint): void {
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new RangeError(`s64 out of range: ${v}`);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.u8(b);
        return;
      }
      this.u8(b | 0x80);
    }
  }

  /** Copies src[start, end). */
  raw(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.reserve(n);
    const bytes = this.bytes;
    const at = this.length;
    // Rewriters copy many short stretches between insertions: a loop there avoids a subarray object per copy.
    if (n < 64) for (let i = 0; i < n; i++) bytes[at + i] = src[start + i];
    else bytes.set(src.subarray(start, end), at);
    this.length = at + n;
  }

  /** A name: its UTF-8 byte length, then the bytes. */
  name(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    this.raw(utf8);
  }

  /** Writes a section: id, payload size, payload (another writer's contents). */
  section(id: number, payload: ByteWriter): void {
    this.u8(id);
    this.u32(payload.length);
    this.raw(payload.bytes, 0, payload.length);
  }

  /** The bytes written so far, as a view (no copy). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** The bytes written so far, in a new exact-size array. */
  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Where one section lies in a module's bytes. */
export interface SectionSpan {
  readonly id: number;
  /** Offset of the id byte: the whole section is bytes[start, end). */
  readonly start: number;
  /** Offset of the payload (after the size). */
  readonly payloadStart: number;
  readonly end: number;
}

/**
 * Lists the sections of a module whose section framing is well formed (e.g. one parseModule accepted). Throws a
 * CompileError when the header or a section size is broken.
 */
export function listSections(bytes: Uint8Array): SectionSpan[] {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new CompileError('magic header not detected', 0);
  }
  const spans: SectionSpan[] = [];
  let pos = 8;
  while (pos < bytes.length) {
    const start = pos;
    const id = bytes[pos++];
    let size = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (pos >= bytes.length || i === 5) throw new CompileError(`malformed size of section ${id}`, start + 1);
      const b = bytes[pos++];
      size += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) break;
    }
    const end = pos + size;
    if (end > bytes.length) throw new CompileError(`section ${id} of ${size} bytes exceeds the module`, start);
    spans.push({ id, start, payloadStart: pos, end });
    pos = end;
  }
  return spans;
}
