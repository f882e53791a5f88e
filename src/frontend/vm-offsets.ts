/**
 * The VMContext layout: the contract between generated code (the translator emits loads/stores at these offsets) and
 * the runtime (which allocates and fills these structures in native memory). After wasmtime's `VMOffsets`.
 *
 * Every instance has one VMContext, passed to each of its functions as the first argument (rdi). All structures live
 * in native memory (never moved by the GC) and are little-endian; pointers are 8 bytes.
 *
 * VMContext of an instance:
 *
 *   +0   interrupts        *VMInterrupts       the store's limits block (stack limit, fuel, epoch)
 *   +8   builtins          *u64[BUILTIN_COUNT]  addresses of runtime builtins (see Builtin), called with vmctx first
 *   +16  funcRefs          *(*VMFuncRef)[]      per function index of this module: its VMFuncRef (for ref.func,
 *                                               tables, and calls to imported functions)
 *   +24  (reserved, 0)
 *   then, in this order, each region 8-byte aligned:
 *   memories       one pointer per memory (imported or defined) to its VMMemoryDefinition
 *   tables         one pointer per table (imported or defined) to its VMTableDefinition
 *   imported globals  one pointer per imported global to the 16-byte cell that holds its value
 *   defined globals   one 16-byte cell per defined global, inline (value at +0; i32/f32 in the low 4 bytes)
 *   imported functions  one VMFunctionImport (16 bytes) per imported function: { code: u64, vmctx: u64 }
 *
 * VMMemoryDefinition (owned by the memory; shared by every instance that imports it):
 *   +0 base: u64 (address of byte 0; stable: V8 reserves the whole region of a WebAssembly.Memory)
 *   +8 length: u64 (current size in bytes; bounds checks compare against it; updated on every grow)
 *
 * VMTableDefinition (owned by the table):
 *   +0 base: u64   (address of the element array; elements are u64: a *VMFuncRef for funcref tables, 0 = null;
 *                   an externref handle for externref tables, 0 = null)
 *   +8 length: u32 (current element count)
 *
 * VMFuncRef (one per function per instance; what a funcref points to):
 *   +0  code: u64   (address of the function's machine code, wasm calling convention)
 *   +8  vmctx: u64  (the VMContext to pass as first argument)
 *   +16 sigId: u32  (the engine-wide canonical id of the function's type; call_indirect compares it)
 *
 * VMInterrupts (one per store; wasmtime's VMRuntimeLimits):
 *   +0  stackLimit: u64       lowest address the native stack pointer may reach in wasm code (prologue check)
 *   +8  fuel: i64             −(fuel remaining); consuming adds to it; ≥ 0 means out of fuel
 *   +16 epochDeadline: u64    the store's deadline; compared against *epochCounter
 *   +24 epochCounter: *u64    the engine's epoch counter
 *   +32.. runtime-private     (trap bookkeeping: saved entry stack pointer etc.; generated code does not read it)
 */
import type { ModuleInfo } from './module-info.js';

export const POINTER_SIZE = 8;

export const VMCTX_INTERRUPTS = 0;
export const VMCTX_BUILTINS = 8;
export const VMCTX_FUNC_REFS = 16;
const VMCTX_HEADER_SIZE = 32;

export const VMMEMORY_BASE = 0;
export const VMMEMORY_LENGTH = 8;
export const VMMEMORY_DEFINITION_SIZE = 16;

export const VMTABLE_BASE = 0;
export const VMTABLE_LENGTH = 8;
export const VMTABLE_DEFINITION_SIZE = 16;
export const TABLE_ELEMENT_SIZE = 8;

export const VMFUNCREF_CODE = 0;
export const VMFUNCREF_VMCTX = 8;
export const VMFUNCREF_SIG_ID = 16;
export const VMFUNCREF_SIZE = 24;

export const VMFUNCTION_IMPORT_CODE = 0;
export const VMFUNCTION_IMPORT_VMCTX = 8;
export const VMFUNCTION_IMPORT_SIZE = 16;

export const VMINTERRUPTS_STACK_LIMIT = 0;
export const VMINTERRUPTS_FUEL = 8;
export const VMINTERRUPTS_EPOCH_DEADLINE = 16;
export const VMINTERRUPTS_EPOCH_COUNTER = 24;
/** First byte the runtime may use privately; the block's total size is the runtime's choice. */
export const VMINTERRUPTS_RUNTIME_PRIVATE = 32;

export const GLOBAL_CELL_SIZE = 16;

/**
 * Runtime builtins, called from generated code as `builtins[id](vmctx, ...args)` with the System V convention.
 * A builtin that can trap returns a nonzero status instead of unwinding (a JS function behind koffi cannot unwind
 * machine-code frames): the translator follows such a call with `trapnz status, host` and the runtime, which recorded
 * the real trap in the store, reports that one. Signatures use wasm value types; i64 args/results are 64-bit.
 */
