/**
 * Globals (JS API `WebAssembly.Global` semantics) backed by a 16-byte native cell (vm-offsets.ts: value at +0,
 * i32/f32 in the low 4 bytes, references as handles/addresses). A Global either owns its cell (created from JS or
 * for an imported value) or views a defined global's cell inside an instance's VMContext (exports).
 */
import { GLOBAL_CELL_SIZE } from '../frontend/vm-offsets.js';
import { ValType } from '../frontend/value-types.js';
import { parseValueTypeName, requireDescriptor } from './descriptors.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';
import { fromRawValue, readSlot, toRawValue, writeSlot, type RawValue } from './values.js';

export interface GlobalDescriptor {
  value: string;
  mutable?: boolean;
}

/** A cell: a NativeBlock plus the offset of the cell within it. */
export interface GlobalCell {
  readonly block: NativeBlock;
  readonly offset: number;
}

export class Global {
  readonly type: number;
  readonly mutable: boolean;
  private readonly view: DataView;
  /** View offset of the cell. */
  private readonly at: number;
  /** Absolute address of the cell (what VMContexts importing this global point to). */
  readonly cellAddress: number;

  constructor(descriptor: GlobalDescriptor, value?: unknown) {
    const where = 'WebAssembly.Global()';
    const d = requireDescriptor(descriptor, where);
    const mutable = Boolean(d.mutable);
    const type = parseValueTypeName(d.value);
    if (type < 0) throw new TypeError(`${where}: Descriptor property 'value' must be a WebAssembly type`);
    if (type === ValType.V128) throw new TypeError(`${where}: a v128 global cannot be created from JavaScript`);
    // A missing value is the type's default (0, 0n, null); an explicit undefined converts (externref: undefined).
    const raw = arguments.length < 2 || (value === undefined && type !== ValType.EXTERNREF) ? (type === ValType.I64 ? 0n : 0) : toRawValue(type, value);
    const block = allocateBlock(GLOBAL_CELL_SIZE, 16);
    this.type = type;
    this.mutable = mutable;
    this.view = block.view;
    this.at = block.at;
    this.cellAddress = block.address;
    writeSlot(this.view, this.at, type, raw);
  }

  /** A Global viewing an existing cell (a defined global inside a VMContext). */
  static ofCell(cell: GlobalCell, type: number, mutable: boolean): Global {
    // Bypasses the JS-facing constructor: same fields, no descriptor.
    const fields = { type, mutable, view: cell.block.view, at: cell.block.at + cell.offset, cellAddress: cell.block.address + cell.offset };
    return Object.assign(Object.create(Global.prototype) as Global, fields);
  }

  get value(): unknown {
    if (this.type === ValType.V128) throw new TypeError('WebAssembly.Global.value: a v128 value cannot be read from JavaScript');
    return fromRawValue(this.type, this.getRaw());
  }

  set value(value: unknown) {
    if (!this.mutable) throw new TypeError("set WebAssembly.Global.value: Can't set the value of an immutable global.");
    if (this.type === ValType.V128) throw new TypeError('set WebAssembly.Global.value: a v128 value cannot be written from JavaScript');
    this.setRaw(toRawValue(this.type, value));
  }

  valueOf(): unknown {
    return this.value;
  }

  getRaw(): RawValue {
    return readSlot(this.view, this.at, this.type);
  }

  setRaw(raw: RawValue): void {
    writeSlot(this.view, this.at, this.type, raw);
  }

  /** The 16 raw bytes (v128 globals, copying between cells). */
  get cellBytes(): Uint8Array {
    return new Uint8Array(this.view.buffer, this.view.byteOffset + this.at, GLOBAL_CELL_SIZE);
  }

  get [Symbol.toStringTag](): string {
    return 'WebAssembly.Global';
  }
}
