/**
 * Tables (JS API `WebAssembly.Table` semantics) backed by a native VMTableDefinition { base, length } and a native
 * array of u64 elements: a VMFuncRef address for funcref tables, an externref handle for externref tables, 0 = null.
 * Generated code indexes the array directly after a bounds check against the length; it must reload base and
 * length after any call (a grow moves the array).
 */
import { allocateNative, freeNative, nativeView } from '../../native/index.js';
import { VMTABLE_BASE, VMTABLE_DEFINITION_SIZE, VMTABLE_LENGTH } from '../frontend/vm-offsets.js';
import { ValType } from '../frontend/value-types.js';
import { enforceU32, optionalU32, parseValueTypeName, requireDescriptor } from './descriptors.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';
import { fromRawValue, toRawValue } from './values.js';

/** V8's limit on table length, so kindling accepts and rejects the same tables Node does. */
export const MAX_TABLE_LENGTH = 10_000_000;

const TWO_POW_32 = 4294967296;

export interface TableDescriptor {
  element: 'anyfunc' | 'funcref' | 'externref';
  initial: number;
  maximum?: number;
}

export class Table {
  /** ValType.FUNCREF or ValType.EXTERNREF. */
  readonly elementType: number;
  /** Declared maximum, or null. */
  readonly maximum: number | null;
  /** The VMTableDefinition. */
  readonly definition: NativeBlock;
  private size = 0;
  private capacity = 0;
  private elementsAddress = 0n;
  /** lo/hi u32 pairs over the native element array. */
  private words = new Uint32Array(0);

  constructor(descriptor: TableDescriptor, value?: unknown) {
    const where = 'WebAssembly.Table()';
    const d = requireDescriptor(descriptor, where);
    const elementType = parseValueTypeName(d.element);
    if (elementType !== ValType.FUNCREF && elementType !== ValType.EXTERNREF) {
      throw new TypeError(`${where}: Descriptor property 'element' must be a WebAssembly reference type`);
    }
    const initial = optionalU32(d, 'initial', where);
    if (initial === undefined) throw new TypeError(`${where}: Property 'initial' is required`);
    const maximum = optionalU32(d, 'maximum', where);
    if (initial > MAX_TABLE_LENGTH) throw new RangeError(`${where}: Property 'initial': value ${initial} is above the upper bound ${MAX_TABLE_LENGTH}`);
    if (maximum !== undefined && maximum < initial) {
      throw new RangeError(`${where}: Property 'maximum': value ${maximum} is below the lower bound ${initial}`);
    }
    this.elementType = elementType;
    this.maximum = maximum ?? null;
    this.definition = allocateBlock(VMTABLE_DEFINITION_SIZE, 16);
    // A missing value means null for funcref tables and undefined for externref tables (as in V8).
    const init = arguments.length < 2 && elementType === ValType.FUNCREF ? 0 : (toRawValue(elementType, value) as number);
    this.growRaw(initial, init);
  }

  /** A table for a module's table definition (no JS conversions involved). */
  static forModule(elementType: number, initial: number, maximum: number | null): Table {
    const name = elementType === ValType.EXTERNREF ? 'externref' : 'anyfunc';
    const table = new Table(maximum === null ? { element: name, initial: 0 } : { element: name, initial: 0, maximum }, null);
    if (table.growRaw(initial, 0) < 0) throw new RangeError(`table of ${initial} elements exceeds the limit of ${MAX_TABLE_LENGTH}`);
    return table;
  }

  get length(): number {
    return this.size;
  }

  get(index: unknown): unknown {
    const i = enforceU32(index, 'WebAssembly.Table.get()', 'Argument 0');
    if (i >= this.size) throw new RangeError(`WebAssembly.Table.get(): invalid index ${i} into a table of length ${this.size}`);
    return fromRawValue(this.elementType, this.getRaw(i));
  }

  set(index: unknown, value?: unknown): void {
    const i = enforceU32(index, 'WebAssembly.Table.set()', 'Argument 0');
    if (i >= this.size) throw new RangeError(`WebAssembly.Table.set(): invalid index ${i} into a table of length ${this.size}`);
    this.setRaw(i, arguments.length < 2 && this.elementType === ValType.FUNCREF ? 0 : (toRawValue(this.elementType, value) as number));
  }

  grow(delta: unknown, value?: unknown): number {
    const n = enforceU32(delta, 'WebAssembly.Table.grow()', 'Argument 0');
    const init = arguments.length < 2 && this.elementType === ValType.FUNCREF ? 0 : (toRawValue(this.elementType, value) as number);
    const old = this.growRaw(n, init);
    if (old < 0) throw new RangeError(`WebAssembly.Table.grow(): failed to grow table by ${n}`);
    return old;
  }

  // ---- raw element access (element bits as numbers), used by builtins, linking and segment initialisation ----

  getRaw(index: number): number {
    return this.words[index * 2]! + this.words[index * 2 + 1]! * TWO_POW_32;
  }

  setRaw(index: number, raw: number): void {
    this.words[index * 2] = raw % TWO_POW_32;
    this.words[index * 2 + 1] = Math.floor(raw / TWO_POW_32);
  }

  /** Fills [start, start + count) (caller checked bounds). */
  fillRaw(start: number, raw: number, count: number): void {
    const lo = raw % TWO_POW_32;
    const hi = Math.floor(raw / TWO_POW_32);
    for (let i = start; i < start + count; i++) {
      this.words[i * 2] = lo;
      this.words[i * 2 + 1] = hi;
    }
  }

  /** Copies count elements from src (another table or this one; overlap-safe) — caller checked bounds. */
  copyFrom(src: Table, srcStart: number, dstStart: number, count: number): void {
    this.words.set(src.words.subarray(srcStart * 2, (srcStart + count) * 2), dstStart * 2);
  }

  /** Grows by `delta` elements set to `raw`: the old length, or -1 when past the maximum or the limit. */
  growRaw(delta: number, raw: number): number {
    const old = this.size;
    const limit = Math.min(this.maximum ?? MAX_TABLE_LENGTH, MAX_TABLE_LENGTH);
    if (delta > limit - old) return -1;
    const size = old + delta;
    if (size > this.capacity) this.reallocate(Math.min(Math.max(size, this.capacity * 2, 16), limit));
    this.size = size;
    this.fillRaw(old, raw, delta);
    this.definition.setU64(VMTABLE_LENGTH, size);
    return old;
  }

  private reallocate(capacity: number): void {
    const address = allocateNative(capacity * 8, 16);
    const words = new Uint32Array(nativeView(address, capacity * 8));
    words.set(this.words.subarray(0, this.size * 2));
    // No machine code holds the old array across this (generated code reloads base after calls): free it.
    freeNative(this.elementsAddress);
    this.elementsAddress = address;
    this.words = words;
    this.capacity = capacity;
    this.definition.setU64(VMTABLE_BASE, Number(address));
  }
}
