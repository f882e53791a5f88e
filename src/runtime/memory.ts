/**
 * Linear memories. Every memory kindling uses is a real `WebAssembly.Memory` (so `.buffer` is a real ArrayBuffer that
 * any JS code and node:wasi can use); V8 reserves its whole address range up front, so the base address does not move
 * on grow. Each one gets a MemoryState holding its native VMMemoryDefinition { base, length } (vm-offsets.ts), which
 * generated code reads for bounds checks, kept current:
 *   - grows through `Memory.prototype.grow` (kindling's class) and from wasm (memory.grow builtin) refresh it at once;
 *   - a plain `WebAssembly.Memory` passed in as an import can also be grown by its owner behind our back:
 *     `check()` notices that cheaply (the old buffer is detached, so its byteLength no longer matches) and runs on
 *     every call from JS into an instance that uses the memory.
 */
import { addressOf } from '../../native/index.js';
import { MAX_MEMORY_PAGES } from '../frontend/limits.js';
import { VMMEMORY_BASE, VMMEMORY_DEFINITION_SIZE, VMMEMORY_LENGTH } from '../frontend/vm-offsets.js';
import { optionalU32, requireDescriptor } from './descriptors.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';

export const PAGE_SIZE = 65536;

export class MemoryState {
  readonly memory: WebAssembly.Memory;
  /** The VMMemoryDefinition. */
  readonly definition: NativeBlock;
  /** Declared maximum in pages, or null: none (kindling's Memory) or unknown (see maximumKnown). */
  readonly maximumPages: number | null;
  /** False for a memory of Node's own namespace: it does not reveal its maximum (no type reflection). */
  readonly maximumKnown: boolean;
  readonly shared: boolean;
  private buffer: ArrayBuffer | SharedArrayBuffer;
  /** Bytes of the memory as of the last refresh. */
  length = 0;
  /** A view of the whole memory (replaced on refresh). */
  bytes: Uint8Array;

  constructor(memory: WebAssembly.Memory, maximumPages: number | null, shared: boolean, maximumKnown = true) {
    this.memory = memory;
    this.maximumPages = maximumPages;
    this.maximumKnown = maximumKnown;
    this.shared = shared;
    this.definition = allocateBlock(VMMEMORY_DEFINITION_SIZE, 16);
    this.buffer = memory.buffer;
    this.bytes = new Uint8Array(0);
    this.refresh();
  }

  /** Re-reads the buffer and rewrites base and length. */
  refresh(): void {
    const buffer = this.memory.buffer;
    this.buffer = buffer;
    this.length = buffer.byteLength;
    this.bytes = new Uint8Array(buffer);
    // V8 gives even a 0-page wasm memory its reserved region, so the address is known; keep it 0 if not.
    let base = 0;
    try {
      base = Number(addressOf(buffer));
    } catch {
      base = 0;
    }
    this.definition.setU64(VMMEMORY_BASE, base);
    this.definition.setU64(VMMEMORY_LENGTH, this.length);
  }

  /** Cheap staleness check: refreshes when the memory was grown by someone else. */
  check(): void {
    if (this.buffer.byteLength !== this.length || this.length === 0 || this.shared) {
      if (this.memory.buffer !== this.buffer) this.refresh();
    }
  }

  get pages(): number {
    return this.length / PAGE_SIZE;
  }

  /** memory.grow from wasm: the old size in pages, or -1 (never throws). */
  growFromWasm(deltaPages: number): number {
    this.check();
    const old = this.pages;
    if (deltaPages === 0) return old;
    const limit = this.maximumPages ?? MAX_MEMORY_PAGES;
    if (old + deltaPages > limit) return -1;
    try {
      WebAssembly.Memory.prototype.grow.call(this.memory, deltaPages);
    } catch {
      return -1;
    } finally {
      this.refresh();
    }
    return old;
  }
}

const states = new WeakMap<WebAssembly.Memory, MemoryState>();

/** The state of any WebAssembly.Memory (a plain one is adopted on first use). */
export function memoryStateOf(memory: WebAssembly.Memory): MemoryState {
  let state = states.get(memory);
  if (state === undefined) {
    if (!(memory instanceof WebAssembly.Memory)) throw new TypeError('expected a WebAssembly.Memory');
    state = new MemoryState(memory, null, typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer, false);
    states.set(memory, state);
  }
  return state;
}

export interface MemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}

/**
 * kindling's WebAssembly.Memory: a subclass, so it *is* a WebAssembly.Memory (instanceof, node:wasi, V8's own checks)
 * whose grow() keeps the native definition current.
 */
export class Memory extends WebAssembly.Memory {
  constructor(descriptor: MemoryDescriptor) {
    const where = 'WebAssembly.Memory()';
    const d = requireDescriptor(descriptor, where);
    const initial = optionalU32(d, 'initial', where);
    if (initial === undefined) throw new TypeError(`${where}: Property 'initial' is required`);
    const maximum = optionalU32(d, 'maximum', where);
    const shared = Boolean(d.shared);
    // V8 checks the limits (RangeError above 65536 pages or maximum < initial) and the shared/maximum rule.
    super(maximum === undefined ? { initial, shared } : { initial, maximum, shared });
    states.set(this, new MemoryState(this, maximum ?? null, shared));
  }

  override grow(delta: number): number {
    try {
      return super.grow(delta);
    } finally {
      states.get(this)!.refresh();
    }
  }

  /** The pages this memory may grow to (its declared maximum, or the 4 GiB limit). */
  get maximumPages(): number {
    return states.get(this)!.maximumPages ?? MAX_MEMORY_PAGES;
  }
}
