/**
 * An instance's VMContext (layout: src/frontend/vm-offsets.ts), allocated and filled from its ModuleInfo, its
 * compiled code and its resolved imports, plus everything the runtime keeps per instance on the JS side (memories,
 * tables, globals, funcrefs, segments) for builtins, exports and instantiation.
 *
 *   const instance = createVMInstance(module, store, code, resolveImports(module, importObject));
 *   instance.runActiveSegments();   // element then data segments; throws RuntimeError on out of bounds
 *   instance.exports               // the JS API exports object
 */
import type { ConstExpr, FuncType, ModuleInfo } from '../frontend/module-info.js';
import { ExternalKind, SegmentMode } from '../frontend/module-info.js';
import { Op } from '../frontend/opcodes.js';
import {
  VMCTX_BUILTINS, VMCTX_FUNC_REFS, VMCTX_INTERRUPTS, VMFUNCREF_CODE, VMFUNCREF_SIG_ID, VMFUNCREF_SIZE, VMFUNCREF_VMCTX,
  VMFUNCTION_IMPORT_CODE, VMFUNCTION_IMPORT_VMCTX, VMOffsets,
} from '../frontend/vm-offsets.js';
import { TrapCode } from '../ir/trapcodes.js';
import { builtinsArrayAddress } from './builtins.js';
import { exportedFunctionOf, type EntryHook } from './exported-function.js';
import { registerFuncRef, type FuncRefInfo, type FuncRefOwner } from './funcrefs.js';
import { Global } from './global.js';
import { exportedGlobalObject } from './mirrored-globals.js';
import { registerInstance } from './instance-registry.js';
import { Memory, memoryStateOf, type MemoryState } from './memory.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';
import { prepareSignatureCode } from './signature-code.js';
import { sigIdOf } from './signatures.js';
import type { Store } from './store.js';
import { Table } from './table.js';
import { trapError } from './traps.js';

/** What the compile pipeline provides: the address of each defined function's code (LoadedModuleCode has it). */
export interface InstanceCode {
  functionAddress(definedIndex: number): number;
}

/** Imports after linking (link.ts), in import order per kind. */
export interface ResolvedImports {
  readonly functions: readonly FuncRefInfo[];
  readonly tables: readonly Table[];
  readonly memories: readonly WebAssembly.Memory[];
  readonly globals: readonly Global[];
}

export class VMInstance implements FuncRefOwner, EntryHook {
  readonly kind = 'instance' as const;
  readonly module: ModuleInfo;
  readonly store: Store;
  readonly offsets: VMOffsets;
  readonly vmctx: NativeBlock;
  /** Per memory index: the memory object (imported or defined) and its state. */
  readonly memoryObjects: WebAssembly.Memory[] = [];
  readonly memories: MemoryState[] = [];
  readonly tables: Table[] = [];
  /** Per global index: a Global (imported: the imported object; defined: a view of the VMContext cell). */
  readonly globals: Global[] = [];
  /** Per function index. */
  readonly funcRefs: FuncRefInfo[] = [];
  /** Per data segment: its bytes, or null once dropped. */
  readonly dataSegments: Array<Uint8Array | null> = [];
  /** Per element segment: raw element values, or null once dropped. */
  readonly elemSegments: Array<number[] | null> = [];
  private exportsObject: Record<string, unknown> | null = null;

  constructor(module: ModuleInfo, store: Store, code: InstanceCode, imports: ResolvedImports) {
    this.module = module;
    this.store = store;
    this.offsets = new VMOffsets(module);
    this.vmctx = allocateBlock(Math.max(this.offsets.size, 32), 16);
    prepareSignatureCode(module.types);
    this.fillHeader();
    this.fillFunctions(code, imports.functions);
    this.fillMemories(imports.memories);
    this.fillTables(imports.tables);
    this.fillGlobals(imports.globals);
    this.prepareSegments();
    registerInstance(BigInt(this.vmctx.address), this);
  }

  get vmctxAddress(): number {
    return this.vmctx.address;
  }

  private setPointer(offset: number, address: number): void {
    this.vmctx.setU64(offset, address);
  }

  private fillHeader(): void {
    this.setPointer(VMCTX_INTERRUPTS, this.store.interruptsAddress);
    this.setPointer(VMCTX_BUILTINS, builtinsArrayAddress());
  }

