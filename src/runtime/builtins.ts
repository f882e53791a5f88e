/**
 * Runtime builtins (vm-offsets.ts `Builtin`): JS functions registered as koffi callbacks with C signatures, vmctx
 * first. Their addresses fill one process-wide array that every VMContext points to (VMCTX_BUILTINS). Generated code
 * calls `builtins[id](vmctx, ...)`; the vmctx identifies the instance (instance-registry.ts).
 *
 * Those that can trap return a nonzero status after recording the real trap with setPendingTrap; generated code
 * follows the call with `trapnz status, <host code>` and the runtime reports the recorded trap. They never throw into
 * koffi: an unexpected JS error becomes the pending host exception (rethrown to the JS caller) with status 1.
 *
 * Bounds rules are the spec's (bulk memory / reference types): all i32 operands are unsigned; an access is out of
 * bounds when offset + length exceeds the size (so a zero-length access exactly at the end is fine); a dropped
 * segment has length 0; overlapping copies behave like memmove.
 */
import { registerCallback, type NativeCallback, type NativeSignature } from '../../native/index.js';
import { BUILTIN_COUNT, Builtin } from '../frontend/vm-offsets.js';
import { TrapCode } from '../ir/trapcodes.js';
import { instanceOfVmctx } from './instance-registry.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';
import { setPendingHostException, setPendingTrap } from './trap-state.js';

const EMPTY = new Uint8Array(0);
const NO_ELEMENTS: number[] = [];

function trap(code: number): number {
  setPendingTrap(code);
  return 1;
}

function failed(error: unknown): number {
  setPendingHostException(error);
  return 1;
}

function memoryGrow(vmctx: bigint, memIndex: number, delta: number): number {
  try {
    return instanceOfVmctx(vmctx).memories[memIndex]!.growFromWasm(delta >>> 0);
  } catch {
    return -1;
  }
}

