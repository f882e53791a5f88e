/**
 * Linear memory and globals.
 *
 * A heap access is bounds checked against the memory's current byte length (VMMemoryDefinition.length, read
 * through the definition pointer held in the VMContext):
 *
 *   ea   = zext(index) + offset          (offset is a u32, so the sum fits an i64)
 *   trap heap_oob  if  zext(index) > length - (offset + size)   (signed i64 compare; equivalent to ea + size > length)
 *   access [base + zext(index)] with `offset` as the load/store's offset immediate
 *
 * The definition pointer never changes (readonly, hoisted to the entry block); `length` and `base` may change at
 * any call or memory.grow, so they are plain (not readonly) loads at each access, left to GVN to merge where no
 * call or vmctx store intervenes. The access itself is `notrap heap`: the check above made it safe.
 */
import { I32, I64, IntCC, MemFlag, Opcode, TrapCode, type Value } from '../ir/index.js';
import { CompileError } from './errors.js';
import { Op, OP_COUNT } from './opcodes.js';
import type { FunctionTranslator } from './translate.js';
import { irType, VMCTX_MUTABLE, VMCTX_READONLY } from './translate-env.js';
import { ValType } from './value-types.js';
import { Builtin, VMMEMORY_BASE, VMMEMORY_LENGTH } from './vm-offsets.js';

/** Heap accesses after their explicit bounds check. */
const HEAP_FLAGS = MemFlag.notrap | MemFlag.heap;

/** Per load/store operator: IR opcode, IR type (loaded value / controlling type), access size in bytes. */
const ACCESS_OPCODE = new Int16Array(OP_COUNT);
const ACCESS_TYPE = new Uint8Array(OP_COUNT);
const ACCESS_SIZE = new Uint8Array(OP_COUNT);
{
  const rows: [number, number, number, number][] = [
    [Op.I32_LOAD, Opcode.load, I32, 4],
    [Op.I64_LOAD, Opcode.load, I64, 8],
    [Op.F32_LOAD, Opcode.load, irType(ValType.F32), 4],
    [Op.F64_LOAD, Opcode.load, irType(ValType.F64), 8],
    [Op.I32_LOAD8_S, Opcode.sload8, I32, 1],
    [Op.I32_LOAD8_U, Opcode.uload8, I32, 1],
    [Op.I32_LOAD16_S, Opcode.sload16, I32, 2],
    [Op.I32_LOAD16_U, Opcode.uload16, I32, 2],
    [Op.I64_LOAD8_S, Opcode.sload8, I64, 1],
    [Op.I64_LOAD8_U, Opcode.uload8, I64, 1],
    [Op.I64_LOAD16_S, Opcode.sload16, I64, 2],
    [Op.I64_LOAD16_U, Opcode.uload16, I64, 2],
    [Op.I64_LOAD32_S, Opcode.sload32, I64, 4],
    [Op.I64_LOAD32_U, Opcode.uload32, I64, 4],
    [Op.I32_STORE, Opcode.store, 0, 4],
    [Op.I64_STORE, Opcode.store, 0, 8],
    [Op.F32_STORE, Opcode.store, 0, 4],
    [Op.F64_STORE, Opcode.store, 0, 8],
    [Op.I32_STORE8, Opcode.istore8, 0, 1],
    [Op.I32_STORE16, Opcode.istore16, 0, 2],
    [Op.I64_STORE8, Opcode.istore8, 0, 1],
    [Op.I64_STORE16, Opcode.istore16, 0, 2],
    [Op.I64_STORE32, Opcode.istore32, 0, 4],
  ];
  for (const [op, opcode, type, size] of rows) {
    ACCESS_OPCODE[op] = opcode;
    ACCESS_TYPE[op] = type;
    ACCESS_SIZE[op] = size;
  }
}

/** Largest offset that fits the signed 32-bit offset immediate of an IR load/store. */
const MAX_OFFSET_IMMEDIATE = 0x7fffffff;

/** The offset immediate that goes with the address `heapAddress` returned last. */
let accessOffset = 0;

/**
 * Bounds-checks an access of `size` bytes at `index` + `offset` and returns the address to use with the offset
 * immediate left in `accessOffset` (`offset` itself, unless it does not fit the immediate).
 */