export const enum Builtin {
  /** (vmctx, memIndex: i32, deltaPages: i32) -> i32: old size in pages, or -1. */
  MemoryGrow = 0,
  /** (vmctx, memIndex: i32, dst: i32, value: i32, len: i32) -> i32 status. */
  MemoryFill = 1,
  /** (vmctx, dstMem: i32, srcMem: i32, dst: i32, src: i32, len: i32) -> i32 status. */
  MemoryCopy = 2,
  /** (vmctx, memIndex: i32, dataIndex: i32, dst: i32, src: i32, len: i32) -> i32 status. */
  MemoryInit = 3,
  /** (vmctx, dataIndex: i32) -> void. */
  DataDrop = 4,
  /** (vmctx, tableIndex: i32, init: i64 (element bits), delta: i32) -> i32: old size, or -1. */
  TableGrow = 5,
  /** (vmctx, tableIndex: i32, dst: i32, value: i64, len: i32) -> i32 status. */
  TableFill = 6,
  /** (vmctx, dstTable: i32, srcTable: i32, dst: i32, src: i32, len: i32) -> i32 status. */
  TableCopy = 7,
  /** (vmctx, tableIndex: i32, elemIndex: i32, dst: i32, src: i32, len: i32) -> i32 status. */
  TableInit = 8,
  /** (vmctx, elemIndex: i32) -> void. */
  ElemDrop = 9,
  /**
   * (vmctx) -> i32 status. Called when the fuel counter is ≥ 0 at a check: returns 0 to continue (fuel was added, e.g.
   * by an async yield), nonzero to trap with out_of_fuel.
   */
  OutOfFuel = 10,
  /** (vmctx) -> i32 status. Called when the epoch counter passed the deadline: 0 continue, nonzero trap. */
  EpochDeadline = 11,
}

export const BUILTIN_COUNT = 12;

/** Offsets of one instance's VMContext, computed from its module. */
export class VMOffsets {
  readonly numMemories: number;
  readonly numTables: number;
  readonly numImportedGlobals: number;
  readonly numDefinedGlobals: number;
  readonly numImportedFunctions: number;

  private readonly memoriesStart: number;
  private readonly tablesStart: number;
  private readonly importedGlobalsStart: number;
  private readonly definedGlobalsStart: number;
  private readonly importedFunctionsStart: number;
  /** Total size of the VMContext in bytes. */
  readonly size: number;

  constructor(module: Pick<ModuleInfo, 'memories' | 'tables' | 'globals' | 'numImportedGlobals' | 'numImportedFunctions'>) {
    this.numMemories = module.memories.length;
    this.numTables = module.tables.length;
    this.numImportedGlobals = module.numImportedGlobals;
    this.numDefinedGlobals = module.globals.length - module.numImportedGlobals;
    this.numImportedFunctions = module.numImportedFunctions;

    let at = VMCTX_HEADER_SIZE;
    this.memoriesStart = at;
    at += this.numMemories * POINTER_SIZE;
    this.tablesStart = at;
    at += this.numTables * POINTER_SIZE;
    this.importedGlobalsStart = at;
    at += this.numImportedGlobals * POINTER_SIZE;
    at = (at + 15) & ~15;
    this.definedGlobalsStart = at;
    at += this.numDefinedGlobals * GLOBAL_CELL_SIZE;
    this.importedFunctionsStart = at;
    at += this.numImportedFunctions * VMFUNCTION_IMPORT_SIZE;
    this.size = at;
  }

  /** Offset of the pointer to memory `index`'s VMMemoryDefinition. */
  memoryDefinitionPointer(index: number): number {
    return this.memoriesStart + index * POINTER_SIZE;
  }

  /** Offset of the pointer to table `index`'s VMTableDefinition. */
  tableDefinitionPointer(index: number): number {
    return this.tablesStart + index * POINTER_SIZE;
  }

  /** For an imported global (index < numImportedGlobals): offset of the pointer to its cell. */
  importedGlobalPointer(globalIndex: number): number {
    return this.importedGlobalsStart + globalIndex * POINTER_SIZE;
  }

  /** For a defined global (index ≥ numImportedGlobals, in the global index space): offset of its inline cell. */
  definedGlobalCell(globalIndex: number): number {
    return this.definedGlobalsStart + (globalIndex - this.numImportedGlobals) * GLOBAL_CELL_SIZE;
  }

  /** For an imported function (index < numImportedFunctions): offset of its VMFunctionImport. */
  importedFunction(funcIndex: number): number {
    return this.importedFunctionsStart + funcIndex * VMFUNCTION_IMPORT_SIZE;
  }
}
