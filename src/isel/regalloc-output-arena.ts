/**
 * Where the allocator's output arrays live: views carved one after another out of shared 1 MiB chunks.
 *
 * Why: each `new Int32Array(n)` gets its own ArrayBuffer backing store, which V8 allocates and registers outside its
 * heap (several µs each, plus external-memory accounting that brings GCs forward). The allocator returns six arrays
 * per function, so a module of thousands of functions paid for tens of thousands of them. A view on a chunk costs a
 * small heap object. Chunks are never reused: an output stays valid as long as the caller holds it (a view keeps its
 * chunk alive), exactly like a freshly allocated array, and it starts zeroed.
 */
const CHUNK_BYTES = 1 << 20;

export class OutputArena {
  private chunk = new ArrayBuffer(CHUNK_BYTES);
  private used = 0;

  int32(n: number): Int32Array {
    const offset = this.reserve(4 * n);
    return offset < 0 ? new Int32Array(n) : new Int32Array(this.chunk, offset, n);
  }

  uint8(n: number): Uint8Array {
    const offset = this.reserve(n);
    return offset < 0 ? new Uint8Array(n) : new Uint8Array(this.chunk, offset, n);
  }

  /** Byte offset of `bytes` fresh bytes in the current chunk (8-aligned), or -1 when too big to share a chunk. */
  private reserve(bytes: number): number {
    if (bytes > CHUNK_BYTES >> 3) return -1;
    if (this.used + bytes > CHUNK_BYTES) {
      this.chunk = new ArrayBuffer(CHUNK_BYTES);
      this.used = 0;
    }
    const offset = this.used;
    this.used = (offset + bytes + 7) & ~7;
    return offset;
  }
}

/** The arena shared by `allocateRegisters` calls on this thread. */
export const sharedOutputArena = new OutputArena();
