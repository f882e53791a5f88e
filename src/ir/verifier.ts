/**
 * IR verifier: checks that a function is well formed and reports every problem with the instruction in text
 * form, e.g.
 *
 *   block2: `v5 = iadd v1, v4`: operand 1 (v4) has type f32, expected i32
 *
 * Checks: the entry block's parameters match the signature; each block ends with exactly one terminator;
 * block parameters and instruction results point back at their definitions; operands are defined values;
 * operand/result types per opcode (typing rules in opcodes.ts); immediates, condition codes, trap codes, memory
 * flags, function and signature references are valid; branch destinations are blocks in the layout and receive
 * as many arguments as they have parameters, of the right types; calls and returns match their signatures;
 * every use in a reachable block is dominated by its definition.
 */
import { ControlFlowGraph } from './cfg.js';
import { FLOAT_CC_COUNT, INT_CC_COUNT } from './condcodes.js';
import { ValueKind, type DataFlowGraph } from './dfg.js';
import { DominatorTree } from './dominators.js';
import type { IrFunction } from './function.js';
import { NONE, type Block, type Inst, type Value } from './ids.js';
import { isValidMemFlags } from './memflags.js';
import {
  Format,
  OPCODE_COUNT,
  OPCODE_FLAGS,
  OPCODE_FORMAT,
  OPCODE_TYPE_RULE,
  OpFlag,
  TypeRule,
  opcodeName,
} from './opcodes.js';
import { formatInst } from './printer.js';
import type { Signature } from './signature.js';
import { isValidTrapCode } from './trapcodes.js';
import { F32, F64, I32, I64, NONE_TYPE, isFloat, isInt, typeName, type Type } from './types.js';

/** Thrown by `verifyOrThrow`; `errors` holds every message. */
export class IrVerifyError extends Error {
  constructor(
    readonly errors: string[],
    funcName: string,
  ) {
    super(`IR verification of %${funcName} failed with ${errors.length} error(s):\n  ${errors.join('\n  ')}`);
    this.name = 'IrVerifyError';
  }
}

/** Returns every problem found (empty when the function is valid). Never throws on malformed input. */
export function verifyFunction(func: IrFunction, maxErrors = 100): string[] {
  const v = new Verifier(func, maxErrors);
  try {
    v.run();
  } catch (e) {
    if (!(e instanceof TooManyErrors)) v.errors.push(`verifier stopped: ${(e as Error).message}`);
  }
  return v.errors;
}

/** Throws an IrVerifyError listing every problem, or returns when the function is valid. */
export function verifyOrThrow(func: IrFunction): void {
  const errors = verifyFunction(func);
  if (errors.length > 0) throw new IrVerifyError(errors, func.name);
}

class TooManyErrors extends Error {}

const NO_RESULTS: readonly Type[] = [];

function isNumberType(t: Type): boolean {
  return t === I32 || t === I64 || t === F32 || t === F64;
}

class Verifier {
  readonly errors: string[] = [];
  private readonly dfg: DataFlowGraph;
  /** Per instruction: position in layout order (-1 = not inserted). */
  private pos = new Int32Array(0);
  private domtree!: DominatorTree;
  private block: Block = NONE;
  private inst: Inst = NONE;

  constructor(
    private readonly func: IrFunction,
    private readonly maxErrors: number,
  ) {
    this.dfg = func.dfg;
  }

  private report(message: string): void {
    this.errors.push(message);
    if (this.errors.length >= this.maxErrors) throw new TooManyErrors();
  }

  /** Reports a problem with the current instruction. */
  private instError(message: string): void {
    let text: string;
    try {
      text = formatInst(this.dfg, this.inst);
    } catch {
      text = `inst${this.inst} (${opcodeName(this.dfg.opcode(this.inst))})`;
    }
    this.report(`block${this.block}: \`${text}\`: ${message}`);
  }

