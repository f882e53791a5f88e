/**
 * A miniature runtime for testing the translator by execution: it lays out VMContexts, memories, tables, globals and
 * VMFuncRefs exactly as src/frontend/vm-offsets.ts says, in one flat byte array (addresses are offsets into it),
 * implements the builtins, links imports, and runs translated functions with the IR reference interpreter
 * (src/ir/interpret.ts). Calls between functions go through the interpreter's host callback; traps propagate as
 * HostTrap. Code "addresses" are small tokens that index a table of callees.
 *
 * It is a test fixture, not the runtime: capacities are bounded (memories and tables can grow only a little past
 * their initial size), linking checks only what the translator relies on.
 */
import {
  ConstExpr,
  ExternalKind,
  Op,
  SegmentMode,
  ValType,
  type FuncType,
  type ModuleInfo,
} from '../../src/frontend/index.js';
import { FunctionTranslator, type TranslateOptions } from '../../src/frontend/translate.js';
import {
  Builtin,
  GLOBAL_CELL_SIZE,
  VMCTX_FUNC_REFS,
  VMCTX_INTERRUPTS,
  VMFUNCREF_CODE,
  VMFUNCREF_SIG_ID,
  VMFUNCREF_SIZE,
  VMFUNCREF_VMCTX,
  VMFUNCTION_IMPORT_CODE,
  VMFUNCTION_IMPORT_VMCTX,
  VMINTERRUPTS_EPOCH_COUNTER,
  VMINTERRUPTS_EPOCH_DEADLINE,
  VMINTERRUPTS_FUEL,
  VMMEMORY_BASE,
  VMMEMORY_LENGTH,
  VMOffsets,
  VMTABLE_BASE,
  VMTABLE_LENGTH,
} from '../../src/frontend/vm-offsets.js';
import { FuncKind, TrapCode, type IrFunction } from '../../src/ir/index.js';
import { HostTrap, interpret, type CallTarget } from '../../src/ir/interpret.js';

export { HostTrap, TrapCode };

const PAGE = 65536;
/** Room for growth reserved with a new memory (pages) or table (elements); growing past it relocates. */
const MEMORY_HEADROOM_PAGES = 4;
const TABLE_HEADROOM = 16;
/**
 * The flat address space of a store. It never grows (the interpreter keeps a view of it for a whole call): memories
 * and tables that outgrow their room move to a new place in it, so their base changes — as a real runtime's may.
 * Zero-filled and untouched pages cost no memory.
 */
const STORE_BYTES = 256 << 20;
const MAX_CALL_DEPTH = 600;
const CODE_TOKEN_BASE = 0x10000n;

export interface RuntimeConfig {
  translate: TranslateOptions;
  /** Runs the IR passes at this level after translation (0 = none). */
  optLevel?: number;
  /** Steps one interpreted call may take. */
  maxSteps?: number;
}

/** What an export or import is, in this store. */
export type Extern =
  | { kind: ExternalKind.FUNCTION; funcRef: number; type: FuncType }
  | { kind: ExternalKind.GLOBAL; cell: number; type: number; mutable: boolean }
  | { kind: ExternalKind.TABLE; definition: number; elemType: number }
  | { kind: ExternalKind.MEMORY; definition: number };

export type Outcome = { kind: 'return'; values: bigint[] } | { kind: 'trap'; code: number };

type Callee =
  | { kind: 'wasm'; instance: TestInstance; funcIndex: number }
  | { kind: 'host'; run: (args: bigint[]) => bigint[]; results: number };

export class LinkError extends Error {}

interface Growable {
  max: number;
  capacity: number;
}

