/**
 * The data-flow graph: every value, instruction and block of a function, as struct-of-arrays columns indexed by
 * integer ids, plus declared signatures and external functions.
 *
 * The DFG knows *what* instructions compute; the Layout (layout.ts) knows *where* they are (block order and
 * instruction order). An instruction or block that exists here but is not in the layout is simply dead.
 *
 * Columns are typed arrays that grow by doubling; always go through the accessor methods (a column object is
 * replaced when it grows). Values read through `arg`/`destArg`/... are alias-resolved.
 */
import { grownCapacity, i32Column, u8Column } from './grow.js';
import { NONE, type Block, type BlockCall, type FuncRef, type Inst, type SigRef, type Value } from './ids.js';
import { EMPTY_LIST, ListPool, type ListHandle } from './list-pool.js';
import { MemFlag } from './memflags.js';
import {
  Format,
  OPCODE_FLAGS,
  OPCODE_FORMAT,
  OPCODE_TYPE_RULE,
  OpFlag,
  Opcode,
  TypeRule,
  opcodeName,
} from './opcodes.js';
import { ExtFuncData, Signature } from './signature.js';
import { F32, I32, NONE_TYPE, typeName, type Type } from './types.js';

/** How a value is defined. */
export const ValueKind = {
  /** Reserved id that is not (or no longer) defined: a parser placeholder or a removed block parameter. */
  Invalid: 0,
  /** Result number `valueNum` of instruction `valueDef`. */
  Result: 1,
  /** Parameter number `valueNum` of block `valueDef`. */
  Param: 2,
  /** Stands for value `valueDef`; readers see through it (see `resolve`). */
  Alias: 3,
} as const;
export type ValueKind = number;

/** Fixed operand count per format; -1 = variable list in the pool. */
const FIXED_ARGS = new Int8Array([
  /* Nullary */ 0, /* Unary */ 1, /* UnaryImm */ 0, /* Binary */ 2, /* BinaryImm */ 1, /* Ternary */ 3,
  /* IntCompare */ 2, /* IntCompareImm */ 1, /* FloatCompare */ 2, /* Load */ 1, /* Store */ 2, /* Trap */ 0,
  /* CondTrap */ 1, /* Jump */ 0, /* Brif */ 1, /* BranchTable */ 1, /* MultiAry */ -1, /* Call */ -1,
  /* CallIndirect */ -1,
]);

const EMPTY: readonly number[] = [];

/**
 * Per opcode: 1 when the instruction has exactly one result, of the controlling type (what `makeResults` gives every
 * opcode that is neither result-less nor a call). Lets `makeFixedInst` skip the type-rule switch.
 */
const SINGLE_RESULT: Uint8Array = (() => {
  const single = new Uint8Array(OPCODE_TYPE_RULE.length);
  for (let op = 0; op < single.length; op++) {
    switch (OPCODE_TYPE_RULE[op]) {
      case TypeRule.StoreAny: case TypeRule.StoreInt: case TypeRule.StoreI64: case TypeRule.Void:
      case TypeRule.CondInt: case TypeRule.IndexI32: case TypeRule.Return: case TypeRule.PinnedSet:
      case TypeRule.Call:
        break;
      default:
        single[op] = 1;
    }
  }
  return single;
})();

/** Shared zero-length columns of a new (not yet grown) DataFlowGraph: nothing can be written to them. */
const EMPTY_I32 = new Int32Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U16 = new Uint16Array(0);

export class DataFlowGraph {
  /** Lists: block parameters, instruction results, variable operand lists, block calls and br_table tables. */
  readonly pool = new ListPool(16);

  /** Declared signatures, indexed by SigRef. */
  readonly signatures: Signature[] = [];
  /** Declared external functions, indexed by FuncRef. */
  readonly extFuncs: ExtFuncData[] = [];

  // The columns start empty (shared zero-length arrays: a new function allocates nothing until it is built) and
  // grow by doubling; each entity's columns share one ArrayBuffer, so a growth is one allocation, not one per column.
  private nValues = 0;
  private vType: Uint8Array = EMPTY_U8;
  private vKind: Uint8Array = EMPTY_U8;
  private vDef: Int32Array = EMPTY_I32;
  private vNum: Int32Array = EMPTY_I32;

  private nInsts = 0;
  private iOp: Uint16Array = EMPTY_U16;
  private iType: Uint8Array = EMPTY_U8;
  private iA0: Int32Array = EMPTY_I32;
  private iA1: Int32Array = EMPTY_I32;
  private iA2: Int32Array = EMPTY_I32;
  private iImmLo: Int32Array = EMPTY_I32;
  private iImmHi: Int32Array = EMPTY_I32;
  private iAux: Int32Array = EMPTY_I32;
  /**
   * Results: `~v` (negative) for the single result v — most instructions, so they need no list — else a list
   * handle (EMPTY_LIST for none).
   */
  private iResults: Int32Array = EMPTY_I32;
  private iSrcLoc: Int32Array = EMPTY_I32;
  private iFuel: Int32Array = EMPTY_I32;

