/**
 * The function translator: one wasm function body → one SSA IR function (src/ir), with exact wasm semantics, explicit
 * bounds checks, and optional fuel and epoch instrumentation.
 *
 *   const ir = translateFunction(module, funcIndex, { fuel: 'variable', epoch: false });
 *
 * The IR function has the signature `(i64 vmctx, params…) -> results` (src/x64/abi.ts); wasm locals are SSA
 * variables (locals first, then the fuel counter), the operand stack is a stack of IR values, and control frames
 * become blocks with block parameters (translate-control.ts). Concerns live in their own files:
 * translate-numeric.ts (arithmetic, conversions), translate-memory.ts (linear memory and globals),
 * translate-tables.ts (tables and references), translate-calls.ts (calls), fuel.ts and epoch.ts (instrumentation).
 *
 * The input must be validated (validateFunction): the translator decodes with the same OperatorReader but does not
 * check types again. Every instruction carries its operator's byte offset in the module as source location.
 *
 * Values that never change while the function runs and are valid everywhere (the VMInterrupts pointer, memory and
 * table definition pointers, the funcRefs array, the epoch counter pointer) are loaded once, at the top of the
 * entry block, when first needed ("hoisted"): those loads are `readonly`.
 */
import {
  ExtFuncData,
  FuncKind,
  FunctionBuilder,
  I32,
  I64,
  F32,
  F64,
  InstBuilder,
  IrFunction,
  MemFlag,
  NONE,
  Opcode,
  Signature,
  CallConv,
  FloatCC,
  TrapCode,
  type Block,
  type FuncRef,
  type Inst,
  type InstSink,
  type Layout,
  type SigRef,
  type Type,
  type Value,
} from '../ir/index.js';
import { CompileError } from './errors.js';
import { FuelInstrumentation, FuelLogKind, OPERATOR_FUEL_COST, parseFuelStrategy } from './fuel.js';
import { emitEpochCheck } from './epoch.js';
import type { ModuleInfo } from './module-info.js';
import { Op, OP_PREFIX_FD_BASE } from './opcodes.js';
import { OperatorReader } from './operator-reader.js';
import { opName } from './operator-table.js';
import { translateCall, translateCallIndirect } from './translate-calls.js';
import { ControlStack, FrameKind } from './translate-control.js';
import { irType, ModuleTranslationEnv } from './translate-env.js';
import {
  translateBulkMemory,
  translateGlobalGet,
  translateGlobalSet,
  translateLoad,
  translateMemoryGrow,
  translateMemorySize,
  translateStore,
} from './translate-memory.js';
import { SIMPLE_KIND, translateSimple, type ConstantBits } from './translate-numeric.js';
import { translateRefFunc, translateTableOp } from './translate-tables.js';
import { ValType } from './value-types.js';
import { Builtin, BUILTIN_COUNT, VMCTX_FUNC_REFS, VMCTX_INTERRUPTS, VMINTERRUPTS_EPOCH_COUNTER, type VMOffsets } from './vm-offsets.js';

export { FuelStrategy, FuelLogKind, OPERATOR_FUEL_COST } from './fuel.js';
export { moduleSignatureIds } from './translate-env.js';

/** Options of `translateFunction`. */
export interface TranslateOptions {
  /** Fuel metering: 'off' (default), 'variable' or 'memory' (see fuel.ts; both strategies count the same). */
  fuel?: 'off' | 'variable' | 'memory';
  /** Epoch interruption checks at the function entry and loop headers (default false). */
  epoch?: boolean;
  /**
   * Canonical signature id per type index, compared with VMFuncRef.sigId by call_indirect. Default: ids that are
   * equal for structurally equal types of this module (moduleSignatureIds); an engine passes engine-wide ids.
   */
  signatureIds?: Int32Array;
  /** Keep a log of every fuel flush and trap-site cost (`FunctionTranslator.fuelLog`), for tests and tools. */
  recordFuel?: boolean;
  /** The IR function's name (default `f<funcIndex>`). */
  name?: string;
}

