// Executable memory with W^X: a CodeRegion's pages are writable OR executable, never both.
//
// Life of a region: allocateCode(size) → writable (PROT_READ|PROT_WRITE) → write / patch → seal() → executable
// (PROT_READ|PROT_EXEC, writes throw) → free() → gone (every later use throws). Pages come from a shared PagePool,
// so a region occupies whole pages of its own (see page-pool.ts for why pages are never shared). To keep small
// pieces of code from costing a page each, put many of them in one region (e.g. all trampolines of a module) and
// seal once.
//
// Fresh regions are filled with int3 (0xCC): a stray jump into unwritten bytes traps at once instead of sliding
// through zero bytes (`add [rax], al`).

import koffi from 'koffi';
import { PROT_EXEC, PROT_READ, hex, mprotect } from './libc.js';
import { PagePool, type PageSpan } from './page-pool.js';

const INT3 = 0xcc;
const MAX_CODE_SIZE = 1 << 30; // 1 GiB: far beyond any module; rejects absurd sizes with a clear error

const STATE_WRITABLE = 0;
const STATE_SEALED = 1;
const STATE_FREED = 2;

export type CodeRegionState = 'writable' | 'sealed' | 'freed';
const STATE_NAMES: readonly CodeRegionState[] = ['writable', 'sealed', 'freed'];

const pool = new PagePool();

export class CodeRegion {
  /** Address of the first byte. */
  readonly address: bigint;
  /** The same address as a number (x86-64 Linux user addresses are below 2^47, exact in a double). */
  readonly addressNumber: number;
  /** Bytes requested; reads and writes are checked against it. */
  readonly size: number;
  /** Bytes actually mapped (size rounded up to whole pages). */
  readonly capacity: number;

  private span: PageSpan;
  private state = STATE_WRITABLE;
  // Views onto the writable pages; dropped at seal/free, since touching them afterwards would fault the process.
  private bytes: Uint8Array | null;
  private data: DataView | null;

  /** @internal use allocateCode() */
  constructor(span: PageSpan, size: number) {
    this.span = span;
    this.address = span.address;
    this.addressNumber = Number(span.address);
    this.size = size;
    this.capacity = span.bytes;
    const buffer = koffi.view(span.address, span.bytes);
    this.bytes = new Uint8Array(buffer);
    this.data = new DataView(buffer);
    this.bytes.fill(INT3);
  }

  get stateName(): CodeRegionState {
    return STATE_NAMES[this.state]!;
  }

  get sealed(): boolean {
    return this.state === STATE_SEALED;
  }

  get freed(): boolean {
    return this.state === STATE_FREED;
  }

  /** Address of the byte at `offset` (offset may equal size: one past the end). */
  pointer(offset: number): bigint {
    this.checkLive('pointer');
    if (!Number.isInteger(offset) || offset < 0 || offset > this.size) {
      throw new RangeError(`CodeRegion.pointer: offset ${offset} is outside region ${this.describe()}`);
    }
    return this.address + BigInt(offset);
  }

  /** Copies `source` into the region at `offset`. */
  write(offset: number, source: Uint8Array | ArrayLike<number>): void {
    const bytes = this.writable('write', offset, source.length);
    bytes.set(source, offset);
  }

  writeU8(offset: number, value: number): void {
    checkInteger('writeU8', value, -0x80, 0xff);
    this.writable('writeU8', offset, 1)[offset] = value;
  }

  /** Writes 4 bytes little-endian; accepts signed (rel32, disp32) and unsigned 32-bit values. */
  writeU32(offset: number, value: number): void {
    checkInteger('writeU32', value, -0x8000_0000, 0xffff_ffff);
    this.writable('writeU32', offset, 4);
    this.data!.setUint32(offset, value >>> 0, true);
  }

