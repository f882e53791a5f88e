// A page-granular allocator for code memory.
//
// Address space is reserved in chunks (PROT_NONE, no commit charge) and handed out as runs of whole pages, so
// small pieces of code share a few large mappings instead of costing one mmap each, and freed pages are reused.
// Pages are never shared between two spans: W^X is enforced per page with mprotect, and a page that holds sealed
// (executable) code of one span must never be flipped back to writable for another — the sealed code could be
// running right now, below a callback into JS that is compiling more code.
//
// Releasing a span replaces its pages with fresh PROT_NONE zero pages (mmap MAP_FIXED over them): the memory goes
// back to the OS, stale pointers fault instead of running old code, and the address range stays reserved.
// Requests larger than half a chunk get a mapping of their own, unmapped on release.

import {
  MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, PROT_NONE, PROT_READ, PROT_WRITE, mmapAnonymous, mprotect, munmap, pageSize,
} from './libc.js';

const DEFAULT_CHUNK_PAGES = 256; // 1 MiB with 4 KiB pages

/** One run of whole pages handed out by a PagePool; committed read-write when handed out. */
export interface PageSpan {
  readonly address: bigint;
  readonly bytes: number;
  /** The chunk it lives in, or null for a dedicated mapping. */
  readonly chunk: Chunk | null;
  readonly firstPage: number;
  readonly pageCount: number;
}

export interface Chunk {
  readonly address: bigint;
  readonly pageCount: number;
  /** 1 for a page in use, 0 for a free one. */
  readonly used: Uint8Array;
  usedPages: number;
}

export interface PagePoolStats {
  chunks: number;
  chunkPagesInUse: number;
  dedicatedMappings: number;
  dedicatedBytes: number;
}

export class PagePool {
  private readonly chunkPages: number;
  private readonly chunks: Chunk[] = [];
  private readonly dedicated = new Set<PageSpan>();
  private dedicatedBytes = 0;

  constructor(chunkPages: number = DEFAULT_CHUNK_PAGES) {
    if (!Number.isInteger(chunkPages) || chunkPages < 1) {
      throw new RangeError(`PagePool: chunkPages must be a positive integer, got ${chunkPages}`);
    }
    this.chunkPages = chunkPages;
  }

  /** A span of at least `bytes` bytes (rounded up to whole pages), committed PROT_READ|PROT_WRITE and zeroed. */
  allocate(bytes: number): PageSpan {
    const page = pageSize();
    const pageCount = Math.ceil(bytes / page);
    if (pageCount * 2 > this.chunkPages) return this.allocateDedicated(pageCount * page);

    for (let i = 0; i < this.chunks.length; i++) {
      const span = this.allocateIn(this.chunks[i]!, pageCount);
      if (span !== null) return span;
    }
    const chunk = this.reserveChunk();
    return this.allocateIn(chunk, pageCount)!;
  }

  /** Gives the span's pages back. The caller must not touch the span afterwards. */
  release(span: PageSpan): void {
    const chunk = span.chunk;
    if (chunk === null) {
      if (!this.dedicated.delete(span)) throw new Error(`PagePool.release: span at 0x${span.address.toString(16)} is not live`);
      this.dedicatedBytes -= span.bytes;
      munmap(span.address, span.bytes);
      return;
    }
    if (chunk.used[span.firstPage] !== 1) throw new Error(`PagePool.release: span at 0x${span.address.toString(16)} is not live`);
    // Fresh zero PROT_NONE pages in place of the old ones: returns the memory and keeps the reservation.
    mmapAnonymous(span.address, span.bytes, PROT_NONE, MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE);
    chunk.used.fill(0, span.firstPage, span.firstPage + span.pageCount);
    chunk.usedPages -= span.pageCount;
    // Keep one empty chunk around for the next allocation; unmap any other chunk that became empty.
    if (chunk.usedPages === 0 && this.chunks.length > 1) {
      const index = this.chunks.indexOf(chunk);
      this.chunks.splice(index, 1);
      munmap(chunk.address, chunk.pageCount * pageSize());
    }
  }

  /** Every address range this pool has mapped (chunks and dedicated mappings), as [start, end) pairs. */
  mappedRanges(): Array<{ start: bigint; end: bigint }> {
    const page = BigInt(pageSize());
    const ranges: Array<{ start: bigint; end: bigint }> = [];
    for (const chunk of this.chunks) ranges.push({ start: chunk.address, end: chunk.address + BigInt(chunk.pageCount) * page });
    for (const span of this.dedicated) ranges.push({ start: span.address, end: span.address + BigInt(span.bytes) });
    return ranges;
  }

  stats(): PagePoolStats {
    let inUse = 0;
    for (const chunk of this.chunks) inUse += chunk.usedPages;
    return { chunks: this.chunks.length, chunkPagesInUse: inUse, dedicatedMappings: this.dedicated.size, dedicatedBytes: this.dedicatedBytes };
  }

  private allocateDedicated(bytes: number): PageSpan {
    const address = mmapAnonymous(null, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE);
    const span: PageSpan = { address, bytes, chunk: null, firstPage: 0, pageCount: bytes / pageSize() };
    this.dedicated.add(span);
    this.dedicatedBytes += bytes;
    return span;
  }

  private reserveChunk(): Chunk {
    const bytes = this.chunkPages * pageSize();
    const address = mmapAnonymous(null, bytes, PROT_NONE, MAP_PRIVATE | MAP_NORESERVE);
    const chunk: Chunk = { address, pageCount: this.chunkPages, used: new Uint8Array(this.chunkPages), usedPages: 0 };
    this.chunks.push(chunk);
    return chunk;
  }

  /** First fit: the lowest run of `pageCount` free pages in the chunk, committed read-write; null if none. */
  private allocateIn(chunk: Chunk, pageCount: number): PageSpan | null {
    if (chunk.pageCount - chunk.usedPages < pageCount) return null;
    const used = chunk.used;
    let runStart = 0;
    for (let i = 0; i < chunk.pageCount; i++) {
      if (used[i] !== 0) {
        runStart = i + 1;
        continue;
      }
      if (i + 1 - runStart === pageCount) {
        const page = pageSize();
        const address = chunk.address + BigInt(runStart * page);
        mprotect(address, pageCount * page, PROT_READ | PROT_WRITE);
        used.fill(1, runStart, runStart + pageCount);
        chunk.usedPages += pageCount;
        return { address, bytes: pageCount * page, chunk, firstPage: runStart, pageCount };
      }
    }
    return null;
  }
}