  run(): void {
    const { dfg, layout } = this.func;
    const sig = this.func.signature;
    if (sig.vmctxParam >= 0 && sig.params[sig.vmctxParam] !== I64) {
      this.report(`signature: the vmctx parameter ${sig.vmctxParam} must be i64`);
    }
    const entry = layout.firstBlock;
    if (entry === NONE) {
      this.report('function has no blocks');
      return;
    }
    // Entry parameters = signature parameters.
    const np = dfg.numBlockParams(entry);
    if (np !== sig.params.length) {
      this.report(`entry block${entry} has ${np} parameter(s) but the signature has ${sig.params.length}`);
    } else {
      for (let i = 0; i < np; i++) {
        const t = dfg.valueType(dfg.blockParam(entry, i));
        if (t !== sig.params[i]) {
          this.report(`entry block${entry} parameter ${i} has type ${typeName(t)}, the signature says ` +
            `${typeName(sig.params[i]!)}`);
        }
      }
    }
    // Layout positions, block structure.
    this.pos = new Int32Array(dfg.numInsts).fill(-1);
    let counter = 0;
    for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
      this.block = b;
      if (b < 0 || b >= dfg.numBlocks) {
        this.report(`layout holds block${b}, which does not exist`);
        return;
      }
      for (let i = 0; i < dfg.numBlockParams(b); i++) {
        const p = dfg.blockParam(b, i);
        if (dfg.valueKind(p) !== ValueKind.Param || dfg.valueDef(p) !== b || dfg.valueNum(p) !== i) {
          this.report(`block${b}: parameter ${i} (v${p}) is not recorded as that parameter`);
        }
        if (!isNumberType(dfg.valueType(p))) this.report(`block${b}: parameter v${p} has no valid type`);
      }
      const first = layout.firstInst(b);
      if (first === NONE) {
        this.report(`block${b} is empty (it needs a terminator)`);
        continue;
      }
      for (let inst = first; inst !== NONE; inst = layout.nextInst(inst)) {
        this.inst = inst;
        if (inst < 0 || inst >= dfg.numInsts) {
          this.report(`block${b} holds inst${inst}, which does not exist`);
          break;
        }
        if (this.pos[inst] !== -1) {
          this.report(`block${b}: inst${inst} appears twice in the layout`);
          return;
        }
        this.pos[inst] = counter++;
        const op = dfg.opcode(inst);
        if (op >= OPCODE_COUNT) {
          this.report(`block${b}: inst${inst} has invalid opcode ${op}`);
          continue;
        }
        const isTerm = (OPCODE_FLAGS[op]! & OpFlag.Terminator) !== 0;
        const isLast = layout.nextInst(inst) === NONE;
        if (isTerm && !isLast) this.instError('terminator in the middle of the block');
        if (!isTerm && isLast) this.instError(`block${b} does not end with a terminator`);
      }
    }
    // Per-instruction checks.
    for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
      this.block = b;
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        this.inst = inst;
        if (dfg.opcode(inst) < OPCODE_COUNT) this.checkInst(inst);
      }
    }
    if (this.errors.length > 0) return; // dominance needs sound operands and branches
    const cfg = ControlFlowGraph.compute(this.func);
    this.domtree = DominatorTree.compute(this.func, cfg);
    for (let b = entry; b !== NONE; b = layout.nextBlock(b)) {
      this.block = b;
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        this.inst = inst;
        this.checkDominance(inst, b);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Operands and types
  // ---------------------------------------------------------------------------------------------------------

  /** Checks that `v` is a defined value; returns its type (NONE_TYPE when it is not usable). */
  private operandType(v: Value, what: string): Type {
    const dfg = this.dfg;
    if (!dfg.isValidValue(v)) {
      this.instError(`${what} is not a value`);
      return NONE_TYPE;
    }
    const kind = dfg.valueKind(v);
    if (kind === ValueKind.Invalid) {
      this.instError(`${what} (v${v}) is not defined`);
      return NONE_TYPE;
    }
    if (kind === ValueKind.Result) {
      const def = dfg.valueDef(v);
      if (!this.func.layout.isInstInserted(def)) {
        this.instError(`${what} (v${v}) is defined by an instruction that is not in the function`);
        return NONE_TYPE;
      }
    } else if (kind === ValueKind.Param) {
      if (!this.func.layout.isBlockInserted(dfg.valueDef(v))) {
        this.instError(`${what} (v${v}) is a parameter of block${dfg.valueDef(v)}, which is not in the function`);
        return NONE_TYPE;
      }
    }
    return dfg.valueType(v);
  }

  /** Checks operand `i` against an expected type (or a class: 'int' / 'float' / 'any'). */
  private expectArg(inst: Inst, i: number, expected: Type | 'int' | 'float' | 'any'): Type {
    const v = this.dfg.arg(inst, i);
    const t = this.operandType(v, `operand ${i}`);
    if (t === NONE_TYPE) return NONE_TYPE;
    let ok: boolean;
    let want: string;
    if (expected === 'int') {
      ok = isInt(t);
      want = 'an integer type';
    } else if (expected === 'float') {
      ok = isFloat(t);
      want = 'a float type';
    } else if (expected === 'any') {
      ok = isNumberType(t);
      want = 'a number type';
    } else {
      ok = t === expected;
      want = typeName(expected);
    }
    if (!ok) this.instError(`operand ${i} (v${v}) has type ${typeName(t)}, expected ${want}`);
    return t;
  }

  private expectCtrl(inst: Inst, ok: boolean, want: string): void {
    if (!ok) this.instError(`controlling type ${typeName(this.dfg.instType(inst))} is wrong: expected ${want}`);
  }

  private checkInst(inst: Inst): void {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    const rule = OPCODE_TYPE_RULE[op]!;
    const format = OPCODE_FORMAT[op]!;
    const ctrl = dfg.instType(inst);

    // Results point back here.
    const nr = dfg.numResults(inst);
    for (let i = 0; i < nr; i++) {
      const r = dfg.result(inst, i);
      if (!dfg.isValidValue(r) || dfg.valueKind(r) !== ValueKind.Result || dfg.valueDef(r) !== inst ||
        dfg.valueNum(r) !== i) {
        this.instError(`result ${i} (v${r}) is not recorded as defined by this instruction`);
      }
    }

    /** Expected result types: one type (`expected1`), none (-1), or a list (calls); null = already reported. */
    let expected1: Type = -1;
    let expectedResults: readonly Type[] | null = NO_RESULTS;
    switch (rule) {
      case TypeRule.SameInt:
      case TypeRule.SameFloat: {
        const isIntRule = rule === TypeRule.SameInt;
        this.expectCtrl(inst, isIntRule ? isInt(ctrl) : isFloat(ctrl), isIntRule ? 'i32 or i64' : 'f32 or f64');
        const n = dfg.numArgs(inst);
        for (let i = 0; i < n; i++) this.expectArg(inst, i, ctrl);
        expected1 = ctrl;
        if (format === Format.BinaryImm) this.checkImm(inst, ctrl);
        break;
      }
      case TypeRule.IntCmp: {
        this.expectCtrl(inst, ctrl === I32, 'i32');
        const t = this.expectArg(inst, 0, 'int');
        if (format === Format.IntCompare) this.expectArg(inst, 1, t === NONE_TYPE ? 'int' : t);
        else this.checkImm(inst, t);
        if (dfg.condCode(inst) < 0 || dfg.condCode(inst) >= INT_CC_COUNT) this.instError('invalid condition code');
        expected1 = I32;
        break;
      }
      case TypeRule.FloatCmp: {
        this.expectCtrl(inst, ctrl === I32, 'i32');
        const t = this.expectArg(inst, 0, 'float');
        this.expectArg(inst, 1, t === NONE_TYPE ? 'float' : t);
        if (dfg.condCode(inst) < 0 || dfg.condCode(inst) >= FLOAT_CC_COUNT) {
          this.instError('invalid float condition code');
        }
        expected1 = I32;
        break;
      }
      case TypeRule.Select:
        this.expectCtrl(inst, isNumberType(ctrl), 'a number type');
        this.expectArg(inst, 0, 'int');
        this.expectArg(inst, 1, ctrl);
        this.expectArg(inst, 2, ctrl);
        expected1 = ctrl;
        break;
      case TypeRule.ConstInt:
        this.expectCtrl(inst, isInt(ctrl), 'i32 or i64');
        this.checkImm(inst, ctrl);
        expected1 = ctrl;
        break;
      case TypeRule.ConstF32:
        this.expectCtrl(inst, ctrl === F32, 'f32');
        if (dfg.immHi(inst) !== 0) this.instError('f32 constant has bits above 32');
        expected1 = F32;
        break;
      case TypeRule.ConstF64:
        this.expectCtrl(inst, ctrl === F64, 'f64');
        expected1 = F64;
        break;
      case TypeRule.Extend:
        this.expectCtrl(inst, ctrl === I64, 'i64');
        this.expectArg(inst, 0, I32);
        expected1 = I64;
        break;
      case TypeRule.Reduce:
        this.expectCtrl(inst, ctrl === I32, 'i32');
        this.expectArg(inst, 0, I64);
        expected1 = I32;
        break;
      case TypeRule.SameI64:
        this.expectCtrl(inst, ctrl === I64, 'i64');
        this.expectArg(inst, 0, I64);
        expected1 = I64;
        break;
      case TypeRule.FloatToInt:
        this.expectCtrl(inst, isInt(ctrl), 'i32 or i64');
        this.expectArg(inst, 0, 'float');
        expected1 = ctrl;
        break;
      case TypeRule.IntToFloat:
        this.expectCtrl(inst, isFloat(ctrl), 'f32 or f64');
        this.expectArg(inst, 0, 'int');
        expected1 = ctrl;
        break;
      case TypeRule.Promote:
        this.expectCtrl(inst, ctrl === F64, 'f64');
        this.expectArg(inst, 0, F32);
        expected1 = F64;
        break;
      case TypeRule.Demote:
        this.expectCtrl(inst, ctrl === F32, 'f32');
        this.expectArg(inst, 0, F64);
        expected1 = F32;
        break;
      case TypeRule.Bitcast: {
        const from = ctrl === I32 ? F32 : ctrl === F32 ? I32 : ctrl === I64 ? F64 : ctrl === F64 ? I64 : NONE_TYPE;
        this.expectCtrl(inst, from !== NONE_TYPE, 'a number type');
        if (from !== NONE_TYPE) this.expectArg(inst, 0, from);
        expected1 = ctrl;
        break;
      }
      case TypeRule.LoadAny:
      case TypeRule.LoadInt:
      case TypeRule.LoadI64:
        if (rule === TypeRule.LoadAny) this.expectCtrl(inst, isNumberType(ctrl), 'a number type');
        else if (rule === TypeRule.LoadInt) this.expectCtrl(inst, isInt(ctrl), 'i32 or i64');
        else this.expectCtrl(inst, ctrl === I64, 'i64');
        this.expectArg(inst, 0, I64);
        this.checkMemFlags(inst);
        expected1 = ctrl;
        break;
      case TypeRule.StoreAny:
      case TypeRule.StoreInt:
      case TypeRule.StoreI64:
        this.expectArg(inst, 0, rule === TypeRule.StoreAny ? 'any' : rule === TypeRule.StoreInt ? 'int' : I64);
        this.expectArg(inst, 1, I64);
        this.checkMemFlags(inst);
        expectedResults = NO_RESULTS;
        break;
      case TypeRule.Void:
        expectedResults = NO_RESULTS;
        break;
      case TypeRule.CondInt:
        this.expectArg(inst, 0, 'int');
        expectedResults = NO_RESULTS;
        break;
      case TypeRule.IndexI32:
        this.expectArg(inst, 0, I32);
        expectedResults = NO_RESULTS;
        break;
      case TypeRule.Return: {
        const results = this.func.signature.results;
        const n = dfg.numArgs(inst);
        if (n !== results.length) {
          this.instError(`returns ${n} value(s) but the signature has ${results.length} result(s)`);
        } else {
          for (let i = 0; i < n; i++) this.expectArg(inst, i, results[i]!);
        }
        expectedResults = NO_RESULTS;
        break;
      }
      case TypeRule.Call:
        expectedResults = this.checkCall(inst, format);
        break;
      case TypeRule.PinnedGet:
        this.expectCtrl(inst, ctrl === I64, 'i64');
        expected1 = I64;
        break;
      case TypeRule.PinnedSet:
        this.expectArg(inst, 0, I64);
        expectedResults = NO_RESULTS;
        break;
      default:
        this.instError(`unknown type rule ${rule}`);
    }

    if (expected1 !== -1) {
      if (nr !== 1) this.instError(`has ${nr} result(s), expected 1`);
      else {
        const t = dfg.valueType(dfg.result(inst, 0));
        if (t !== expected1) this.instError(`result 0 has type ${typeName(t)}, expected ${typeName(expected1)}`);
      }
    } else if (expectedResults !== null) {
      if (nr !== expectedResults.length) {
        this.instError(`has ${nr} result(s), expected ${expectedResults.length}`);
      } else {
        for (let i = 0; i < nr; i++) {
          const t = dfg.valueType(dfg.result(inst, i));
          if (t !== expectedResults[i]) {
            this.instError(`result ${i} has type ${typeName(t)}, expected ${typeName(expectedResults[i]!)}`);
          }
        }
      }
    }

    if (format === Format.Trap || format === Format.CondTrap) {
      if (!isValidTrapCode(dfg.trapCode(inst))) this.instError(`invalid trap code ${dfg.trapCode(inst)}`);
    }
    const nd = dfg.numDests(inst);
    for (let k = 0; k < nd; k++) this.checkDest(inst, k);
  }

  /** i32 immediates must be stored sign-extended (so equal constants compare equal). */
  private checkImm(inst: Inst, t: Type): void {
    if (t === I32 && this.dfg.immHi(inst) !== this.dfg.immLo(inst) >> 31) {
      this.instError('i32 immediate is not stored sign-extended (use InstBuilder helpers or setImm(lo, lo >> 31))');
    }
  }

  private checkMemFlags(inst: Inst): void {
    if (!isValidMemFlags(this.dfg.memFlags(inst))) {
      this.instError(`invalid memory flags ${this.dfg.memFlags(inst)} (unknown bits or two regions)`);
    }
  }

  private checkCall(inst: Inst, format: number): readonly Type[] | null {
    const dfg = this.dfg;
    let sig: Signature | undefined;
    if (format === Format.Call) {
      const fn = dfg.extFuncs[dfg.funcRef(inst)];
      if (fn === undefined) {
        this.instError(`fn${dfg.funcRef(inst)} is not declared`);
        return null;
      }
      sig = dfg.signatures[fn.signature];
    } else {
      sig = dfg.signatures[dfg.sigRef(inst)];
    }
    if (sig === undefined) {
      this.instError('call signature is not declared');
      return null;
    }
    const first = format === Format.CallIndirect ? 1 : 0;
    if (first === 1) this.expectArg(inst, 0, I64);
    const n = dfg.numArgs(inst) - first;
    if (n !== sig.params.length) {
      this.instError(`passes ${n} argument(s) but the signature has ${sig.params.length} parameter(s)`);
    } else {
      for (let i = 0; i < n; i++) this.expectArg(inst, first + i, sig.params[i]!);
    }
    return sig.results;
  }

  private checkDest(inst: Inst, k: number): void {
    const dfg = this.dfg;
    const dest = dfg.destBlock(inst, k);
    if (!dfg.isValidBlock(dest) || !this.func.layout.isBlockInserted(dest)) {
      this.instError(`destination ${k} (block${dest}) is not a block of the function`);
      return;
    }
    if (dest === this.func.layout.firstBlock) this.instError(`branches to the entry block${dest}`);
    const bc = dfg.dest(inst, k);
    const na = dfg.blockCallNumArgs(bc);
    const np = dfg.numBlockParams(dest);
    if (na !== np) {
      this.instError(`passes ${na} argument(s) to block${dest}, which has ${np} parameter(s)`);
      return;
    }
    for (let i = 0; i < na; i++) {
      const v = dfg.blockCallArg(bc, i);
      const t = this.operandType(v, `argument ${i} to block${dest}`);
      const want = dfg.valueType(dfg.blockParam(dest, i));
      if (t !== NONE_TYPE && t !== want) {
        this.instError(`argument ${i} to block${dest} (v${v}) has type ${typeName(t)}, expected ${typeName(want)}`);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Dominance
  // ---------------------------------------------------------------------------------------------------------

  private checkDominance(inst: Inst, b: Block): void {
    const dfg = this.dfg;
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) this.checkUse(dfg.arg(inst, i), inst, b);
    const nd = dfg.numDests(inst);
    for (let k = 0; k < nd; k++) {
      const bc = dfg.dest(inst, k);
      const na = dfg.blockCallNumArgs(bc);
      for (let i = 0; i < na; i++) this.checkUse(dfg.blockCallArg(bc, i), inst, b);
    }
  }

  private checkUse(v: Value, inst: Inst, b: Block): void {
    const dfg = this.dfg;
    const kind = dfg.valueKind(v);
    const defBlock = kind === ValueKind.Param ? dfg.valueDef(v) : this.func.layout.instBlock(dfg.valueDef(v));
    // Code in unreachable blocks is not checked (as in Cranelift): it never runs, and SSA construction may
    // leave it in an order no execution could see (the FunctionBuilder removes such blocks by default).
    if (!this.domtree.isReachable(b)) return;
    if (defBlock === b) {
      if (kind === ValueKind.Result && this.pos[dfg.valueDef(v)]! >= this.pos[inst]!) {
        this.instError(`uses v${v} before its definition`);
      }
      return;
    }
    if (!this.domtree.dominates(defBlock, b)) {
      this.instError(`uses v${v}, defined in block${defBlock}, which does not dominate block${b}`);
    }
  }
}