  private fillFunctions(code: InstanceCode, imported: readonly FuncRefInfo[]): void {
    const module = this.module;
    const count = module.functions.length;
    if (imported.length !== module.numImportedFunctions) {
      throw new Error(`VMInstance: ${imported.length} function imports given, the module has ${module.numImportedFunctions}`);
    }
    const pointers = allocateBlock(Math.max(count, 1) * 8, 16);
    this.setPointer(VMCTX_FUNC_REFS, pointers.address);
    for (let i = 0; i < module.numImportedFunctions; i++) {
      const info = imported[i]!;
      const at = this.offsets.importedFunction(i);
      this.vmctx.setU64(at + VMFUNCTION_IMPORT_CODE, info.code);
      this.vmctx.setU64(at + VMFUNCTION_IMPORT_VMCTX, info.vmctx);
      pointers.setU64(i * 8, info.address);
      this.funcRefs.push(info);
    }
    const defined = module.numDefinedFunctions;
    if (defined === 0) return;
    const refs = allocateBlock(defined * VMFUNCREF_SIZE, 16);
    for (let d = 0; d < defined; d++) {
      const funcIndex = module.numImportedFunctions + d;
      const type = module.functionType(funcIndex);
      const sigId = sigIdOf(type);
      const address = code.functionAddress(d);
      const at = d * VMFUNCREF_SIZE;
      refs.setU64(at + VMFUNCREF_CODE, address);
      refs.setU64(at + VMFUNCREF_VMCTX, this.vmctx.address);
      refs.setU32(at + VMFUNCREF_SIG_ID, sigId);
      const info: FuncRefInfo = { address: refs.address + at, code: address, vmctx: this.vmctx.address, sigId, type, funcIndex, owner: this, exported: null };
      registerFuncRef(info);
      pointers.setU64(funcIndex * 8, info.address);
      this.funcRefs.push(info);
    }
  }

  private fillMemories(imported: readonly WebAssembly.Memory[]): void {
    const module = this.module;
    for (let i = 0; i < module.memories.length; i++) {
      let memory: WebAssembly.Memory;
      if (i < module.numImportedMemories) memory = imported[i]!;
      else {
        const { min, max } = module.memories[i]!;
        memory = new Memory(max === null ? { initial: min } : { initial: min, maximum: max });
      }
      const state = memoryStateOf(memory);
      this.memoryObjects.push(memory);
      this.memories.push(state);
      this.setPointer(this.offsets.memoryDefinitionPointer(i), state.definition.address);
    }
  }

  private fillTables(imported: readonly Table[]): void {
    const module = this.module;
    for (let i = 0; i < module.tables.length; i++) {
      let table: Table;
      if (i < module.numImportedTables) table = imported[i]!;
      else {
        const { elemType, min, max } = module.tables[i]!;
        table = Table.forModule(elemType, min, max);
      }
      this.tables.push(table);
      this.setPointer(this.offsets.tableDefinitionPointer(i), table.definition.address);
    }
  }

  private fillGlobals(imported: readonly Global[]): void {
    const module = this.module;
    for (let i = 0; i < module.numImportedGlobals; i++) {
      const global = imported[i]!;
      this.globals.push(global);
      this.setPointer(this.offsets.importedGlobalPointer(i), global.cellAddress);
    }
    for (let i = module.numImportedGlobals; i < module.globals.length; i++) {
      const decl = module.globals[i]!;
      const offset = this.offsets.definedGlobalCell(i);
      this.writeConstExpr(decl.init!, offset);
      this.globals.push(Global.ofCell({ block: this.vmctx, offset }, decl.type, decl.mutable));
    }
  }

  /** Evaluates a constant expression into the 16-byte cell at VMContext offset `offset` (bit-exact, NaNs included). */
  private writeConstExpr(expr: ConstExpr, offset: number): void {
    const { view, at } = this.vmctx;
    const cell = at + offset;
    switch (expr.op) {
      case Op.I32_CONST:
      case Op.F32_CONST:
        view.setInt32(cell, expr.lo, true);
        return;
      case Op.I64_CONST:
      case Op.F64_CONST:
        view.setInt32(cell, expr.lo, true);
        view.setInt32(cell + 4, expr.hi, true);
        return;
      case Op.V128_CONST:
        new Uint8Array(view.buffer, view.byteOffset + cell, 16).set(expr.v128!);
        return;
      default: {
        if (expr.op === Op.GLOBAL_GET) {
          new Uint8Array(view.buffer, view.byteOffset + cell, 16).set(this.globals[expr.index]!.cellBytes);
          return;
        }
        this.vmctx.setU64(offset, this.evalRef(expr));
      }
    }
  }