/** Memory flags of trusted loads of values that never change and whose address is valid everywhere. */
export const VMCTX_READONLY = MemFlag.notrap | MemFlag.aligned | MemFlag.readonly | MemFlag.vmctx;
/** Memory flags of trusted accesses to VMContext data that may change (lengths, bases, mutable globals). */
export const VMCTX_MUTABLE = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

/** Signatures of the runtime builtins (vm-offsets.ts Builtin), without the leading vmctx: [params, results]. */
const BUILTIN_SIGNATURES: readonly Signature[] = (() => {
  const sig = (params: Type[], results: Type[]) => new Signature([I64, ...params], results, 0, CallConv.system_v);
  const table: Signature[] = [];
  table[Builtin.MemoryGrow] = sig([I32, I32], [I32]);
  table[Builtin.MemoryFill] = sig([I32, I32, I32, I32], [I32]);
  table[Builtin.MemoryCopy] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.MemoryInit] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.DataDrop] = sig([I32], []);
  table[Builtin.TableGrow] = sig([I32, I64, I32], [I32]);
  table[Builtin.TableFill] = sig([I32, I32, I64, I32], [I32]);
  table[Builtin.TableCopy] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.TableInit] = sig([I32, I32, I32, I32, I32], [I32]);
  table[Builtin.ElemDrop] = sig([I32], []);
  table[Builtin.OutOfFuel] = sig([], [I32]);
  table[Builtin.EpochDeadline] = sig([], [I32]);
  return table;
})();

/** A small map from dense integer keys to integers, cleared in O(1) (per function) by bumping a stamp. */
class DenseCache {
  private stamps = new Int32Array(16);
  private values = new Int32Array(16);
  private stamp = 1;

  clear(): void {
    this.stamp++;
  }

  get(key: number): number {
    return key < this.stamps.length && this.stamps[key] === this.stamp ? this.values[key] : -1;
  }

  set(key: number, value: number): void {
    if (key >= this.stamps.length) {
      const n = Math.max(key + 1, this.stamps.length * 2);
      const s = new Int32Array(n);
      s.set(this.stamps);
      const v = new Int32Array(n);
      v.set(this.values);
      this.stamps = s;
      this.values = v;
    }
    this.stamps[key] = this.stamp;
    this.values[key] = value;
  }
}

/** Places hoisted instructions at the top of the entry block, in the order they are built. */
class EntryHoister implements InstSink {
  block: Block = NONE;
  last: Inst = NONE;
  layout!: Layout;

  insertBuilt(inst: Inst): void {
    if (this.last !== NONE) this.layout.insertInstAfter(inst, this.last);
    else {
      const first = this.layout.firstInst(this.block);
      if (first === NONE) this.layout.appendInst(inst, this.block);
      else this.layout.insertInstBefore(inst, first);
    }
    this.last = inst;
  }
}

const EMPTY_BYTES = new Uint8Array(0);

/**
 * Translates functions one at a time; reuse one instance for many functions (its buffers stay allocated). Fields are
 * shared with the translate-*.ts, fuel.ts and epoch.ts helpers.
 */
export class FunctionTranslator {
  module!: ModuleInfo;
  env!: ModuleTranslationEnv;
  offsets!: VMOffsets;
  signatureIds!: Int32Array;
  funcIndex = 0;
  func!: IrFunction;
  fb!: FunctionBuilder;
  ins!: InstBuilder;
  /** The entry block's first parameter. */
  vmctx: Value = NONE;
  readonly reader = new OperatorReader(EMPTY_BYTES);
  /** The wasm operand stack, as IR values. */
  stack = new Int32Array(64);
  sp = 0;
  /** False in dead code (after br, br_table, return, unreachable until the frame ends). */
  reachable = true;
  epoch = false;
  readonly control = new ControlStack(this);
  readonly fuel = new FuelInstrumentation(this);
  /** With recordFuel: triples (FuelLogKind, wasm offset, amount), in translation order. */
  fuelLog: number[] | null = null;
  /** Scratch list for call arguments. */
  readonly callArgs: Value[] = [];

