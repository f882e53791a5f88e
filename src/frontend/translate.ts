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
  I64,
  F32,
  F64,
  InstBuilder,
  IrFunction,
  NONE,
  Opcode,
  Signature,
  CallConv,
  TrapCode,
  type Block,
  type FuncRef,
  type Inst,
  type SigRef,
  type Type,
  type Value,
} from '../ir/index.js';
import { CompileError } from './errors.js';
import { FuelInstrumentation, FuelLogKind, FuelStrategy, OPERATOR_FUEL_COST, parseFuelStrategy } from './fuel.js';
import { emitEpochCheck } from './epoch.js';
import type { ModuleInfo } from './module-info.js';
import { Op, OP_PREFIX_FD_BASE } from './opcodes.js';
import { OperatorReader } from './operator-reader.js';
import { opName } from './operator-table.js';
import { BUILTIN_SIGNATURES, translateCall, translateCallIndirect } from './translate-calls.js';
import { ControlStack, FrameKind } from './translate-control.js';
import { irType, ModuleTranslationEnv, VMCTX_READONLY } from './translate-env.js';
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
import { DenseCache, EntryHoister } from './translate-support.js';
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
  /**
   * How a trap site counts its pending fuel (fuel on only):
   * - 'blocks' (default): a cold block per site adds the pending cost to the counter, then traps; division and
   *   float → int traps become explicit guards. Self-contained: any backend that runs the IR counts exactly.
   * - 'annotate' (memory strategy only): the site stays a `trapnz`/`trapz` (or the trapping opcode itself) with
   *   `dfg.setTrapFuel(inst, pending)`; the backend's out-of-line trap stub adds it to [interrupts+8]. No block
   *   splitting: the IR is that of fuel off plus the flushes, and translation is faster.
   * The variable strategy always uses 'blocks' (its counter lives in a register the trap stub cannot know).
   */
  trapFuel?: 'blocks' | 'annotate';
  /** Keep a log of every fuel flush and trap-site cost (`FunctionTranslator.fuelLog`), for tests and tools. */
  recordFuel?: boolean;
  /** The IR function's name (default `f<funcIndex>`). */
  name?: string;
}

