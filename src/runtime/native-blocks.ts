/**
 * Small native structures (host records, VMFuncRefs, global cells, memory and table definitions, VMInterrupts) come
 * from 64 KiB slabs of C heap, each with one DataView made once: writing a field is then a plain DataView store
 * instead of a koffi call per access.
 *
 * Blocks are never freed: these structures are small and must outlive any machine code that may still hold their
 * address (a funcref in a table, a VMContext pointer). Reclaiming them with the instances that own them is future work.
 */
import { allocateNative, nativeView } from '../../native/index.js';

const SLAB_SIZE = 64 * 1024;
const TWO_POW_32 = 4294967296;

/** A block of native memory and the view to write it through: field `x` lives at `view` offset `at + x`. */
export class NativeBlock {
  constructor(
    readonly address: number,
    readonly view: DataView,
    readonly at: number,
    readonly size: number,
  ) {}

  setU32(offset: number, value: number): void {
    this.view.setUint32(this.at + offset, value >>> 0, true);
  }

  getU32(offset: number): number {
    return this.view.getUint32(this.at + offset, true);
  }

  /** Stores a non-negative safe integer (an address, a length) as u64. */
  setU64(offset: number, value: number): void {
    this.view.setUint32(this.at + offset, value % TWO_POW_32, true);
    this.view.setUint32(this.at + offset + 4, Math.floor(value / TWO_POW_32), true);
  }

  /** Reads a u64 that is known to fit a safe integer (an address, a length). */
  getU64(offset: number): number {
    return this.view.getUint32(this.at + offset, true) + this.view.getUint32(this.at + offset + 4, true) * TWO_POW_32;
  }
}

let slabAddress = 0;
let slabView: DataView | null = null;
let slabUsed = SLAB_SIZE;

/** `size` zeroed bytes aligned to `alignment` (≤ 64). Large blocks get their own allocation. */
export function allocateBlock(size: number, alignment = 16): NativeBlock {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`allocateBlock: bad size ${size}`);
  if (size > SLAB_SIZE / 4) {
    const address = allocateNative(size, Math.max(alignment, 16));
    return new NativeBlock(Number(address), new DataView(nativeView(address, size)), 0, size);
  }
  let at = (slabUsed + alignment - 1) & ~(alignment - 1);
  if (slabView === null || at + size > SLAB_SIZE) {
    const address = allocateNative(SLAB_SIZE, 64);
    slabAddress = Number(address);
    slabView = new DataView(nativeView(address, SLAB_SIZE));
    at = 0;
  }
  slabUsed = at + size;
  return new NativeBlock(slabAddress + at, slabView, at, size);
}