  private readonly hoister = new EntryHoister();
  private hoistIns!: InstBuilder;
  private interrupts: Value = NONE;
  private memoryDefinition0: Value = NONE;
  private funcRefArray: Value = NONE;
  private epochCounter: Value = NONE;
  private readonly tableDefinitions = new DenseCache();
  private readonly wasmSigRefs = new DenseCache();
  private readonly wasmFuncRefs = new DenseCache();
  private readonly builtinRefs = new Int32Array(BUILTIN_COUNT);
  private readonly constant: ConstantBits = { known: false, lo: 0, hi: 0 };

  /** Deferred cold trap blocks: block, pending fuel, trap code, source location (filled after the body). */
  private trapSites: number[] = [];

  /** Translates function `funcIndex` (a defined function, in the function index space) of a validated module. */
  translate(module: ModuleInfo, funcIndex: number, options: TranslateOptions = {}): IrFunction {
    const decl = module.functions[funcIndex];
    if (decl === undefined || decl.imported) {
      throw new RangeError(`translateFunction: function ${funcIndex} is not a defined function of the module`);
    }
    const env = ModuleTranslationEnv.of(module);
    this.module = module;
    this.env = env;
    this.offsets = env.offsets;
    this.signatureIds = options.signatureIds ?? env.localSignatureIds;
    if (this.signatureIds.length < module.types.length) {
      throw new RangeError(`translateFunction: signatureIds has ${this.signatureIds.length} entries, the module ${module.types.length} types`);
    }
    this.funcIndex = funcIndex;
    this.epoch = options.epoch === true;
    this.fuelLog = options.recordFuel === true ? [] : null;
    const typeIndex = decl.typeIndex;
    const type = module.types[typeIndex];

    const func = new IrFunction(options.name ?? `f${funcIndex}`, this.wasmSignature(typeIndex));
    const fb = new FunctionBuilder(func);
    this.func = func;
    this.fb = fb;
    this.ins = fb.ins;
    this.hoistIns = new InstBuilder(func.dfg, this.hoister);
    this.hoister.layout = func.layout;
    this.hoister.last = NONE;
    this.interrupts = NONE;
    this.memoryDefinition0 = NONE;
    this.funcRefArray = NONE;
    this.epochCounter = NONE;
    this.tableDefinitions.clear();
    this.wasmSigRefs.clear();
    this.wasmFuncRefs.clear();
    this.builtinRefs.fill(-1);
    this.trapSites.length = 0;
    this.sp = 0;
    this.reachable = true;
    this.fuel.start(parseFuelStrategy(options.fuel));

    const r = this.reader;
    r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, funcIndex);
    r.readLocals(type.params);

    // Entry block: vmctx and the parameters.
    const entry = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    this.hoister.block = entry;
    fb.srcLoc = decl.bodyStart;
    this.vmctx = fb.blockParam(entry, 0);
    this.declareLocals(type.params.length);