  /** Writes 8 bytes little-endian; accepts bigint in [-2^63, 2^64) or a safe-integer number (e.g. an address). */
  writeU64(offset: number, value: bigint | number): void {
    let bits: bigint;
    if (typeof value === 'bigint') {
      if (value < -(1n << 63n) || value >= 1n << 64n) {
        throw new RangeError(`CodeRegion.writeU64: value ${value} does not fit in 64 bits`);
      }
      bits = BigInt.asUintN(64, value);
    } else {
      if (!Number.isSafeInteger(value)) throw new RangeError(`CodeRegion.writeU64: value ${value} is not a safe integer; pass a bigint`);
      bits = BigInt.asUintN(64, BigInt(value));
    }
    this.writable('writeU64', offset, 8);
    this.data!.setBigUint64(offset, bits, true);
  }

  /** A copy of `length` bytes at `offset` (works sealed or not; for tests, disassembly and debugging). */
  read(offset = 0, length: number = this.size - offset): Uint8Array {
    this.checkLive('read');
    this.checkRange('read', offset, length);
    const view = new Uint8Array(koffi.view(this.address + BigInt(offset), length));
    return view.slice();
  }

  /** Makes the region executable and read-only (PROT_READ|PROT_EXEC). Sealing twice is a no-op. */
  seal(): this {
    if (this.state === STATE_SEALED) return this;
    this.checkLive('seal');
    mprotect(this.address, this.capacity, PROT_READ | PROT_EXEC);
    this.state = STATE_SEALED;
    this.bytes = null;
    this.data = null;
    return this;
  }

  /** Returns the pages to the OS. Idempotent; any other use afterwards throws. */
  free(): void {
    if (this.state === STATE_FREED) return;
    this.state = STATE_FREED;
    this.bytes = null;
    this.data = null;
    pool.release(this.span);
  }

  private describe(): string {
    return `${hex(this.address)} (size ${this.size}, ${this.stateName})`;
  }

  private checkLive(operation: string): void {
    if (this.state === STATE_FREED) throw new Error(`CodeRegion.${operation}: region ${this.describe()} was freed`);
  }

  private checkRange(operation: string, offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`CodeRegion.${operation}: ${length} bytes at offset ${offset} do not fit in region ${this.describe()}`);
    }
  }

  /** The writable byte view after checking state and bounds. */
  private writable(operation: string, offset: number, length: number): Uint8Array {
    if (this.state !== STATE_WRITABLE) {
      throw new Error(`CodeRegion.${operation}: region ${this.describe()} is ${this.stateName}; writes must happen before seal()`);
    }
    this.checkRange(operation, offset, length);
    return this.bytes!;
  }
}

function checkInteger(operation: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`CodeRegion.${operation}: value ${value} is not an integer in [${min}, ${max}]`);
  }
}

/** A writable region of `size` bytes (a positive integer), filled with int3. */
export function allocateCode(size: number): CodeRegion {
  if (!Number.isInteger(size) || size <= 0 || size > MAX_CODE_SIZE) {
    throw new RangeError(`allocateCode: size must be an integer in [1, ${MAX_CODE_SIZE}], got ${size}`);
  }
  return new CodeRegion(pool.allocate(size), size);
}

/** Allocates, copies `bytes` in and seals: ready-to-run code. */
export function mapCode(bytes: Uint8Array | ArrayLike<number>): CodeRegion {
  if (bytes.length === 0) throw new RangeError('mapCode: no bytes to map (empty code)');
  const region = allocateCode(bytes.length);
  try {
    region.write(0, bytes);
    return region.seal();
  } catch (error) {
    region.free();
    throw error;
  }
}

/** Every address range the code allocator has mapped, for diagnostics and the W^X tests. */
export function codeMappedRanges(): Array<{ start: bigint; end: bigint }> {
  return pool.mappedRanges();
}

/** Page-pool counters: chunks reserved, chunk pages in use, dedicated mappings. */
export function codeMemoryStats(): ReturnType<PagePool['stats']> {
  return pool.stats();
}