export class TestInstance {
  vmctx = 0;
  readonly exports = new Map<string, Extern>();
  /** Per function index: address of its VMFuncRef. */
  funcRefs: number[] = [];
  memoryDefinitions: number[] = [];
  tableDefinitions: number[] = [];
  globalCells: number[] = [];
  /** Element segments as element words (null: dropped). */
  elements: (bigint[] | null)[] = [];
  /** Data segments as byte ranges of the module (null: dropped). */
  datas: (Uint8Array | null)[] = [];
  readonly ir: (IrFunction | undefined)[] = [];
  signatureIds!: Int32Array;
  offsets!: VMOffsets;

  constructor(readonly module: ModuleInfo) {}
}

export class TestStore {
  readonly memory = new Uint8Array(STORE_BYTES);
  private readonly view = new DataView(this.memory.buffer);
  private top = 64;
  readonly interrupts: number;
  private readonly callees: Callee[] = [];
  private readonly byVmctx = new Map<number, TestInstance>();
  private readonly growables = new Map<number, Growable>();
  /** Relocations of memories and tables that outgrew their room. */
  relocations = 0;
  private readonly signatureKeys = new Map<string, number>();
  private readonly translator = new FunctionTranslator();
  private depth = 0;
  /** Calls of the out-of-fuel and epoch builtins. */
  outOfFuelCalls = 0;
  epochCalls = 0;
  /** The trap a builtin recorded before returning a nonzero status (reported for `trapnz status, host`). */
  private recordedTrap = 0;
  /** What the out-of-fuel builtin does: give more fuel and continue (returns 0), or not (trap). */
  onOutOfFuel: (() => bigint | null) | null = null;

  constructor(readonly config: RuntimeConfig, private readonly passes?: (f: IrFunction, level: number) => void) {
    this.interrupts = this.alloc(48);
    const epochCounter = this.alloc(8);
    this.writeU64(this.interrupts + VMINTERRUPTS_EPOCH_COUNTER, BigInt(epochCounter));
    this.writeU64(this.interrupts + VMINTERRUPTS_EPOCH_DEADLINE, 1n << 62n);
    this.setFuel(1n << 50n);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Flat memory
  // ---------------------------------------------------------------------------------------------------------

  alloc(size: number, align = 16): number {
    const at = (this.top + align - 1) & ~(align - 1);
    this.top = at + size;
    if (this.top > this.memory.length) throw new Error(`test store out of space (${this.memory.length} bytes)`);
    return at;
  }

  readU64(at: number): bigint {
    return this.view.getBigUint64(at, true);
  }

  writeU64(at: number, v: bigint): void {
    this.view.setBigUint64(at, BigInt.asUintN(64, v), true);
  }

  readU32(at: number): number {
    return this.view.getUint32(at, true);
  }

  writeU32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, true);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Fuel and epochs
  // ---------------------------------------------------------------------------------------------------------

  /** Sets the fuel remaining (counter = -fuel). */
  setFuel(fuel: bigint): void {
    this.writeU64(this.interrupts + VMINTERRUPTS_FUEL, -fuel);
  }

  /** The raw counter: −(fuel remaining). */
  fuelCounter(): bigint {
    return BigInt.asIntN(64, this.readU64(this.interrupts + VMINTERRUPTS_FUEL));
  }