    this.fuel.functionEntry();
    if (this.epoch) emitEpochCheck(this);
    this.control.begin(type.results);
    this.translateBody();
    this.emitTrapSites();
    return fb.finalize();
  }

  private declareLocals(nParams: number): void {
    const r = this.reader;
    const fb = this.fb;
    let zeros: Value[] | null = null;
    for (let i = 0; i < r.localCount; i++) {
      const vt = r.localTypes[i];
      if (vt === ValType.V128) this.unsupported('v128 locals (SIMD)', r.pos);
      const t = irType(vt);
      const x = fb.declareVar(t);
      if (i < nParams) fb.defVar(x, fb.blockParam(fb.currentBlock, i + 1));
      else {
        zeros ??= [];
        let z = zeros[t];
        if (z === undefined) z = zeros[t] = this.zero(t);
        fb.defVar(x, z);
      }
    }
  }

  private zero(t: Type): Value {
    if (t === F32) return this.ins.f32constBits(0);
    if (t === F64) return this.ins.f64constBits(0, 0);
    return this.ins.iconst(t, 0);
  }

  // ---------------------------------------------------------------------------------------------------------
  // The operator loop
  // ---------------------------------------------------------------------------------------------------------

  private translateBody(): void {
    const r = this.reader;
    const fb = this.fb;
    const fuel = this.fuel;
    const control = this.control;
    for (;;) {
      const op = r.next();
      fb.srcLoc = r.opOffset;
      if (!this.reachable) {
        if (this.skipDead(op)) return;
        continue;
      }
      fuel.pending += OPERATOR_FUEL_COST[op];
      const kind = SIMPLE_KIND[op];
      if (kind !== 0) {
        translateSimple(this, op, kind);
        continue;
      }
      switch (op) {
        case Op.LOCAL_GET:
          this.push(fb.useVar(r.index));
          break;
        case Op.LOCAL_SET:
          fb.defVar(r.index, this.pop());
          break;
        case Op.LOCAL_TEE:
          fb.defVar(r.index, this.stack[this.sp - 1]);
          break;
        case Op.END:
          if (control.end()) return;
          break;
        case Op.BLOCK:
          control.block(r.blockType);
          break;
        case Op.LOOP:
          control.loop(r.blockType);
          break;
        case Op.IF:
          control.if_(r.blockType);
          break;
        case Op.ELSE:
          control.else_();
          break;
        case Op.BR:
          control.br(r.index);
          break;
        case Op.BR_IF:
          control.brIf(r.index);
          break;
        case Op.BR_TABLE:
          control.brTable();
          break;
        case Op.RETURN:
          control.emitReturn();
          break;
        case Op.UNREACHABLE:
          control.unreachable();
          break;
        case Op.NOP:
          break;
        case Op.DROP:
          this.sp--;
          break;
        case Op.SELECT:
        case Op.SELECT_T: {
          const c = this.pop();
          const y = this.pop();
          const x = this.pop();
          this.push(this.ins.select(c, x, y));
          break;
        }
        case Op.CALL:
          translateCall(this, r.index);
          break;
        case Op.CALL_INDIRECT:
          translateCallIndirect(this, r.index, r.index2);
          break;
        case Op.GLOBAL_GET:
          translateGlobalGet(this, r.index);
          break;
        case Op.GLOBAL_SET:
          translateGlobalSet(this, r.index);
          break;
        case Op.I32_LOAD: case Op.I64_LOAD: case Op.F32_LOAD: case Op.F64_LOAD:
        case Op.I32_LOAD8_S: case Op.I32_LOAD8_U: case Op.I32_LOAD16_S: case Op.I32_LOAD16_U:
        case Op.I64_LOAD8_S: case Op.I64_LOAD8_U: case Op.I64_LOAD16_S: case Op.I64_LOAD16_U:
        case Op.I64_LOAD32_S: case Op.I64_LOAD32_U:
          translateLoad(this, op, r.offset);
          break;
        case Op.I32_STORE: case Op.I64_STORE: case Op.F32_STORE: case Op.F64_STORE:
        case Op.I32_STORE8: case Op.I32_STORE16: case Op.I64_STORE8: case Op.I64_STORE16: case Op.I64_STORE32:
          translateStore(this, op, r.offset);
          break;
        case Op.MEMORY_SIZE:
          translateMemorySize(this);
          break;
        case Op.MEMORY_GROW:
          translateMemoryGrow(this);
          break;
        case Op.MEMORY_INIT: case Op.DATA_DROP: case Op.MEMORY_COPY: case Op.MEMORY_FILL:
          translateBulkMemory(this, op);
          break;
        case Op.TABLE_GET: case Op.TABLE_SET: case Op.TABLE_SIZE: case Op.TABLE_GROW: case Op.TABLE_FILL:
        case Op.TABLE_COPY: case Op.TABLE_INIT: case Op.ELEM_DROP:
        case Op.REF_NULL: case Op.REF_IS_NULL:
          translateTableOp(this, op);
          break;
        case Op.REF_FUNC:
          translateRefFunc(this, r.index);
          break;
        default:
          if (op >= OP_PREFIX_FD_BASE) this.unsupported(`SIMD operator ${opName(op)}`, r.opOffset);
          throw new CompileError(`translator: no translation for operator ${opName(op)}`, r.opOffset, this.funcIndex);
      }
    }
  }

  /** Dead code: only the nesting matters. Returns true at the function's final `end`. */
  private skipDead(op: number): boolean {
    const control = this.control;
    switch (op) {
      case Op.BLOCK:
        control.openDead(FrameKind.Block);
        return false;
      case Op.LOOP:
        control.openDead(FrameKind.Loop);
        return false;
      case Op.IF:
        control.openDead(FrameKind.If);
        return false;
      case Op.ELSE:
        control.else_();
        return false;
      case Op.END:
        return control.end();
      default:
        if (op >= OP_PREFIX_FD_BASE) this.unsupported(`SIMD operator ${opName(op)}`, this.reader.opOffset);
        return false;
    }
  }

  private unsupported(what: string, offset: number): never {
    throw new CompileError(`unsupported by the translator: ${what}`, offset, this.funcIndex);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Operand stack
  // ---------------------------------------------------------------------------------------------------------

  push(v: Value): void {
    if (this.sp === this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    this.stack[this.sp++] = v;
  }

  pop(): Value {
    return this.stack[--this.sp];
  }

  /** The bits of `v` when an `iconst` defines it (`known` false otherwise); the returned object is reused. */
  constantOf(v: Value): ConstantBits {
    const c = this.constant;
    const dfg = this.func.dfg;
    const inst = dfg.valueInst(v);
    c.known = inst !== NONE && dfg.opcode(inst) === Opcode.iconst;
    c.lo = c.known ? dfg.immLo(inst) : 0;
    c.hi = c.known ? dfg.immHi(inst) : 0;
    return c;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Traps
  // ---------------------------------------------------------------------------------------------------------

  /** Traps with `code` when `cond` ≠ 0. */
  trapIf(cond: Value, code: TrapCode): void {
    if (!this.fuel.enabled) {
      this.ins.trapnz(cond, code);
      return;
    }
    const fb = this.fb;
    const cold = this.trapBlock(code);
    const cont = fb.createBlock();
    this.ins.brif(cond, cold, [], cont, []);
    fb.sealBlock(cold);
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
  }

  /** Traps with `code` when `cond` = 0. */
  trapUnless(cond: Value, code: TrapCode): void {
    if (!this.fuel.enabled) {
      this.ins.trapz(cond, code);
      return;
    }
    const fb = this.fb;
    const cold = this.trapBlock(code);
    const cont = fb.createBlock();
    this.ins.brif(cond, cont, [], cold, []);
    fb.sealBlock(cold);
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
  }

  /**
   * Float → int range guard (fuel on): traps unless `inRange` ≠ 0; a cold block tells a NaN `x`
   * (bad_conversion) from an out-of-range one (int_ovf).
   */
  trapUnlessClassified(inRange: Value, x: Value): void {
    const fb = this.fb;
    const ins = this.ins;
    const classify = fb.createBlock();
    fb.func.dfg.setCold(classify, true);
    const cont = fb.createBlock();
    ins.brif(inRange, cont, [], classify, []);
    fb.sealBlock(classify);
    fb.switchToBlock(classify);
    const isNaN = ins.fcmp(FloatCC.ne, x, x);
    const nanBlock = this.trapBlock(TrapCode.bad_conversion);
    const ovfBlock = this.trapBlock(TrapCode.int_ovf);
    ins.brif(isNaN, nanBlock, [], ovfBlock, []);
    fb.sealBlock(nanBlock);
    fb.sealBlock(ovfBlock);
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
  }

  /**
   * A cold block that traps with `code` after making the fuel counter exact: it adds the cost pending at the
   * current operator (which includes the operator itself). Filled after the body (emitTrapSites).
   */
  private trapBlock(code: TrapCode): Block {
    const b = this.fb.createBlock();
    this.fb.func.dfg.setCold(b, true);
    const pending = this.fuel.pending;
    this.trapSites.push(b, pending, code, this.fb.srcLoc);
    this.logFuel(FuelLogKind.TrapSite, pending);
    return b;
  }

  private emitTrapSites(): void {
    const sites = this.trapSites;
    const fb = this.fb;
    for (let i = 0; i < sites.length; i += 4) {
      fb.switchToBlock(sites[i]);
      fb.srcLoc = sites[i + 3];
      this.fuel.trapPath(sites[i + 1]);
      this.ins.trap(sites[i + 2]);
    }
  }

  logFuel(kind: FuelLogKind, amount: number): void {
    if (this.fuelLog !== null) this.fuelLog.push(kind, this.fb.srcLoc, amount);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Hoisted VMContext values
  // ---------------------------------------------------------------------------------------------------------

  private hoistLoad(base: Value, offset: number): Value {
    return this.hoistIns.load(I64, VMCTX_READONLY, base, offset);
  }

  /** The VMInterrupts pointer (loaded once per function). */
  interruptsPointer(): Value {
    if (this.interrupts === NONE) this.interrupts = this.hoistLoad(this.vmctx, VMCTX_INTERRUPTS);
    return this.interrupts;
  }

  /** The pointer to the engine's epoch counter. */
  epochCounterPointer(): Value {
    if (this.epochCounter === NONE) this.epochCounter = this.hoistLoad(this.interruptsPointer(), VMINTERRUPTS_EPOCH_COUNTER);
    return this.epochCounter;
  }

  /** The pointer to memory 0's VMMemoryDefinition. */
  memoryDefinition(): Value {
    if (this.memoryDefinition0 === NONE) {
      this.memoryDefinition0 = this.hoistLoad(this.vmctx, this.offsets.memoryDefinitionPointer(0));
    }
    return this.memoryDefinition0;
  }

  /** The pointer to table `index`'s VMTableDefinition. */
  tableDefinition(index: number): Value {
    let v = this.tableDefinitions.get(index);
    if (v < 0) {
      v = this.hoistLoad(this.vmctx, this.offsets.tableDefinitionPointer(index));
      this.tableDefinitions.set(index, v);
    }
    return v;
  }

  /** The instance's funcRefs array (one *VMFuncRef per function index). */
  funcRefsPointer(): Value {
    if (this.funcRefArray === NONE) this.funcRefArray = this.hoistLoad(this.vmctx, VMCTX_FUNC_REFS);
    return this.funcRefArray;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Signatures and function references
  // ---------------------------------------------------------------------------------------------------------

  /** The IR signature of wasm type `typeIndex`: `(i64 vmctx, params…) -> results`. */
  wasmSignature(typeIndex: number): Signature {
    return new Signature([I64, ...this.env.paramTypes[typeIndex]], this.env.resultTypes[typeIndex].slice(), 0, CallConv.fast);
  }

  /** The SigRef of wasm type `typeIndex` in the current function (declared on first use). */
  wasmSigRef(typeIndex: number): SigRef {
    let s = this.wasmSigRefs.get(typeIndex);
    if (s < 0) {
      s = this.func.dfg.importSignature(this.wasmSignature(typeIndex));
      this.wasmSigRefs.set(typeIndex, s);
    }
    return s;
  }

  /** The FuncRef of defined function `funcIndex` (declared on first use). */
  wasmFuncRef(funcIndex: number): FuncRef {
    let f = this.wasmFuncRefs.get(funcIndex);
    if (f < 0) {
      const sig = this.wasmSigRef(this.module.functions[funcIndex].typeIndex);
      f = this.func.dfg.importFunction(new ExtFuncData(FuncKind.wasm, funcIndex, sig));
      this.wasmFuncRefs.set(funcIndex, f);
    }
    return f;
  }

  /** Calls runtime builtin `id` with (vmctx, ...args); returns its result, or NONE when it has none. */
  callBuiltin(id: Builtin, args: ArrayLike<Value>): Value {
    let ref = this.builtinRefs[id];
    if (ref < 0) {
      const dfg = this.func.dfg;
      const sig = dfg.importSignature(BUILTIN_SIGNATURES[id]);
      ref = dfg.importFunction(new ExtFuncData(FuncKind.builtin, id, sig));
      this.builtinRefs[id] = ref;
    }
    const a = this.callArgs;
    a.length = 0;
    a.push(this.vmctx);
    for (let i = 0; i < args.length; i++) a.push(args[i]);
    return this.func.dfg.firstResult(this.ins.call(ref, a));
  }
}

let shared: FunctionTranslator | null = null;

/**
 * Translates defined function `funcIndex` (function index space) of a validated module into a new IR function.
 * Throws CompileError for what the translator does not support (SIMD).
 */
export function translateFunction(module: ModuleInfo, funcIndex: number, options: TranslateOptions = {}): IrFunction {
  shared ??= new FunctionTranslator();
  return shared.translate(module, funcIndex, options);
}