const EMPTY_BYTES = new Uint8Array(0);
/** The block type byte 0x7B (v128) as the reader reports a single-result block type. */
const V128_BLOCK_TYPE = 0x7b - 0x80;

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
  /**
   * True when trap sites get explicit cold blocks (fuel on, 'blocks'); false when they are plain conditional traps,
   * annotated with their pending fuel when fuel is on ('annotate').
   */
  trapBlocks = false;
  /** With recordFuel: triples (FuelLogKind, wasm offset, amount), in translation order. */
  fuelLog: number[] | null = null;
  /** Scratch list for call arguments. */
  readonly callArgs: Value[] = [];

  /**
   * The current SSA value of each variable (locals, then the fuel counter), valid while `varStamp[x] === varGen`.
   * Blocks that only continue the current position (after a trap-site split, br_if, if, a check) cannot change a
   * variable, so its value can be reused there without an SSA lookup; a lookup from a block far down such a chain
   * would walk the whole chain back (O(variables × blocks) for long straight-line code). Forgotten whenever the
   * translator enters a block other paths lead to (loop header, else arm, merge block).
   */
  private varValue = new Int32Array(64);
  private varStamp = new Int32Array(64);
  private varGen = 1;

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

  /**
   * Deferred cold trap blocks: block, pending fuel, trap code, source location, and (variable strategy) the
   * counter's value at the site — filled after the body.
   */
  private trapSites: number[] = [];

  /** The function builder, kept from function to function (rebound to each new IR function). */
  private builder: FunctionBuilder | null = null;

  /**
   * Translates function `funcIndex` (a defined function, in the function index space) of a validated module. With
   * `into`, that IR function is cleared and reused (its storage stays allocated: much faster for many functions);
   * the caller must be done with its previous contents.
   */
  translate(module: ModuleInfo, funcIndex: number, options: TranslateOptions = {}, into?: IrFunction): IrFunction {
    const decl = module.functions[funcIndex];
    if (decl === undefined || decl.imported) {
      throw new RangeError(`translateFunction: function ${funcIndex} is not a defined function of the module`);
    }
    // Options first, before any state changes.
    const strategy = parseFuelStrategy(options.fuel);
    if (options.trapFuel !== undefined && options.trapFuel !== 'blocks' && options.trapFuel !== 'annotate') {
      throw new RangeError(`translateFunction: unknown trapFuel '${options.trapFuel as string}' (expected 'blocks' or 'annotate')`);
    }
    const env = ModuleTranslationEnv.of(module);
    const signatureIds = options.signatureIds ?? env.localSignatureIds;
    if (signatureIds.length < module.types.length) {
      throw new RangeError(`translateFunction: signatureIds has ${signatureIds.length} entries, the module ${module.types.length} types`);
    }
    this.module = module;
    this.env = env;
    this.offsets = env.offsets;
    this.signatureIds = signatureIds;
    this.funcIndex = funcIndex;
    this.epoch = options.epoch === true;
    this.fuelLog = options.recordFuel === true ? [] : null;
    const typeIndex = decl.typeIndex;
    const type = module.types[typeIndex];
    if (env.typeMentionsV128[typeIndex] === 1) this.unsupported(`v128 in the function's type (SIMD)`, decl.bodyStart);

    const name = options.name ?? `f${funcIndex}`;
    let func: IrFunction;
    if (into === undefined) func = new IrFunction(name, this.wasmSignature(typeIndex));
    else {
      func = into;
      func.clear(name, this.wasmSignature(typeIndex));
    }
    // Room for the usual size up front (about one IR instruction per body byte at most, with fuel on): a fresh
    // function then allocates each column group once instead of doubling its way up.
    const sizeHint = decl.bodyEnd - decl.bodyStart + 16;
    func.dfg.reserve(sizeHint, sizeHint, (sizeHint >> 3) + 8);
    func.layout.reserve(sizeHint, (sizeHint >> 3) + 8);
    // One builder for every function: its SSA tables and scratch arrays stay allocated.
    let fb = this.builder;
    if (fb === null) fb = this.builder = new FunctionBuilder(func);
    fb.rebind(func);
    this.func = func;
    this.fb = fb;
    this.ins = fb.ins;
    if (this.hoistIns === undefined || this.hoistIns.dfg !== func.dfg) this.hoistIns = new InstBuilder(func.dfg, this.hoister);
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
    this.fuel.start(strategy);
    this.trapBlocks = strategy === FuelStrategy.Variable || (strategy === FuelStrategy.Memory && options.trapFuel !== 'annotate');

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
    this.forgetVars();
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
      if (i < nParams) this.writeVar(x, fb.blockParam(fb.currentBlock, i + 1));
      else {
        zeros ??= [];
        let z = zeros[t];
        if (z === undefined) z = zeros[t] = this.zero(t);
        this.writeVar(x, z);
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
          this.push(this.readVar(r.index));
          break;
        case Op.LOCAL_SET:
          this.writeVar(r.index, this.pop());
          break;
        case Op.LOCAL_TEE:
          this.writeVar(r.index, this.stack[this.sp - 1]);
          break;
        case Op.END:
          if (control.end()) return;
          break;
        case Op.BLOCK:
          this.checkType(r.blockType);
          control.block(r.blockType);
          break;
        case Op.LOOP:
          this.checkType(r.blockType);
          control.loop(r.blockType);
          break;
        case Op.IF:
          this.checkType(r.blockType);
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
          this.checkCallType(this.module.functions[r.index].typeIndex);
          translateCall(this, r.index);
          break;
        case Op.CALL_INDIRECT:
          this.checkCallType(r.index);
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

  /** Rejects block types and callee types that mention v128 (the translator has no SIMD yet). */
  checkType(blockType: number): void {
    const v128 = blockType >= 0 ? this.env.typeMentionsV128[blockType] === 1 : blockType === V128_BLOCK_TYPE;
    if (v128) this.unsupported('v128 in a block type (SIMD)', this.reader.opOffset);
  }

  /** Rejects calls through a type that mentions v128. */
  checkCallType(typeIndex: number): void {
    if (this.env.typeMentionsV128[typeIndex] === 1) this.unsupported('a call with v128 values (SIMD)', this.reader.opOffset);
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

  // ---------------------------------------------------------------------------------------------------------
  // Variables (locals and the fuel counter)
  // ---------------------------------------------------------------------------------------------------------

  /** The value of variable `x` here. */
  readVar(x: number): Value {
    if (x < this.varStamp.length && this.varStamp[x] === this.varGen) return this.varValue[x];
    const v = this.fb.useVar(x);
    this.remember(x, v);
    return v;
  }

  /** Sets variable `x` to `v` from here on. */
  writeVar(x: number, v: Value): void {
    this.fb.defVar(x, v);
    this.remember(x, v);
  }

  private remember(x: number, v: Value): void {
    if (x >= this.varStamp.length) {
      const n = Math.max(x + 1, this.varStamp.length * 2);
      const values = new Int32Array(n);
      values.set(this.varValue);
      const stamps = new Int32Array(n);
      stamps.set(this.varStamp);
      this.varValue = values;
      this.varStamp = stamps;
    }
    this.varValue[x] = v;
    this.varStamp[x] = this.varGen;
  }

  /** Entering a block that other paths lead to: the remembered values may not hold there. */
  forgetVars(): void {
    this.varGen++;
  }

  /** Forgets one variable's remembered value (e.g. the fuel counter after a check, whose two paths differ). */
  forgetVar(x: number): void {
    if (x < this.varStamp.length) this.varStamp[x] = 0;
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
    if (!this.trapBlocks) {
      this.annotateTrap(this.ins.trapnz(cond, code));
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
    if (!this.trapBlocks) {
      this.annotateTrap(this.ins.trapz(cond, code));
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
   * A trapping instruction without its own cold block: with fuel on ('annotate'), it carries the pending cost for
   * the backend's trap stub to add.
   */
  annotateTrap(inst: Inst): void {
    if (!this.fuel.enabled) return;
    const pending = this.fuel.pending;
    if (pending > 0) this.func.dfg.setTrapFuel(inst, pending);
    this.logFuel(FuelLogKind.TrapSite, pending);
  }

  /**
   * A cold block that traps with `code` after making the fuel counter exact: it adds the cost pending at the
   * current operator (which includes the operator itself). Filled after the body (emitTrapSites).
   */
  private trapBlock(code: TrapCode): Block {
    const b = this.fb.createBlock();
    this.fb.func.dfg.setCold(b, true);
    const pending = this.fuel.pending;
    this.trapSites.push(b, pending, code, this.fb.srcLoc, this.fuel.counterValue());
    this.logFuel(FuelLogKind.TrapSite, pending);
    return b;
  }

  private emitTrapSites(): void {
    const sites = this.trapSites;
    const fb = this.fb;
    for (let i = 0; i < sites.length; i += 5) {
      fb.switchToBlock(sites[i]);
      fb.srcLoc = sites[i + 3];
      this.fuel.trapPath(sites[i + 1], sites[i + 4]);
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

  /** The IR signature of wasm type `typeIndex`: `(i64 vmctx, params…) -> results` (a new object each time). */
  wasmSignature(typeIndex: number): Signature {
    const params = this.env.paramTypes[typeIndex];
    const irParams: Type[] = [I64]; // (a loop, not a spread: this runs once per function and per callee type)
    for (let i = 0; i < params.length; i++) irParams.push(params[i]);
    return new Signature(irParams, this.env.resultTypes[typeIndex].slice(), 0, CallConv.fast);
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
    // Filled in place and passed with a count: no array length changes per call.
    const a = this.callArgs;
    a[0] = this.vmctx;
    for (let i = 0; i < args.length; i++) a[i + 1] = args[i];
    return this.func.dfg.firstResult(this.ins.call(ref, a, 0, args.length + 1));
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