  /** A reference-typed or i32 constant expression as a raw number (offsets, element items). */
  private evalRaw(expr: ConstExpr): number {
    switch (expr.op) {
      case Op.I32_CONST:
        return expr.lo;
      case Op.GLOBAL_GET:
        return Number(this.globals[expr.index]!.getRaw());
      default:
        return this.evalRef(expr);
    }
  }

  private evalRef(expr: ConstExpr): number {
    if (expr.op === Op.REF_NULL) return 0;
    if (expr.op === Op.REF_FUNC) return this.funcRefs[expr.index]!.address;
    if (expr.op === Op.GLOBAL_GET) return Number(this.globals[expr.index]!.getRaw());
    throw new Error(`unexpected constant expression op 0x${expr.op.toString(16)}`);
  }

  private prepareSegments(): void {
    const module = this.module;
    for (const data of module.datas) this.dataSegments.push(module.bytes.subarray(data.start, data.end));
    for (const elem of module.elements) {
      let items: number[];
      if (elem.funcIndices !== null) items = Array.from(elem.funcIndices, (f) => this.funcRefs[f]!.address);
      else items = elem.exprs!.map((e) => this.evalRaw(e));
      this.elemSegments.push(items);
    }
  }

  /**
   * Instantiation's segment initialisation (Wasm 2.0): active element segments in order (table.init + elem.drop),
   * declarative ones dropped, then active data segments (memory.init + data.drop). An out-of-bounds segment throws the
   * trap's RuntimeError; writes of earlier segments stay.
   */
  runActiveSegments(): void {
    const module = this.module;
    module.elements.forEach((elem, i) => {
      if (elem.mode === SegmentMode.ACTIVE) {
        const table = this.tables[elem.table]!;
        const items = this.elemSegments[i]!;
        const dst = this.evalRaw(elem.offset!) >>> 0;
        if (dst + items.length > table.length) throw trapError(TrapCode.table_oob);
        for (let k = 0; k < items.length; k++) table.setRaw(dst + k, items[k]!);
      }
      if (elem.mode !== SegmentMode.PASSIVE) this.elemSegments[i] = null;
    });
    module.datas.forEach((data, i) => {
      if (data.mode !== SegmentMode.ACTIVE) return;
      const memory = this.memories[data.memory]!;
      const bytes = this.dataSegments[i]!;
      const dst = this.evalRaw(data.offset!) >>> 0;
      if (dst + bytes.length > memory.length) throw trapError(TrapCode.heap_oob);
      memory.bytes.set(bytes, dst);
      this.dataSegments[i] = null;
    });
  }

  /** Before every call from JS: pick up memory grows done behind the runtime's back. */
  beforeEntry(): void {
    const memories = this.memories;
    for (let i = 0; i < memories.length; i++) memories[i]!.check();
  }

  /** The JS value of an export. */
  exportValue(kind: ExternalKind, index: number): unknown {
    switch (kind) {
      case ExternalKind.FUNCTION:
        return exportedFunctionOf(this.funcRefs[index]!);
      case ExternalKind.TABLE:
        return this.tables[index];
      case ExternalKind.MEMORY:
        return this.memoryObjects[index];
      default:
        return exportedGlobalObject(this.globals[index]!);
    }
  }

  /** The exports object of the JS API: null prototype, frozen, one property per export in order. */
  get exports(): Record<string, unknown> {
    if (this.exportsObject === null) {
      const out = Object.create(null) as Record<string, unknown>;
      for (const e of this.module.exports) out[e.name] = this.exportValue(e.kind, e.index);
      this.exportsObject = Object.freeze(out);
    }
    return this.exportsObject;
  }

  /** The type of function `funcIndex`. */
  functionType(funcIndex: number): FuncType {
    return this.module.functionType(funcIndex);
  }
}

/** Allocates and fills a VMContext for `module` (does not run segments or the start function). */
export function createVMInstance(module: ModuleInfo, store: Store, code: InstanceCode, imports: ResolvedImports): VMInstance {
  return new VMInstance(module, store, code, imports);
}