function memoryFill(vmctx: bigint, memIndex: number, dst: number, value: number, len: number): number {
  try {
    const memory = instanceOfVmctx(vmctx).memories[memIndex]!;
    memory.check();
    const d = dst >>> 0;
    const n = len >>> 0;
    if (d + n > memory.length) return trap(TrapCode.heap_oob);
    memory.bytes.fill(value & 0xff, d, d + n);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function memoryCopy(vmctx: bigint, dstMem: number, srcMem: number, dst: number, src: number, len: number): number {
  try {
    const instance = instanceOfVmctx(vmctx);
    const to = instance.memories[dstMem]!;
    const from = instance.memories[srcMem]!;
    to.check();
    from.check();
    const d = dst >>> 0;
    const s = src >>> 0;
    const n = len >>> 0;
    if (s + n > from.length || d + n > to.length) return trap(TrapCode.heap_oob);
    if (to === from) to.bytes.copyWithin(d, s, s + n);
    else to.bytes.set(from.bytes.subarray(s, s + n), d);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function memoryInit(vmctx: bigint, memIndex: number, dataIndex: number, dst: number, src: number, len: number): number {
  try {
    const instance = instanceOfVmctx(vmctx);
    const memory = instance.memories[memIndex]!;
    memory.check();
    const data = instance.dataSegments[dataIndex] ?? EMPTY;
    const d = dst >>> 0;
    const s = src >>> 0;
    const n = len >>> 0;
    if (s + n > data.length || d + n > memory.length) return trap(TrapCode.heap_oob);
    memory.bytes.set(data.subarray(s, s + n), d);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function dataDrop(vmctx: bigint, dataIndex: number): void {
  try {
    instanceOfVmctx(vmctx).dataSegments[dataIndex] = null;
  } catch (error) {
    // A void builtin cannot report failure to its caller; keep the error for the JS caller of the wasm.
    setPendingHostException(error);
  }
}

function tableGrow(vmctx: bigint, tableIndex: number, init: bigint, delta: number): number {
  try {
    return instanceOfVmctx(vmctx).tables[tableIndex]!.growRaw(delta >>> 0, Number(BigInt.asUintN(64, init)));
  } catch {
    return -1;
  }
}

function tableFill(vmctx: bigint, tableIndex: number, dst: number, value: bigint, len: number): number {
  try {
    const table = instanceOfVmctx(vmctx).tables[tableIndex]!;
    const d = dst >>> 0;
    const n = len >>> 0;
    if (d + n > table.length) return trap(TrapCode.table_oob);
    table.fillRaw(d, Number(BigInt.asUintN(64, value)), n);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function tableCopy(vmctx: bigint, dstTable: number, srcTable: number, dst: number, src: number, len: number): number {
  try {
    const instance = instanceOfVmctx(vmctx);
    const to = instance.tables[dstTable]!;
    const from = instance.tables[srcTable]!;
    const d = dst >>> 0;
    const s = src >>> 0;
    const n = len >>> 0;
    if (s + n > from.length || d + n > to.length) return trap(TrapCode.table_oob);
    to.copyFrom(from, s, d, n);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function tableInit(vmctx: bigint, tableIndex: number, elemIndex: number, dst: number, src: number, len: number): number {
  try {
    const instance = instanceOfVmctx(vmctx);
    const table = instance.tables[tableIndex]!;
    const elements = instance.elemSegments[elemIndex] ?? NO_ELEMENTS;
    const d = dst >>> 0;
    const s = src >>> 0;
    const n = len >>> 0;
    if (s + n > elements.length || d + n > table.length) return trap(TrapCode.table_oob);
    for (let i = 0; i < n; i++) table.setRaw(d + i, elements[s + i]!);
    return 0;
  } catch (error) {
    return failed(error);
  }
}

function elemDrop(vmctx: bigint, elemIndex: number): void {
  try {
    instanceOfVmctx(vmctx).elemSegments[elemIndex] = null;
  } catch (error) {
    setPendingHostException(error);
  }
}

/** Synchronous calls trap when fuel runs out (an async mode would yield here and return 0). */
function outOfFuel(_vmctx: bigint): number {
  return trap(TrapCode.out_of_fuel);
}

function epochDeadline(_vmctx: bigint): number {
  return trap(TrapCode.interrupted);
}

const I32 = 'i32';
const STATUS5: NativeSignature = { params: ['ptr', I32, I32, I32, I32], result: I32 };
const STATUS6: NativeSignature = { params: ['ptr', I32, I32, I32, I32, I32], result: I32 };

/** Each builtin's implementation and C signature, indexed by Builtin id. */
const BUILTINS: Array<[(...args: any[]) => any, NativeSignature]> = [];
BUILTINS[Builtin.MemoryGrow] = [memoryGrow, { params: ['ptr', I32, I32], result: I32 }];
BUILTINS[Builtin.MemoryFill] = [memoryFill, STATUS5];
BUILTINS[Builtin.MemoryCopy] = [memoryCopy, STATUS6];
BUILTINS[Builtin.MemoryInit] = [memoryInit, STATUS6];
BUILTINS[Builtin.DataDrop] = [dataDrop, { params: ['ptr', I32], result: 'void' }];
BUILTINS[Builtin.TableGrow] = [tableGrow, { params: ['ptr', I32, 'i64', I32], result: I32 }];
BUILTINS[Builtin.TableFill] = [tableFill, { params: ['ptr', I32, I32, 'i64', I32], result: I32 }];
BUILTINS[Builtin.TableCopy] = [tableCopy, STATUS6];
BUILTINS[Builtin.TableInit] = [tableInit, STATUS6];
BUILTINS[Builtin.ElemDrop] = [elemDrop, { params: ['ptr', I32], result: 'void' }];
BUILTINS[Builtin.OutOfFuel] = [outOfFuel, { params: ['ptr'], result: I32 }];
BUILTINS[Builtin.EpochDeadline] = [epochDeadline, { params: ['ptr'], result: I32 }];

let table: NativeBlock | null = null;
const callbacks: NativeCallback[] = [];

/** Address of the builtins array (registered on first use). */
export function builtinsArrayAddress(): number {
  if (table === null) {
    if (BUILTINS.length !== BUILTIN_COUNT) throw new Error(`builtins: ${BUILTINS.length} implemented, vm-offsets.ts lists ${BUILTIN_COUNT}`);
    const block = allocateBlock(BUILTIN_COUNT * 8, 16);
    for (let id = 0; id < BUILTIN_COUNT; id++) {
      const [fn, sig] = BUILTINS[id]!;
      const callback = registerCallback(fn, sig);
      callbacks.push(callback);
      block.setU64(id * 8, callback.addressNumber);
    }
    table = block;
  }
  return table.address;
}

/** The address of one builtin (for tests and for code that calls a builtin directly). */
export function builtinAddress(id: Builtin): number {
  builtinsArrayAddress();
  return callbacks[id]!.addressNumber;
}