  setEpoch(counter: bigint, deadline: bigint): void {
    this.writeU64(Number(this.readU64(this.interrupts + VMINTERRUPTS_EPOCH_COUNTER)), counter);
    this.writeU64(this.interrupts + VMINTERRUPTS_EPOCH_DEADLINE, deadline);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Signatures and code tokens
  // ---------------------------------------------------------------------------------------------------------

  signatureId(type: FuncType): number {
    const key = `${Array.from(type.params).join(',')}:${Array.from(type.results).join(',')}`;
    let id = this.signatureKeys.get(key);
    if (id === undefined) {
      id = this.signatureKeys.size + 1;
      this.signatureKeys.set(key, id);
    }
    return id;
  }

  private codeToken(callee: Callee): bigint {
    this.callees.push(callee);
    return CODE_TOKEN_BASE + BigInt(this.callees.length - 1);
  }

  private newFuncRef(code: bigint, vmctx: number, sigId: number): number {
    const at = this.alloc(VMFUNCREF_SIZE, 8);
    this.writeU64(at + VMFUNCREF_CODE, code);
    this.writeU64(at + VMFUNCREF_VMCTX, BigInt(vmctx));
    this.writeU32(at + VMFUNCREF_SIG_ID, sigId);
    return at;
  }

  /** A host function as an Extern (e.g. spectest.print_i32). */
  hostFunction(type: FuncType, run: (args: bigint[]) => bigint[]): Extern {
    const code = this.codeToken({ kind: 'host', run, results: type.results.length });
    return { kind: ExternalKind.FUNCTION, funcRef: this.newFuncRef(code, 0, this.signatureId(type)), type };
  }

  hostGlobal(type: number, mutable: boolean, bits: bigint): Extern {
    const cell = this.alloc(GLOBAL_CELL_SIZE);
    this.writeU64(cell, bits);
    return { kind: ExternalKind.GLOBAL, cell, type, mutable };
  }

  newMemory(minPages: number, maxPages: number | null): number {
    const capacity = Math.min(maxPages ?? 65536, minPages + MEMORY_HEADROOM_PAGES);
    const definition = this.alloc(16);
    const base = this.alloc(capacity * PAGE, 16);
    this.writeU64(definition + VMMEMORY_BASE, BigInt(base));
    this.writeU64(definition + VMMEMORY_LENGTH, BigInt(minPages * PAGE));
    this.growables.set(definition, { max: maxPages ?? 65536, capacity });
    return definition;
  }

  newTable(min: number, max: number | null): number {
    const capacity = Math.min(max ?? 0xffffffff, min + TABLE_HEADROOM);
    const definition = this.alloc(16);
    const base = this.alloc(capacity * 8, 8);
    this.writeU64(definition + VMTABLE_BASE, BigInt(base));
    this.writeU32(definition + VMTABLE_LENGTH, min);
    this.growables.set(definition, { max: max ?? 0xffffffff, capacity });
    return definition;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Instantiation
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Instantiates `module`, resolving imports with `resolve(moduleName, name)`. Throws LinkError when an import is
   * missing or of the wrong kind; returns { trap } when initialisation traps (segments out of bounds, start traps).
   */
  instantiate(module: ModuleInfo, resolve: (module: string, name: string) => Extern | undefined): TestInstance | { trap: number } {
    const inst = new TestInstance(module);
    const offsets = new VMOffsets(module);
    inst.offsets = offsets;
    inst.signatureIds = Int32Array.from(module.types, (t) => this.signatureId(t));
    // Imports.
    const imported: Extern[] = [];
    for (const imp of module.imports) {
      const ext = resolve(imp.module, imp.name);
      if (ext === undefined || ext.kind !== imp.kind) throw new LinkError(`unknown import ${imp.module}.${imp.name}`);
      imported.push(ext);
    }
    const vmctx = this.alloc(Math.max(offsets.size, 32));
    inst.vmctx = vmctx;
    this.byVmctx.set(vmctx, inst);
    this.writeU64(vmctx + VMCTX_INTERRUPTS, BigInt(this.interrupts));
    let fi = 0;
    let gi = 0;
    for (const ext of imported) {
      switch (ext.kind) {
        case ExternalKind.FUNCTION: {
          const at = vmctx + offsets.importedFunction(fi);
          if (this.readU32(ext.funcRef + VMFUNCREF_SIG_ID) !== this.signatureId(module.functionType(fi))) {
            throw new LinkError('incompatible import type');
          }
          this.writeU64(at + VMFUNCTION_IMPORT_CODE, this.readU64(ext.funcRef + VMFUNCREF_CODE));
          this.writeU64(at + VMFUNCTION_IMPORT_VMCTX, this.readU64(ext.funcRef + VMFUNCREF_VMCTX));
          inst.funcRefs[fi++] = ext.funcRef;
          break;
        }
        case ExternalKind.GLOBAL:
          this.writeU64(vmctx + offsets.importedGlobalPointer(gi), BigInt(ext.cell));
          inst.globalCells[gi++] = ext.cell;
          break;
        case ExternalKind.TABLE:
          inst.tableDefinitions.push(ext.definition);
          break;
        case ExternalKind.MEMORY:
          inst.memoryDefinitions.push(ext.definition);
          break;
      }
    }
    // Own functions, memories, tables, globals.
    for (let f = module.numImportedFunctions; f < module.functions.length; f++) {
      const code = this.codeToken({ kind: 'wasm', instance: inst, funcIndex: f });
      inst.funcRefs[f] = this.newFuncRef(code, vmctx, this.signatureId(module.functionType(f)));
    }
    const funcRefArray = this.alloc(8 * Math.max(module.functions.length, 1), 8);
    for (let f = 0; f < module.functions.length; f++) this.writeU64(funcRefArray + 8 * f, BigInt(inst.funcRefs[f]));
    this.writeU64(vmctx + VMCTX_FUNC_REFS, BigInt(funcRefArray));
    for (const m of module.memories) if (!m.imported) inst.memoryDefinitions.push(this.newMemory(m.min, m.max));
    for (const t of module.tables) if (!t.imported) inst.tableDefinitions.push(this.newTable(t.min, t.max));
    inst.memoryDefinitions.forEach((d, i) => this.writeU64(vmctx + offsets.memoryDefinitionPointer(i), BigInt(d)));
    inst.tableDefinitions.forEach((d, i) => this.writeU64(vmctx + offsets.tableDefinitionPointer(i), BigInt(d)));
    for (let g = module.numImportedGlobals; g < module.globals.length; g++) {
      const cell = vmctx + offsets.definedGlobalCell(g);
      inst.globalCells[g] = cell;
      this.writeU64(cell, this.evalConst(inst, module.globals[g].init!));
    }
    for (const [name, kind, index] of module.exports.map((e) => [e.name, e.kind, e.index] as const)) {
      inst.exports.set(name, this.externOf(inst, kind, index));
    }
    // Segments (Wasm 2.0: in order; a failing one traps, the earlier ones stay applied).
    inst.elements = module.elements.map((seg) => {
      if (seg.funcIndices !== null) return Array.from(seg.funcIndices, (f) => BigInt(inst.funcRefs[f]));
      return seg.exprs!.map((e) => this.evalConst(inst, e));
    });
    inst.datas = module.datas.map((d) => module.bytes.subarray(d.start, d.end));
    for (let i = 0; i < module.elements.length; i++) {
      const seg = module.elements[i];
      if (seg.mode === SegmentMode.PASSIVE) continue;
      if (seg.mode === SegmentMode.ACTIVE) {
        const status = this.tableInit(inst, seg.table, i, Number(this.evalConst(inst, seg.offset!) & 0xffffffffn), 0, inst.elements[i]!.length);
        if (status !== 0) return { trap: TrapCode.table_oob };
      }
      inst.elements[i] = null;
    }
    for (let i = 0; i < module.datas.length; i++) {
      const seg = module.datas[i];
      if (seg.mode !== SegmentMode.ACTIVE) continue;
      const status = this.memoryInit(inst, i, Number(this.evalConst(inst, seg.offset!) & 0xffffffffn), 0, inst.datas[i]!.length);
      if (status !== 0) return { trap: TrapCode.heap_oob };
      inst.datas[i] = null;
    }
    if (module.start !== null) {
      const out = this.invoke(inst, module.start, []);
      if (out.kind === 'trap') return { trap: out.code };
    }
    return inst;
  }

  private externOf(inst: TestInstance, kind: ExternalKind, index: number): Extern {
    const m = inst.module;
    switch (kind) {
      case ExternalKind.FUNCTION:
        return { kind, funcRef: inst.funcRefs[index], type: m.functionType(index) };
      case ExternalKind.GLOBAL:
        return { kind, cell: inst.globalCells[index], type: m.globals[index].type, mutable: m.globals[index].mutable };
      case ExternalKind.TABLE:
        return { kind, definition: inst.tableDefinitions[index], elemType: m.tables[index].elemType };
      default:
        return { kind: ExternalKind.MEMORY, definition: inst.memoryDefinitions[index] };
    }
  }

  private evalConst(inst: TestInstance, e: ConstExpr): bigint {
    switch (e.op) {
      case Op.I32_CONST: case Op.F32_CONST:
        return BigInt(e.lo >>> 0);
      case Op.I64_CONST: case Op.F64_CONST:
        return (BigInt(e.hi >>> 0) << 32n) | BigInt(e.lo >>> 0);
      case Op.GLOBAL_GET:
        return this.readU64(inst.globalCells[e.index]) & (e.type === ValType.I32 || e.type === ValType.F32 ? 0xffffffffn : ~0n);
      case Op.REF_NULL:
        return 0n;
      case Op.REF_FUNC:
        return BigInt(inst.funcRefs[e.index]);
      default:
        throw new Error(`evalConst: unsupported ${e.op}`);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Calls
  // ---------------------------------------------------------------------------------------------------------

  /** Runs function `funcIndex` of `inst` on wasm arguments (bit patterns). */
  invoke(inst: TestInstance, funcIndex: number, args: bigint[]): Outcome {
    this.depth = 0;
    try {
      const ref = inst.funcRefs[funcIndex];
      const values = this.callToken(this.readU64(ref + VMFUNCREF_CODE), [this.readU64(ref + VMFUNCREF_VMCTX), ...args]);
      return { kind: 'return', values };
    } catch (e) {
      if (e instanceof HostTrap) return { kind: 'trap', code: e.code };
      if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: 'trap', code: TrapCode.stack_overflow };
      throw e;
    }
  }

  private irOf(inst: TestInstance, funcIndex: number): IrFunction {
    let ir = inst.ir[funcIndex];
    if (ir === undefined) {
      ir = this.translator.translate(inst.module, funcIndex, { ...this.config.translate, signatureIds: inst.signatureIds });
      if (this.passes !== undefined && (this.config.optLevel ?? 0) > 0) this.passes(ir, this.config.optLevel!);
      inst.ir[funcIndex] = ir;
    }
    return ir;
  }

  private runWasm(inst: TestInstance, funcIndex: number, args: bigint[]): bigint[] {
    if (++this.depth > MAX_CALL_DEPTH) {
      this.depth--;
      throw new HostTrap(TrapCode.stack_overflow);
    }
    try {
      const ir = this.irOf(inst, funcIndex);
      const out = interpret(ir, args, {
        memory: this.memory,
        call: this.call,
        maxSteps: this.config.maxSteps ?? 20_000_000,
      });
      if (out.kind === 'trap') {
        // What a backend's out-of-line trap stub does for an instruction annotated with its pending fuel.
        const pending = ir.dfg.trapFuel(out.inst);
        if (pending !== 0) this.writeU64(this.interrupts + VMINTERRUPTS_FUEL, this.fuelCounter() + BigInt(pending));
        throw new HostTrap(out.code === TrapCode.host ? this.recordedTrap : out.code);
      }
      if (out.kind === 'timeout') throw new Error(`function ${funcIndex} ran out of interpreter steps`);
      return out.values;
    } finally {
      this.depth--;
    }
  }

  private callToken(code: bigint, args: bigint[]): bigint[] {
    const callee = this.callees[Number(code - CODE_TOKEN_BASE)];
    if (callee === undefined) throw new Error(`call to a code address that is no function: ${code}`);
    if (callee.kind === 'host') return callee.run(args.slice(1));
    if (Number(args[0]) !== callee.instance.vmctx) throw new Error('call with the wrong vmctx');
    return this.runWasm(callee.instance, callee.funcIndex, args);
  }

  private readonly call = (target: CallTarget, args: bigint[]): bigint[] => {
    if (target.kind === 'indirect') return this.callToken(target.callee, args);
    const inst = this.byVmctx.get(Number(args[0]));
    if (inst === undefined) throw new Error(`call with an unknown vmctx ${args[0]}`);
    if (target.func.kind === FuncKind.wasm) return this.runWasm(inst, target.func.index, args);
    return this.builtin(inst, target.func.index, args.slice(1).map((a) => Number(BigInt.asIntN(64, a))), args);
  };

  // ---------------------------------------------------------------------------------------------------------
  // Builtins (vm-offsets.ts Builtin)
  // ---------------------------------------------------------------------------------------------------------

  private builtin(inst: TestInstance, id: number, a: number[], raw: bigint[]): bigint[] {
    const u = (x: number) => x >>> 0;
    switch (id) {
      case Builtin.MemoryGrow: {
        const def = inst.memoryDefinitions[a[0]];
        const g = this.growables.get(def)!;
        const old = Number(this.readU64(def + VMMEMORY_LENGTH)) / PAGE;
        const pages = old + u(a[1]);
        if (pages > g.max || pages * PAGE > this.memory.length / 2) return [BigInt.asUintN(32, -1n)];
        if (pages > g.capacity) {
          const base = Number(this.readU64(def + VMMEMORY_BASE));
          g.capacity = Math.min(g.max, pages + MEMORY_HEADROOM_PAGES);
          const moved = this.alloc(g.capacity * PAGE);
          this.memory.copyWithin(moved, base, base + old * PAGE);
          this.memory.fill(0xcc, base, base + old * PAGE); // a stale base would read garbage
          this.writeU64(def + VMMEMORY_BASE, BigInt(moved));
          this.relocations++;
        }
        this.writeU64(def + VMMEMORY_LENGTH, BigInt(pages * PAGE));
        return [BigInt(old)];
      }
      case Builtin.MemoryFill: {
        const def = inst.memoryDefinitions[a[0]];
        const [dst, value, len] = [u(a[1]), a[2] & 0xff, u(a[3])];
        if (dst + len > Number(this.readU64(def + VMMEMORY_LENGTH))) return this.failWith(TrapCode.heap_oob);
        const base = Number(this.readU64(def + VMMEMORY_BASE));
        this.memory.fill(value, base + dst, base + dst + len);
        return [0n];
      }
      case Builtin.MemoryCopy: {
        const dd = inst.memoryDefinitions[a[0]];
        const sd = inst.memoryDefinitions[a[1]];
        const [dst, src, len] = [u(a[2]), u(a[3]), u(a[4])];
        if (dst + len > Number(this.readU64(dd + VMMEMORY_LENGTH)) || src + len > Number(this.readU64(sd + VMMEMORY_LENGTH))) {
          return this.failWith(TrapCode.heap_oob);
        }
        const db = Number(this.readU64(dd + VMMEMORY_BASE));
        const sb = Number(this.readU64(sd + VMMEMORY_BASE));
        this.memory.copyWithin(db + dst, sb + src, sb + src + len);
        return [0n];
      }
      case Builtin.MemoryInit:
        return this.memoryInit(inst, u(a[1]), u(a[2]), u(a[3]), u(a[4]), a[0]) === 0 ? [0n] : this.failWith(TrapCode.heap_oob);
      case Builtin.DataDrop:
        inst.datas[u(a[0])] = null;
        return [];
      case Builtin.TableGrow: {
        const def = inst.tableDefinitions[a[0]];
        const g = this.growables.get(def)!;
        const old = this.readU32(def + VMTABLE_LENGTH);
        const n = old + u(a[2]);
        if (n > g.max || n > 1 << 20) return [BigInt.asUintN(32, -1n)];
        if (n > g.capacity) {
          const from = Number(this.readU64(def + VMTABLE_BASE));
          g.capacity = Math.min(g.max, n + TABLE_HEADROOM);
          const moved = this.alloc(g.capacity * 8, 8);
          this.memory.copyWithin(moved, from, from + 8 * old);
          this.memory.fill(0xcc, from, from + 8 * old);
          this.writeU64(def + VMTABLE_BASE, BigInt(moved));
          this.relocations++;
        }
        const base = Number(this.readU64(def + VMTABLE_BASE));
        for (let i = old; i < n; i++) this.writeU64(base + 8 * i, raw[2]);
        this.writeU32(def + VMTABLE_LENGTH, n);
        return [BigInt(old)];
      }
      case Builtin.TableFill: {
        const def = inst.tableDefinitions[a[0]];
        const [dst, len] = [u(a[1]), u(a[3])];
        if (dst + len > this.readU32(def + VMTABLE_LENGTH)) return this.failWith(TrapCode.table_oob);
        const base = Number(this.readU64(def + VMTABLE_BASE));
        for (let i = 0; i < len; i++) this.writeU64(base + 8 * (dst + i), raw[3]);
        return [0n];
      }
      case Builtin.TableCopy: {
        const dd = inst.tableDefinitions[a[0]];
        const sd = inst.tableDefinitions[a[1]];
        const [dst, src, len] = [u(a[2]), u(a[3]), u(a[4])];
        if (dst + len > this.readU32(dd + VMTABLE_LENGTH) || src + len > this.readU32(sd + VMTABLE_LENGTH)) {
          return this.failWith(TrapCode.table_oob);
        }
        const db = Number(this.readU64(dd + VMTABLE_BASE));
        const sb = Number(this.readU64(sd + VMTABLE_BASE));
        this.memory.copyWithin(db + 8 * dst, sb + 8 * src, sb + 8 * (src + len));
        return [0n];
      }
      case Builtin.TableInit:
        return this.tableInit(inst, a[0], u(a[1]), u(a[2]), u(a[3]), u(a[4])) === 0 ? [0n] : this.failWith(TrapCode.table_oob);
      case Builtin.ElemDrop:
        inst.elements[u(a[0])] = null;
        return [];
      case Builtin.OutOfFuel: {
        this.outOfFuelCalls++;
        const more = this.onOutOfFuel?.() ?? null;
        if (more === null) return [1n];
        this.setFuel(more);
        return [0n];
      }
      case Builtin.EpochDeadline:
        this.epochCalls++;
        return [1n];
      default:
        throw new Error(`unknown builtin ${id}`);
    }
  }

  /** A builtin's failure: records the trap and returns the nonzero status. */
  private failWith(code: number): bigint[] {
    this.recordedTrap = code;
    return [1n];
  }

  private memoryInit(inst: TestInstance, dataIndex: number, dst: number, src: number, len: number, memIndex = 0): number {
    const data = inst.datas[dataIndex] ?? new Uint8Array(0);
    const def = inst.memoryDefinitions[memIndex];
    if (src + len > data.length || dst + len > Number(this.readU64(def + VMMEMORY_LENGTH))) return 1;
    this.memory.set(data.subarray(src, src + len), Number(this.readU64(def + VMMEMORY_BASE)) + dst);
    return 0;
  }

  private tableInit(inst: TestInstance, tableIndex: number, elemIndex: number, dst: number, src: number, len: number): number {
    const items = inst.elements[elemIndex] ?? [];
    const def = inst.tableDefinitions[tableIndex];
    if (src + len > items.length || dst + len > this.readU32(def + VMTABLE_LENGTH)) return 1;
    const base = Number(this.readU64(def + VMTABLE_BASE));
    for (let i = 0; i < len; i++) this.writeU64(base + 8 * (dst + i), items[src + i]);
    return 0;
  }
}