  private nBlocks = 0;
  /** Number of values made aliases (changeToAlias) since `clear`; an alias stays one. */
  private nAliases = 0;
  private bParams: Int32Array = EMPTY_I32;
  private bFlags: Uint8Array = EMPTY_U8;

  /**
   * Makes room for at least `insts` instructions, `values` values and `blocks` blocks without further growth
   * (a translator that can estimate the size saves the doublings).
   */
  reserve(insts: number, values: number, blocks: number): void {
    if (insts > this.iOp.length) this.growInsts(insts);
    if (values > this.vType.length) this.growValues(values);
    if (blocks > this.bParams.length) this.growBlocks(blocks);
    // Mostly one result list (3 words) per instruction, plus branch destinations and call operands.
    this.pool.reserve(insts * 4);
  }

  /** Forgets everything, keeping the allocated columns for the next function. */
  clear(): void {
    this.pool.clear();
    this.signatures.length = 0;
    this.extFuncs.length = 0;
    this.nValues = 0;
    this.nInsts = 0;
    this.nBlocks = 0;
    this.nAliases = 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Counts
  // ---------------------------------------------------------------------------------------------------------

  /** Number of value ids ever created (v0 .. v[numValues-1]); some may be aliases or invalid. */
  get numValues(): number {
    return this.nValues;
  }

  /** Number of instruction ids ever created; removed instructions keep their ids. */
  get numInsts(): number {
    return this.nInsts;
  }

  /** Number of block ids ever created. */
  get numBlocks(): number {
    return this.nBlocks;
  }

  /** True once any value has been made an alias (aliases are never undone). */
  get hasAliases(): boolean {
    return this.nAliases !== 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------------------------

  private makeValue(kind: ValueKind, type: Type, def: number, num: number): Value {
    const v = this.nValues;
    if (v === this.vType.length) this.growValues(v + 1);
    this.vType[v] = type;
    this.vKind[v] = kind;
    this.vDef[v] = def;
    this.vNum[v] = num;
    this.nValues = v + 1;
    return v;
  }

  /** Makes value ids 0..count-1 exist; new ones are Invalid placeholders (used by the parser to keep numbering). */
  reserveValues(count: number): void {
    while (this.nValues < count) this.makeValue(ValueKind.Invalid, NONE_TYPE, NONE, 0);
  }

  isValidValue(v: Value): boolean {
    return v >= 0 && v < this.nValues;
  }

  valueType(v: Value): Type {
    return this.vType[v]!;
  }

  /** Sets a value's type (for the parser's type inference; passes should not need it). */
  setValueType(v: Value, t: Type): void {
    this.vType[v] = t;
  }

  valueKind(v: Value): ValueKind {
    return this.vKind[v]!;
  }

  /** The defining instruction (Result), block (Param) or aliased value (Alias). */
  valueDef(v: Value): number {
    return this.vDef[v]!;
  }

  /** Result index or parameter index. */
  valueNum(v: Value): number {
    return this.vNum[v]!;
  }

  /** The instruction that defines `v` (after resolving aliases), or NONE when `v` is a block parameter. */
  valueInst(v: Value): Inst {
    v = this.resolve(v);
    return this.vKind[v] === ValueKind.Result ? this.vDef[v]! : NONE;
  }

  /** The block whose parameter `v` is (after resolving aliases), or NONE. */
  valueBlock(v: Value): Block {
    v = this.resolve(v);
    return this.vKind[v] === ValueKind.Param ? this.vDef[v]! : NONE;
  }

  /** Follows aliases to the value that is really defined. */
  resolve(v: Value): Value {
    const kind = this.vKind;
    const def = this.vDef;
    let n = 0;
    while (kind[v] === ValueKind.Alias) {
      v = def[v]!;
      if (++n > this.nValues) throw new Error(`DataFlowGraph.resolve: alias cycle through v${v}`);
    }
    return v;
  }

  /**
   * Makes `v` an alias of `target`: every reader of `v` now sees `target` ("replace all uses" in O(1)).
   * `v` must not be a live block parameter (remove it first) and both must have the same type. The
   * instruction that defined `v` (if any) keeps its other results; remove it or give it a new result if it
   * stays in the layout.
   */
  changeToAlias(v: Value, target: Value): void {
    const t = this.resolve(target);
    if (t === v) throw new Error(`changeToAlias: v${v} -> v${target} would make an alias cycle`);
    if (this.vType[v] !== this.vType[t] && this.vKind[v] !== ValueKind.Invalid) {
      throw new Error(
        `changeToAlias: type mismatch: v${v} is ${typeName(this.vType[v]!)} but v${t} is ${typeName(this.vType[t]!)}`,
      );
    }
    if (this.vKind[v] === ValueKind.Param) {
      throw new Error(`changeToAlias: v${v} is still a parameter of block${this.vDef[v]}; remove it first`);
    }
    this.vKind[v] = ValueKind.Alias;
    this.vType[v] = this.vType[t]!;
    this.vDef[v] = t;
    this.nAliases++;
  }

  /** Replaces all uses of `v` with `w` (an alias; `v` keeps existing as an id). Same as changeToAlias. */
  replaceAllUsesWith(v: Value, w: Value): void {
    this.changeToAlias(v, w);
  }

  /**
   * Rewrites every operand of instructions `0..numInsts-1` to its alias-resolved value, so the raw columns hold
   * no alias. Cheap (one pass); call at the end of a pass that made aliases if later stages read raw operands.
   */
  resolveAllAliases(): void {
    // Aliases are never undone, so a function that never made one (counted by changeToAlias) has nothing to do.
    if (this.nAliases === 0) return;
    const kind = this.vKind;
    const pool = this.pool;
    const data = pool.data;
    const ops = this.iOp;
    const a0 = this.iA0;
    const a1 = this.iA1;
    const a2 = this.iA2;
    // Column by column, by format (the generic numArgs/rawArg/dest accessors would redo the format lookup per
    // operand). Only aliased operands change: resolve() of anything else is the identity. NONE (-1) operands read
    // kind[-1] = undefined, never Alias.
    for (let inst = 0; inst < this.nInsts; inst++) {
      const format = OPCODE_FORMAT[ops[inst]!]!;
      const fixed = FIXED_ARGS[format]!;
      if (fixed > 0) {
        let v = a0[inst]!;
        if (kind[v] === ValueKind.Alias) a0[inst] = this.resolve(v);
        if (fixed > 1) {
          v = a1[inst]!;
          if (kind[v] === ValueKind.Alias) a1[inst] = this.resolve(v);
          if (fixed > 2) {
            v = a2[inst]!;
            if (kind[v] === ValueKind.Alias) a2[inst] = this.resolve(v);
          }
        }
      } else if (fixed < 0) {
        const h = a0[inst]!;
        if (h > EMPTY_LIST) this.resolveListFrom(h, 0);
      }
      if (format === Format.Jump) this.resolveListFrom(a1[inst]!, 1);
      else if (format === Format.Brif) {
        this.resolveListFrom(a1[inst]!, 1);
        this.resolveListFrom(a2[inst]!, 1);
      } else if (format === Format.BranchTable) {
        const table = a1[inst]!;
        const n = data[table + 1]!;
        for (let k = 0; k < n; k++) this.resolveListFrom(pool.data[table + 2 + k]!, 1);
      }
    }
  }

  /** Resolves the aliased values of pool list `h` from element `from` on (1 for a block call's arguments). */
  private resolveListFrom(h: ListHandle, from: number): void {
    const data = this.pool.data;
    const kind = this.vKind;
    const end = h + 2 + data[h + 1]!;
    for (let p = h + 2 + from; p < end; p++) {
      const v = data[p]!;
      if (kind[v] === ValueKind.Alias) data[p] = this.resolve(v);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Instructions
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Creates an instruction with all operand fields empty and no results. Most code uses an InstBuilder
   * instead; this is the low-level door (the parser, passes that build by hand).
   */
  makeInst(op: Opcode, ctrlType: Type): Inst {
    const i = this.nInsts;
    if (i === this.iOp.length) this.growInsts(i + 1);
    this.iOp[i] = op;
    this.iType[i] = ctrlType;
    this.iA0[i] = NONE;
    this.iA1[i] = NONE;
    this.iA2[i] = NONE;
    this.iImmLo[i] = 0;
    this.iImmHi[i] = 0;
    this.iAux[i] = 0;
    this.iResults[i] = EMPTY_LIST;
    this.iSrcLoc[i] = -1;
    this.iFuel[i] = 0;
    this.nInsts = i + 1;
    return i;
  }

  /** Instruction columns: 9 int32, then one uint16 and one uint8 (int32 columns first keeps every view aligned). */
  /**
   * Creates a fixed-format instruction (up to three operands) complete with immediate, aux field and its result
   * (see `makeResults`): what `makeInst` + `setFixedArgs` + `setImm` + `setAux` + `makeResults` do, writing each
   * column once (the instruction builder's hot path).
   */
  makeFixedInst(op: Opcode, ctrlType: Type, a0: Value, a1: Value, a2: Value, lo: number, hi: number, aux: number): Inst {
    const i = this.nInsts;
    if (i === this.iOp.length) this.growInsts(i + 1);
    this.iOp[i] = op;
    this.iType[i] = ctrlType;
    this.iA0[i] = a0;
    this.iA1[i] = a1;
    this.iA2[i] = a2;
    this.iImmLo[i] = lo;
    this.iImmHi[i] = hi;
    this.iAux[i] = aux;
    this.iSrcLoc[i] = -1;
    this.iFuel[i] = 0;
    this.nInsts = i + 1;
    this.iResults[i] = SINGLE_RESULT[op] === 1 ? ~this.makeValue(ValueKind.Result, ctrlType, i, 0) : EMPTY_LIST;
    return i;
  }

  private growInsts(min: number): void {
    const cap = grownCapacity(this.iOp.length, min, 64);
    const buffer = new ArrayBuffer(cap * (9 * 4 + 2 + 1));
    let at = 0;
    this.iA0 = i32Column(buffer, at, cap, this.iA0); at += cap * 4;
    this.iA1 = i32Column(buffer, at, cap, this.iA1); at += cap * 4;
    this.iA2 = i32Column(buffer, at, cap, this.iA2); at += cap * 4;
    this.iImmLo = i32Column(buffer, at, cap, this.iImmLo); at += cap * 4;
    this.iImmHi = i32Column(buffer, at, cap, this.iImmHi); at += cap * 4;
    this.iAux = i32Column(buffer, at, cap, this.iAux); at += cap * 4;
    this.iResults = i32Column(buffer, at, cap, this.iResults); at += cap * 4;
    this.iSrcLoc = i32Column(buffer, at, cap, this.iSrcLoc); at += cap * 4;
    this.iFuel = i32Column(buffer, at, cap, this.iFuel); at += cap * 4;
    const op = new Uint16Array(buffer, at, cap);
    op.set(this.iOp);
    this.iOp = op;
    at += cap * 2;
    this.iType = u8Column(buffer, at, cap, this.iType);
  }

  /** Value columns: 2 int32, 2 uint8. */
  private growValues(min: number): void {
    const cap = grownCapacity(this.vType.length, min, 64);
    const buffer = new ArrayBuffer(cap * (2 * 4 + 2));
    this.vDef = i32Column(buffer, 0, cap, this.vDef);
    this.vNum = i32Column(buffer, cap * 4, cap, this.vNum);
    this.vType = u8Column(buffer, cap * 8, cap, this.vType);
    this.vKind = u8Column(buffer, cap * 9, cap, this.vKind);
  }

  /** Block columns: 1 int32, 1 uint8. */
  private growBlocks(min: number): void {
    const cap = grownCapacity(this.bParams.length, min, 16);
    const buffer = new ArrayBuffer(cap * 5);
    this.bParams = i32Column(buffer, 0, cap, this.bParams);
    this.bFlags = u8Column(buffer, cap * 4, cap, this.bFlags);
  }

  /**
   * Creates the result values an instruction's opcode calls for (none, one of the controlling type, or a call
   * signature's results). Returns the first result or NONE.
   */
  makeResults(inst: Inst): Value {
    const op = this.iOp[inst]!;
    const rule = OPCODE_TYPE_RULE[op]!;
    switch (rule) {
      case TypeRule.StoreAny: case TypeRule.StoreInt: case TypeRule.StoreI64: case TypeRule.Void:
      case TypeRule.CondInt: case TypeRule.IndexI32: case TypeRule.Return: case TypeRule.PinnedSet:
        return NONE;
      case TypeRule.Call: {
        const results = this.callSignature(inst).results;
        if (results.length === 0) return NONE;
        if (results.length === 1) {
          const v = this.makeValue(ValueKind.Result, results[0]!, inst, 0);
          this.iResults[inst] = ~v;
          return v;
        }
        let h = this.pool.alloc(results.length);
        let first = NONE;
        for (let i = 0; i < results.length; i++) {
          const v = this.makeValue(ValueKind.Result, results[i]!, inst, i);
          if (i === 0) first = v;
          h = this.pool.push(h, v);
        }
        this.iResults[inst] = h;
        return first;
      }
      default: {
        const v = this.makeValue(ValueKind.Result, this.iType[inst]!, inst, 0);
        this.iResults[inst] = ~v;
        return v;
      }
    }
  }

  /** Attaches an existing Invalid value id as the next result of `inst` (parser). */
  attachResult(inst: Inst, v: Value, type: Type): void {
    if (this.vKind[v] !== ValueKind.Invalid) throw new Error(`attachResult: v${v} is already defined`);
    const h = this.iResults[inst]!;
    this.vKind[v] = ValueKind.Result;
    this.vType[v] = type;
    this.vDef[v] = inst;
    if (h === EMPTY_LIST) {
      this.vNum[v] = 0;
      this.iResults[inst] = ~v;
    } else if (h < 0) {
      // A second result: the single one moves into a list.
      this.vNum[v] = 1;
      this.iResults[inst] = this.pool.push(this.pool.of1(~h), v);
    } else {
      this.vNum[v] = this.pool.len(h);
      this.iResults[inst] = this.pool.push(h, v);
    }
  }

  opcode(inst: Inst): Opcode {
    return this.iOp[inst]!;
  }

  format(inst: Inst): Format {
    return OPCODE_FORMAT[this.iOp[inst]!]!;
  }

  /** Controlling type: the type of the single result (NONE_TYPE for stores, branches, calls, ...). */
  instType(inst: Inst): Type {
    return this.iType[inst]!;
  }

  setInstType(inst: Inst, t: Type): void {
    this.iType[inst] = t;
  }

  numResults(inst: Inst): number {
    const h = this.iResults[inst]!;
    return h < 0 ? 1 : this.pool.len(h);
  }

  result(inst: Inst, i: number): Value {
    const h = this.iResults[inst]!;
    return h < 0 ? ~h : this.pool.get(h, i);
  }

  /** First result, or NONE when the instruction has none. */
  firstResult(inst: Inst): Value {
    const h = this.iResults[inst]!;
    if (h < 0) return ~h;
    return this.pool.len(h) > 0 ? this.pool.get(h, 0) : NONE;
  }

  /** Number of value operands, not counting branch arguments (see `numDests`). */
  numArgs(inst: Inst): number {
    const fixed = FIXED_ARGS[OPCODE_FORMAT[this.iOp[inst]!]!]!;
    return fixed >= 0 ? fixed : this.pool.len(this.iA0[inst]!);
  }

  /** Operand `i`, alias-resolved. */
  arg(inst: Inst, i: number): Value {
    return this.resolve(this.rawArg(inst, i));
  }

  /** Operand `i` as stored (may be an alias). */
  rawArg(inst: Inst, i: number): Value {
    const fixed = FIXED_ARGS[OPCODE_FORMAT[this.iOp[inst]!]!]!;
    if (fixed < 0) return this.pool.get(this.iA0[inst]!, i);
    return i === 0 ? this.iA0[inst]! : i === 1 ? this.iA1[inst]! : this.iA2[inst]!;
  }

  setArg(inst: Inst, i: number, v: Value): void {
    const fixed = FIXED_ARGS[OPCODE_FORMAT[this.iOp[inst]!]!]!;
    if (fixed < 0) this.pool.set(this.iA0[inst]!, i, v);
    else if (i === 0) this.iA0[inst] = v;
    else if (i === 1) this.iA1[inst] = v;
    else this.iA2[inst] = v;
  }

  /** Sets the operands of a fixed-format instruction (unused ones: NONE). */
  setFixedArgs(inst: Inst, a0: Value, a1: Value, a2: Value): void {
    this.iA0[inst] = a0;
    this.iA1[inst] = a1;
    this.iA2[inst] = a2;
  }

  /** Sets the operand list of a return/call/call_indirect (`args[start .. start+count)`). */
  setVarArgs(inst: Inst, args: ArrayLike<Value>, start = 0, count = args.length - start): void {
    this.pool.free(this.iA0[inst]!);
    this.iA0[inst] = this.pool.fromArray(args, start, count);
  }

  /** Appends an operand to a return/call/call_indirect. */
  appendVarArg(inst: Inst, v: Value): void {
    this.iA0[inst] = this.pool.push(this.iA0[inst]!, v);
  }

  /** Operands as a new array (convenience; not for hot loops). */
  args(inst: Inst): Value[] {
    const n = this.numArgs(inst);
    const out = new Array<Value>(n);
    for (let i = 0; i < n; i++) out[i] = this.arg(inst, i);
    return out;
  }

  /** Results as a new array (convenience; not for hot loops). */
  results(inst: Inst): Value[] {
    const h = this.iResults[inst]!;
    return h < 0 ? [~h] : this.pool.toArray(h);
  }

  /** Low 32 bits of the immediate (iconst, *_imm, f32const bits, f64const low bits, load/store offset). */
  immLo(inst: Inst): number {
    return this.iImmLo[inst]!;
  }

  /** High 32 bits of the 64-bit immediate (sign extension of immLo for i32 instructions). */
  immHi(inst: Inst): number {
    return this.iImmHi[inst]!;
  }

  setImm(inst: Inst, lo: number, hi: number): void {
    this.iImmLo[inst] = lo;
    this.iImmHi[inst] = hi;
  }

  /** The immediate as a JS number: exact when it is within ±2^53 (check `immHi`), else rounded. */
  immNumber(inst: Inst): number {
    return this.iImmHi[inst]! * 4294967296 + (this.iImmLo[inst]! >>> 0);
  }

  /** Constant offset of a load/store (signed 32-bit). */
  offset(inst: Inst): number {
    return this.iImmLo[inst]!;
  }

  setOffset(inst: Inst, offset: number): void {
    this.iImmLo[inst] = offset | 0;
  }

  /** The small-integer field: MemFlags (load/store), IntCC/FloatCC (compares), TrapCode (traps), FuncRef
   * (call), SigRef (call_indirect). The named accessors below read the same field. */
  aux(inst: Inst): number {
    return this.iAux[inst]!;
  }

  setAux(inst: Inst, v: number): void {
    this.iAux[inst] = v;
  }

  memFlags(inst: Inst): number {
    return this.iAux[inst]!;
  }

  condCode(inst: Inst): number {
    return this.iAux[inst]!;
  }

  trapCode(inst: Inst): number {
    return this.iAux[inst]!;
  }

  funcRef(inst: Inst): FuncRef {
    return this.iAux[inst]!;
  }

  sigRef(inst: Inst): SigRef {
    return this.iAux[inst]!;
  }

  /** The signature a call or call_indirect follows. */
  callSignature(inst: Inst): Signature {
    const op = this.iOp[inst]!;
    const format = OPCODE_FORMAT[op];
    if (format === Format.Call) {
      const fn = this.extFuncs[this.iAux[inst]!];
      if (fn === undefined) throw new Error(`${opcodeName(op)}: unknown function reference fn${this.iAux[inst]}`);
      const sig = this.signatures[fn.signature];
      if (sig === undefined) throw new Error(`fn${this.iAux[inst]}: unknown signature sig${fn.signature}`);
      return sig;
    }
    if (format === Format.CallIndirect) {
      const sig = this.signatures[this.iAux[inst]!];
      if (sig === undefined) throw new Error(`call_indirect: unknown signature sig${this.iAux[inst]}`);
      return sig;
    }
    throw new Error(`callSignature: ${opcodeName(op)} is not a call`);
  }

  /** Source location (wasm byte offset) or -1. */
  srcLoc(inst: Inst): number {
    return this.iSrcLoc[inst]!;
  }

  setSrcLoc(inst: Inst, loc: number): void {
    this.iSrcLoc[inst] = loc;
  }

  /**
   * Fuel still pending (not yet added to the counter) when this instruction executes; a trap path adds it so
   * the count is exact at traps (ARCHITECTURE.md "Fuel"). 0 = none.
   */
  trapFuel(inst: Inst): number {
    return this.iFuel[inst]!;
  }

  setTrapFuel(inst: Inst, fuel: number): void {
    this.iFuel[inst] = fuel;
  }

  /** True when this instruction may trap (loads/stores only without `notrap`). */
  canTrap(inst: Inst): boolean {
    const op = this.iOp[inst]!;
    const flags = OPCODE_FLAGS[op]!;
    if (flags & (OpFlag.Load | OpFlag.Store)) return (this.iAux[inst]! & MemFlag.notrap) === 0;
    return (flags & OpFlag.CanTrap) !== 0;
  }

  /** True when the instruction has effects besides its results (stores, calls, traps, pinned-register writes). */
  hasSideEffects(inst: Inst): boolean {
    return (OPCODE_FLAGS[this.iOp[inst]!]! & OpFlag.SideEffects) !== 0;
  }

  /** True when an unused instance may be deleted: no side effects, cannot trap, not a terminator. */
  isRemovableIfUnused(inst: Inst): boolean {
    const flags = OPCODE_FLAGS[this.iOp[inst]!]!;
    if (flags & (OpFlag.SideEffects | OpFlag.Terminator)) return false;
    return !this.canTrap(inst);
  }

  /**
   * Turns `inst` into another opcode in place, keeping its id, position and results (fold `iadd v1, 0` into an
   * alias, `imul v1, 8` into `ishl_imm`, ...). Operand fields, immediate and aux are reset: set them next.
   * The result count and types must still fit the new opcode (the verifier checks).
   */
  replaceOpcode(inst: Inst, op: Opcode, ctrlType: Type): void {
    const format = OPCODE_FORMAT[this.iOp[inst]!]!;
    if (FIXED_ARGS[format]! < 0) this.pool.free(this.iA0[inst]!);
    this.iOp[inst] = op;
    this.iType[inst] = ctrlType;
    this.iA0[inst] = NONE;
    this.iA1[inst] = NONE;
    this.iA2[inst] = NONE;
    this.iImmLo[inst] = 0;
    this.iImmHi[inst] = 0;
    this.iAux[inst] = 0;
  }

  /** Turns a single-result integer instruction into `iconst` (its result value, type and position stay). */
  replaceWithIconst(inst: Inst, lo: number, hi: number): void {
    const t = this.iType[inst]!;
    this.replaceOpcode(inst, Opcode.iconst, t);
    this.iImmLo[inst] = lo | 0;
    this.iImmHi[inst] = t === I32 ? (lo | 0) >> 31 : hi | 0;
  }

  /** Turns a single-result f32/f64 instruction into f32const/f64const with the given bit pattern. */
  replaceWithFconst(inst: Inst, lo: number, hi: number): void {
    const t = this.iType[inst]!;
    this.replaceOpcode(inst, t === F32 ? Opcode.f32const : Opcode.f64const, t);
    this.iImmLo[inst] = lo | 0;
    this.iImmHi[inst] = t === F32 ? 0 : hi | 0;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Branch destinations (block calls)
  // ---------------------------------------------------------------------------------------------------------

  /** A new block call `block(args...)`. Each branch needs its own (never share one between branches). */
  makeBlockCall(block: Block, args: ArrayLike<Value> = EMPTY, start = 0, count = args.length - start): BlockCall {
    const h = this.pool.alloc(count + 1);
    this.pool.set(h, 0, block);
    for (let i = 0; i < count; i++) this.pool.set(h, i + 1, args[start + i]!);
    this.pool.truncate(h, count + 1);
    return h;
  }

  blockCallBlock(bc: BlockCall): Block {
    return this.pool.get(bc, 0);
  }

  blockCallNumArgs(bc: BlockCall): number {
    return this.pool.len(bc) - 1;
  }

  /** Argument `i` of a block call, alias-resolved. */
  blockCallArg(bc: BlockCall, i: number): Value {
    return this.resolve(this.pool.get(bc, i + 1));
  }

  /** Number of destinations: 1 for jump, 2 for brif (then, else), 1 + table size for br_table, else 0. */
  numDests(inst: Inst): number {
    switch (OPCODE_FORMAT[this.iOp[inst]!]) {
      case Format.Jump: return 1;
      case Format.Brif: return 2;
      case Format.BranchTable: return this.pool.len(this.iA1[inst]!);
      default: return 0;
    }
  }

  /** Destination `k` as a BlockCall: jump: 0; brif: 0 = then, 1 = else; br_table: 0 = default, 1.. = table. */
  dest(inst: Inst, k: number): BlockCall {
    switch (OPCODE_FORMAT[this.iOp[inst]!]) {
      case Format.Jump: return this.iA1[inst]!;
      case Format.Brif: return k === 0 ? this.iA1[inst]! : this.iA2[inst]!;
      case Format.BranchTable: return this.pool.get(this.iA1[inst]!, k);
      default: throw new Error(`dest: ${opcodeName(this.iOp[inst]!)} has no destinations`);
    }
  }

  /** Stores a block call as destination `k` (the old one is freed). */
  setDest(inst: Inst, k: number, bc: BlockCall): void {
    const old = this.dest(inst, k);
    if (old !== bc) this.pool.free(old);
    this.storeDest(inst, k, bc);
  }

  private storeDest(inst: Inst, k: number, bc: BlockCall): void {
    switch (OPCODE_FORMAT[this.iOp[inst]!]) {
      case Format.Jump: this.iA1[inst] = bc; break;
      case Format.Brif: if (k === 0) this.iA1[inst] = bc; else this.iA2[inst] = bc; break;
      case Format.BranchTable: this.pool.set(this.iA1[inst]!, k, bc); break;
      default: throw new Error(`setDest: ${opcodeName(this.iOp[inst]!)} has no destinations`);
    }
  }

  /** Block of destination `k`. */
  destBlock(inst: Inst, k: number): Block {
    return this.pool.get(this.dest(inst, k), 0);
  }

  /** Retargets destination `k` (arguments unchanged: make them fit the new block's parameters). */
  setDestBlock(inst: Inst, k: number, block: Block): void {
    this.pool.set(this.dest(inst, k), 0, block);
  }

  numDestArgs(inst: Inst, k: number): number {
    return this.pool.len(this.dest(inst, k)) - 1;
  }

  /** Argument `i` passed to destination `k`, alias-resolved. */
  destArg(inst: Inst, k: number, i: number): Value {
    return this.resolve(this.pool.get(this.dest(inst, k), i + 1));
  }

  setDestArg(inst: Inst, k: number, i: number, v: Value): void {
    this.pool.set(this.dest(inst, k), i + 1, v);
  }

  /** Appends an argument to destination `k` (for a parameter appended to its block). */
  appendDestArg(inst: Inst, k: number, v: Value): void {
    const bc = this.dest(inst, k);
    const moved = this.pool.push(bc, v);
    if (moved !== bc) this.storeDest(inst, k, moved);
  }

  /**
   * Appends `v` to every destination of branch `inst` that goes to `block` (SSA construction, after a parameter was
   * added to `block`). Same as `appendDestArg` on each such destination, without the per-destination format lookups.
   */
  appendArgToBlock(inst: Inst, block: Block, v: Value): void {
    const pool = this.pool;
    switch (OPCODE_FORMAT[this.iOp[inst]!]) {
      case Format.Jump: {
        const bc = this.iA1[inst]!;
        if (pool.data[bc + 2] === block) this.iA1[inst] = pool.push(bc, v);
        return;
      }
      case Format.Brif: {
        const then = this.iA1[inst]!;
        if (pool.data[then + 2] === block) this.iA1[inst] = pool.push(then, v);
        const other = this.iA2[inst]!;
        if (pool.data[other + 2] === block) this.iA2[inst] = pool.push(other, v);
        return;
      }
      case Format.BranchTable: {
        const table = this.iA1[inst]!;
        const n = pool.len(table);
        for (let k = 0; k < n; k++) {
          const bc = pool.get(table, k);
          if (pool.data[bc + 2] === block) {
            const moved = pool.push(bc, v);
            if (moved !== bc) pool.set(table, k, moved);
          }
        }
        return;
      }
      default:
        throw new Error(`appendArgToBlock: ${opcodeName(this.iOp[inst]!)} has no destinations`);
    }
  }

  /** Removes argument `i` of destination `k` (for a removed block parameter). */
  removeDestArg(inst: Inst, k: number, i: number): void {
    this.pool.removeAt(this.dest(inst, k), i + 1);
  }

  /** Replaces destination `k` with `block(args...)`. */
  setDestCall(inst: Inst, k: number, block: Block, args: ArrayLike<Value> = EMPTY): void {
    this.setDest(inst, k, this.makeBlockCall(block, args));
  }

  /** Sets a jump's destination. */
  setJumpDest(inst: Inst, bc: BlockCall): void {
    this.iA1[inst] = bc;
  }

  /** Sets a brif's condition and destinations. */
  setBrif(inst: Inst, cond: Value, thenCall: BlockCall, elseCall: BlockCall): void {
    this.iA0[inst] = cond;
    this.iA1[inst] = thenCall;
    this.iA2[inst] = elseCall;
  }

  /** Sets a br_table's index and destinations: `calls[0]` is the default, the rest the table in order. */
  setBrTable(inst: Inst, index: Value, calls: ArrayLike<BlockCall>): void {
    this.iA0[inst] = index;
    this.iA1[inst] = this.pool.fromArray(calls);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Blocks
  // ---------------------------------------------------------------------------------------------------------

  makeBlock(): Block {
    const b = this.nBlocks;
    if (b === this.bParams.length) this.growBlocks(b + 1);
    this.bParams[b] = EMPTY_LIST;
    this.bFlags[b] = 0;
    this.nBlocks = b + 1;
    return b;
  }

  /** Makes block ids 0..count-1 exist (parser). */
  reserveBlocks(count: number): void {
    while (this.nBlocks < count) this.makeBlock();
  }

  isValidBlock(b: Block): boolean {
    return b >= 0 && b < this.nBlocks;
  }

  numBlockParams(b: Block): number {
    return this.pool.len(this.bParams[b]!);
  }

  blockParam(b: Block, i: number): Value {
    return this.pool.get(this.bParams[b]!, i);
  }

  /** Parameters as a new array (convenience; not for hot loops). */
  blockParams(b: Block): Value[] {
    return this.pool.toArray(this.bParams[b]!);
  }

  /** Adds a parameter of type `t` at the end of the block's list; every branch to it must pass one more value. */
  appendBlockParam(b: Block, t: Type): Value {
    const v = this.makeValue(ValueKind.Param, t, b, this.pool.len(this.bParams[b]!));
    this.bParams[b] = this.pool.push(this.bParams[b]!, v);
    return v;
  }

  /** Attaches an existing Invalid value id as the next parameter of `b` (parser). */
  attachBlockParam(b: Block, v: Value, t: Type): void {
    if (this.vKind[v] !== ValueKind.Invalid) throw new Error(`attachBlockParam: v${v} is already defined`);
    const h = this.bParams[b]!;
    this.vKind[v] = ValueKind.Param;
    this.vType[v] = t;
    this.vDef[v] = b;
    this.vNum[v] = this.pool.len(h);
    this.bParams[b] = this.pool.push(h, v);
  }

  /**
   * Removes parameter `i` of block `b`; later parameters shift down. The value becomes Invalid (alias it with
   * `changeToAlias` if it still has uses). Branches to `b` must drop their argument `i` (`removeDestArg`).
   */
  removeBlockParam(b: Block, i: number): void {
    const h = this.bParams[b]!;
    const v = this.pool.get(h, i);
    this.pool.removeAt(h, i);
    const n = this.pool.len(h);
    for (let j = i; j < n; j++) this.vNum[this.pool.get(h, j)] = j;
    this.vKind[v] = ValueKind.Invalid;
    this.vDef[v] = NONE;
  }

  /** Cold blocks (trap and out-of-fuel paths) are placed out of line by the backend. */
  isCold(b: Block): boolean {
    return (this.bFlags[b]! & 1) !== 0;
  }

  setCold(b: Block, cold: boolean): void {
    this.bFlags[b] = cold ? this.bFlags[b]! | 1 : this.bFlags[b]! & ~1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Signatures and external functions
  // ---------------------------------------------------------------------------------------------------------

  /** Declares a signature (`sig0 = ...`) and returns its SigRef. */
  importSignature(sig: Signature): SigRef {
    this.signatures.push(sig);
    return this.signatures.length - 1;
  }

  /** Declares an external function (`fn0 = func 3 sig0`) and returns its FuncRef. */
  importFunction(data: ExtFuncData): FuncRef {
    if (this.signatures[data.signature] === undefined) {
      throw new Error(`importFunction: unknown signature sig${data.signature}`);
    }
    this.extFuncs.push(data);
    return this.extFuncs.length - 1;
  }
}