function heapAddress(t: FunctionTranslator, index: Value, offset: number, size: number): Value {
  const ins = t.ins;
  const definition = t.memoryDefinition();
  const zext = ins.uextend(I64, index);
  const length = ins.load(I64, VMCTX_MUTABLE, definition, VMMEMORY_LENGTH);
  // zext + offset + size > length  <=>  zext > length - (offset + size), compared signed: zext < 2^32,
  // length <= 2^32 and offset + size < 2^33, so neither side wraps. The limit depends only on the memory and the
  // access shape, so GVN shares it between accesses and LICM hoists it out of loops: the check becomes one
  // `cmp index, limit; jg` instead of an add, a compare and a jump per access.
  const limit = ins.iaddImm(length, -(offset + size));
  const outOfBounds = ins.icmp(IntCC.sgt, zext, limit);
  t.trapIf(outOfBounds, TrapCode.heap_oob);
  const base = ins.load(I64, VMCTX_MUTABLE, definition, VMMEMORY_BASE);
  let addr = ins.iadd(base, zext);
  if (offset > MAX_OFFSET_IMMEDIATE) {
    addr = ins.iaddImm(addr, offset);
    accessOffset = 0;
  } else accessOffset = offset;
  return addr;
}

export function translateLoad(t: FunctionTranslator, op: number, offset: number): void {
  const addr = heapAddress(t, t.pop(), offset, ACCESS_SIZE[op]);
  t.push(t.ins.loadOp(ACCESS_OPCODE[op], ACCESS_TYPE[op], HEAP_FLAGS, addr, accessOffset));
}

export function translateStore(t: FunctionTranslator, op: number, offset: number): void {
  const value = t.pop();
  const addr = heapAddress(t, t.pop(), offset, ACCESS_SIZE[op]);
  t.ins.storeOp(ACCESS_OPCODE[op], HEAP_FLAGS, value, addr, accessOffset);
}

/** memory.size: the byte length / 64 KiB. */
export function translateMemorySize(t: FunctionTranslator): void {
  const ins = t.ins;
  const length = ins.load(I64, VMCTX_MUTABLE, t.memoryDefinition(), VMMEMORY_LENGTH);
  t.push(ins.ireduce(I32, ins.ushrImm(length, 16)));
}

/** memory.grow: the builtin returns the old size in pages, or -1. */
export function translateMemoryGrow(t: FunctionTranslator): void {
  const delta = t.pop();
  t.push(t.callBuiltin(Builtin.MemoryGrow, [t.ins.iconst(I32, 0), delta]));
}

/**
 * memory.fill / copy / init and data.drop, through builtins. A nonzero status means the builtin recorded a trap
 * (out of bounds) or a host exception: `trapnz status, host` and the runtime reports the recorded one.
 */
export function translateBulkMemory(t: FunctionTranslator, op: number): void {
  const ins = t.ins;
  const r = t.reader;
  if (op === Op.DATA_DROP) {
    t.callBuiltin(Builtin.DataDrop, [ins.iconst(I32, r.index)]);
    return;
  }
  const n = t.pop();
  const b = t.pop();
  const a = t.pop();
  const memory0 = ins.iconst(I32, 0);
  let status: Value;
  if (op === Op.MEMORY_FILL) status = t.callBuiltin(Builtin.MemoryFill, [memory0, a, b, n]);
  else if (op === Op.MEMORY_COPY) status = t.callBuiltin(Builtin.MemoryCopy, [memory0, memory0, a, b, n]);
  else status = t.callBuiltin(Builtin.MemoryInit, [memory0, ins.iconst(I32, r.index), a, b, n]);
  t.trapIf(status, TrapCode.host);
}

// -------------------------------------------------------------------------------------------------------------
// Globals: defined ones live inline in the VMContext (a 16-byte cell each); imported ones behind a pointer to the
// exporter's cell. Immutable globals are readonly loads.
// -------------------------------------------------------------------------------------------------------------

/** The address of global `g`'s cell, as (base value, offset). */
let cellOffset = 0;

function globalCell(t: FunctionTranslator, g: number): Value {
  const offsets = t.offsets;
  if (g < t.module.numImportedGlobals) {
    cellOffset = 0;
    return t.ins.load(I64, VMCTX_READONLY, t.vmctx, offsets.importedGlobalPointer(g));
  }
  cellOffset = offsets.definedGlobalCell(g);
  return t.vmctx;
}

function globalIrType(t: FunctionTranslator, g: number): number {
  const vt = t.module.globals[g].type;
  if (vt === ValType.V128) {
    throw new CompileError(`unsupported by the translator: v128 global ${g} (SIMD)`, t.reader.opOffset, t.funcIndex);
  }
  return irType(vt);
}

export function translateGlobalGet(t: FunctionTranslator, g: number): void {
  const type = globalIrType(t, g);
  const flags = t.module.globals[g].mutable ? VMCTX_MUTABLE : VMCTX_READONLY;
  const base = globalCell(t, g);
  t.push(t.ins.load(type, flags, base, cellOffset));
}

export function translateGlobalSet(t: FunctionTranslator, g: number): void {
  globalIrType(t, g);
  const value = t.pop();
  const base = globalCell(t, g);
  t.ins.store(VMCTX_MUTABLE, value, base, cellOffset);
}
