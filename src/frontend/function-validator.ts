/**
 * Validation of one function body, following the spec's appendix "Validation Algorithm": an operand stack of value
 * types and a stack of control frames, each frame remembering its label types, the operand stack height at its start
 * and whether the rest of its body is unreachable (where the stack becomes polymorphic: popping below the frame's
 * height yields UNKNOWN, which matches any type).
 *
 * Both stacks are typed arrays owned by a reusable FunctionValidator, so validating a body allocates nothing once
 * the buffers have grown to the largest function seen. Simple operators (fixed operand/result types: numeric,
 * memory, most SIMD) are checked from the tables in operator-table.ts; the rest have their own cases below.
 */
import { MAX_OPERAND_STACK_HEIGHT } from './limits.js';
import type { ModuleInfo } from './module-info.js';
import { Op } from './opcodes.js';
import { OperatorReader } from './operator-reader.js';
import {
  NO_MEMORY,
  OP_LANES,
  OP_MAX_ALIGN,
  OP_NEEDS_CHECK,
  OP_PARAM0,
  OP_PARAM1,
  OP_PARAM2,
  OP_PARAM_COUNT,
  OP_RESULT,
  SPECIAL,
  USES_MEMORY,
  opName,
} from './operator-table.js';
import { isRefType, ValType, valTypeName } from './value-types.js';

/** Control frame kinds (the opcode that opened the frame; FUNCTION for the body's implicit outermost block). */
const FUNCTION = 0xff;

const EMPTY = new Uint8Array(0);

export class FunctionValidator {
  private readonly reader = new OperatorReader(EMPTY);
  private module!: ModuleInfo;

  /** Operand stack: value types, UNKNOWN for values of an unreachable stack. */
  private vals = new Uint8Array(256);
  private valsLen = 0;

  /** Control stack, one entry per open block/loop/if/else (entry 0: the function). */
  private ctrlKind = new Uint8Array(32);
  private ctrlHeight = new Int32Array(32);
  private ctrlUnreachable = new Uint8Array(32);
  private ctrlParams: Uint8Array[] = [];
  private ctrlResults: Uint8Array[] = [];
  private ctrlLen = 0;
  /** The innermost frame's start height and unreachable flag, cached out of the arrays for popExpect. */
  private frameHeight = 0;
  private frameUnreachable = false;

  /** Holds popped values that br_table pushes back (they may be UNKNOWN). */
  private scratch = new Uint8Array(16);

  /** Validates the body of the `definedIndex`-th defined function; throws CompileError when invalid. */
  validate(module: ModuleInfo, definedIndex: number): void {
    const funcIndex = module.numImportedFunctions + definedIndex;
    const decl = module.functions[funcIndex];
    if (decl === undefined || decl.imported) throw new RangeError(`no defined function ${definedIndex}`);
    const type = module.types[decl.typeIndex];
    this.module = module;
    const r = this.reader;
    r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, funcIndex);
    r.readLocals(type.params);
    this.valsLen = 0;
    this.ctrlLen = 0;
    this.pushCtrl(FUNCTION, EMPTY, type.results);
    this.run();
  }

  private run(): void {
    const r = this.reader;
    const end = r.end;
    for (;;) {
      if (r.pos >= end) r.fail('unexpected end of section or function: END opcode expected before the end of the body');
      const op = r.next();
      const paramCount = OP_PARAM_COUNT[op];
      if (paramCount !== SPECIAL) {
        if (OP_NEEDS_CHECK[op] !== 0) this.checkMemoryAndLane(op);
        // Fast path: the operands sit above the frame's base with exactly the expected types, so the result can
        // overwrite them in place. Anything else (mismatch, UNKNOWN, polymorphic base) takes the general path.
        const vals = this.vals;
        const len = this.valsLen;
        const result = OP_RESULT[op];
        if (paramCount === 2) {
          if (len - 2 >= this.frameHeight && vals[len - 1] === OP_PARAM1[op] && vals[len - 2] === OP_PARAM0[op]) {
            if (result !== ValType.NONE) {
              vals[len - 2] = result;
              this.valsLen = len - 1;
            } else this.valsLen = len - 2;
            continue;
          }
        } else if (paramCount === 1) {
          if (len > this.frameHeight && vals[len - 1] === OP_PARAM0[op]) {
            if (result !== ValType.NONE) vals[len - 1] = result;
            else this.valsLen = len - 1;
            continue;
          }
        } else if (paramCount === 0) {
          this.push(result); // operators without operands (constants, memory.size) all produce a value
          continue;
        }
        this.simpleOperatorSlow(op, paramCount, result);
        continue;
      }
      // The most frequent special operators first.
      if (op === Op.LOCAL_GET) {
        this.push(this.localType(r.index));
        continue;
      }
      if (op === Op.LOCAL_SET) {
        this.popExpect(this.localType(r.index));
        continue;
      }
      if (op === Op.LOCAL_TEE) {
        const t = this.localType(r.index);
        this.popExpect(t);
        this.push(t);
        continue;
      }
      if (op === Op.END) {
        if (this.endBlock()) {
          if (r.pos !== end) r.fail("section size mismatch: operators after the function body's final end", r.pos);
          return;
        }
        continue;
      }
      this.special(op);
    }
  }

  private simpleOperatorSlow(op: number, paramCount: number, result: number): void {
    if (paramCount === 3) this.popExpect(OP_PARAM2[op]);
    if (paramCount >= 2) this.popExpect(OP_PARAM1[op]);
    this.popExpect(OP_PARAM0[op]);
    if (result !== ValType.NONE) this.push(result);
  }

  /** Operators whose typing depends on immediates or context. */
  private special(op: number): void {
    const r = this.reader;
    const m = this.module;
    switch (op) {
      case Op.GLOBAL_GET:
        this.push(this.global(r.index).type);
        return;
      case Op.GLOBAL_SET: {
        const g = this.global(r.index);
        if (!g.mutable) this.fail(`global is immutable: global.set of global ${r.index}`);
        this.popExpect(g.type);
        return;
      }
      case Op.BLOCK:
      case Op.LOOP: {
        const bt = this.checkBlockType(r.blockType);
        const params = m.blockParams(bt);
        this.popVals(params);
        this.pushCtrl(op, params, m.blockResults(bt));
        return;
      }
      case Op.IF: {
        const bt = this.checkBlockType(r.blockType);
        this.popExpect(ValType.I32);
        const params = m.blockParams(bt);
        this.popVals(params);
        this.pushCtrl(Op.IF, params, m.blockResults(bt));
        return;
      }
      case Op.ELSE: {
        const top = this.ctrlLen - 1;
        if (this.ctrlKind[top] !== Op.IF) this.fail('else without a matching if');
        const params = this.ctrlParams[top];
        const results = this.ctrlResults[top];
        this.popCtrl();
        this.pushCtrl(Op.ELSE, params, results);
        return;
      }
      case Op.BR: {
        const frame = this.label(r.index);
        this.popVals(this.labelTypes(frame));
        this.setUnreachable();
        return;
      }
      case Op.BR_IF: {
        const frame = this.label(r.index);
        this.popExpect(ValType.I32);
        const types = this.labelTypes(frame);
        this.popVals(types);
        this.pushVals(types);
        return;
      }
      case Op.BR_TABLE:
        this.brTable();
        return;
      case Op.RETURN:
        this.popVals(this.ctrlResults[0]);
        this.setUnreachable();
        return;
      case Op.UNREACHABLE:
        this.setUnreachable();
        return;
      case Op.NOP:
        return;
      case Op.CALL: {
        if (r.index >= m.functions.length) this.fail(`unknown function ${r.index}`);
        const type = m.types[m.functions[r.index].typeIndex];
        this.popVals(type.params);
        this.pushVals(type.results);
        return;
      }
      case Op.CALL_INDIRECT: {
        const tableType = this.table(r.index2).elemType;
        if (tableType !== ValType.FUNCREF) this.fail(`type mismatch: call_indirect through table ${r.index2} of ${valTypeName(tableType)}`);
        if (r.index >= m.types.length) this.fail(`unknown type ${r.index}`);
        const type = m.types[r.index];
        this.popExpect(ValType.I32);
        this.popVals(type.params);
        this.pushVals(type.results);
        return;
      }
      case Op.DROP:
        this.popAny();
        return;
      case Op.SELECT:
        this.select();
        return;
      case Op.SELECT_T: {
        const t = r.valType;
        this.popExpect(ValType.I32);
        this.popExpect(t);
        this.popExpect(t);
        this.push(t);
        return;
      }
      case Op.TABLE_GET: {
        const t = this.table(r.index).elemType;
        this.popExpect(ValType.I32);
        this.push(t);
        return;
      }
      case Op.TABLE_SET: {
        const t = this.table(r.index).elemType;
        this.popExpect(t);
        this.popExpect(ValType.I32);
        return;
      }
      case Op.TABLE_SIZE:
        this.table(r.index);
        this.push(ValType.I32);
        return;
      case Op.TABLE_GROW: {
        const t = this.table(r.index).elemType;
        this.popExpect(ValType.I32);
        this.popExpect(t);
        this.push(ValType.I32);
        return;
      }
      case Op.TABLE_FILL: {
        const t = this.table(r.index).elemType;
        this.popExpect(ValType.I32);
        this.popExpect(t);
        this.popExpect(ValType.I32);
        return;
      }
      case Op.TABLE_COPY: {
        const dst = this.table(r.index).elemType;
        const src = this.table(r.index2).elemType;
        if (dst !== src) this.fail(`type mismatch: table.copy from ${valTypeName(src)} table to ${valTypeName(dst)} table`);
        this.popVals(I32_I32_I32);
        return;
      }
      case Op.TABLE_INIT: {
        const tableType = this.table(r.index2).elemType;
        const elemType = this.elemSegment(r.index).elemType;
        if (elemType !== tableType) {
          this.fail(`type mismatch: table.init of ${valTypeName(elemType)} segment into ${valTypeName(tableType)} table`);
        }
        this.popVals(I32_I32_I32);
        return;
      }
      case Op.ELEM_DROP:
        this.elemSegment(r.index);
        return;
      case Op.MEMORY_INIT:
        this.memory();
        this.dataSegment(r.index, 'memory.init');
        this.popVals(I32_I32_I32);
        return;
      case Op.DATA_DROP:
        this.dataSegment(r.index, 'data.drop');
        return;
      case Op.REF_NULL:
        this.push(r.valType);
        return;
      case Op.REF_IS_NULL: {
        const t = this.popAny();
        if (!isRefType(t) && t !== ValType.UNKNOWN) this.fail(`type mismatch: ref.is_null expects a reference, found ${valTypeName(t)}`);
        this.push(ValType.I32);
        return;
      }
      case Op.REF_FUNC:
        if (r.index >= m.functions.length) this.fail(`unknown function ${r.index}`);
        if (m.declaredFunctionRefs[r.index] !== 1) {
          this.fail(`undeclared function reference: function ${r.index} is not declared in an element segment, export or global`);
        }
        this.push(ValType.FUNCREF);
        return;
      default:
        // Every operator is either simple (handled in run) or has a case above.
        this.fail(`internal error: operator ${opName(op)} has no validation rule`);
    }
  }

  // ---- operand stack ----

  private push(t: number): void {
    const len = this.valsLen;
    if (len === this.vals.length) this.growVals(len + 1);
    this.vals[len] = t;
    this.valsLen = len + 1;
  }

  private growVals(needed: number): void {
    if (needed > MAX_OPERAND_STACK_HEIGHT) this.fail(`operand stack too high (implementation limit ${MAX_OPERAND_STACK_HEIGHT} values)`);
    const grown = new Uint8Array(Math.min(Math.max(needed, this.vals.length * 2), MAX_OPERAND_STACK_HEIGHT));
    grown.set(this.vals.subarray(0, this.valsLen));
    this.vals = grown;
  }

  /** Pops a value that must have type `expected` (or be UNKNOWN); returns the popped type. */
  private popExpect(expected: number): number {
    const len = this.valsLen;
    if (len > this.frameHeight) {
      const actual = this.vals[len - 1];
      this.valsLen = len - 1;
      if (actual === expected || actual === ValType.UNKNOWN || expected === ValType.UNKNOWN) return actual;
      this.fail(`type mismatch: expected ${valTypeName(expected)}, found ${valTypeName(actual)}`);
    }
    // At the frame's base: only an unreachable (polymorphic) stack has more values to give.
    if (this.frameUnreachable) return ValType.UNKNOWN;
    return this.fail(`type mismatch: expected ${valTypeName(expected)}, found nothing on the stack`);
  }

  private popAny(): number {
    return this.popExpect(ValType.UNKNOWN);
  }

  /** Pops values matching `types` (last type on top). */
  private popVals(types: Uint8Array): void {
    for (let i = types.length - 1; i >= 0; i--) this.popExpect(types[i]);
  }

  private pushVals(types: Uint8Array): void {
    const n = types.length;
    const len = this.valsLen;
    if (len + n > this.vals.length) this.growVals(len + n);
    const vals = this.vals;
    for (let i = 0; i < n; i++) vals[len + i] = types[i];
    this.valsLen = len + n;
  }

  private select(): void {
    this.popExpect(ValType.I32);
    const t1 = this.popAny();
    const t2 = this.popAny();
    // Untyped select works on numbers and vectors only; references need the typed form.
    if (isRefType(t1) || isRefType(t2)) {
      this.fail(`type mismatch: select without a type on ${valTypeName(isRefType(t1) ? t1 : t2)} (use the typed select)`);
    }
    if (t1 !== t2 && t1 !== ValType.UNKNOWN && t2 !== ValType.UNKNOWN) {
      this.fail(`type mismatch: select operands ${valTypeName(t2)} and ${valTypeName(t1)} differ`);
    }
    this.push(t1 === ValType.UNKNOWN ? t2 : t1);
  }

  // ---- control stack ----

  private pushCtrl(kind: number, params: Uint8Array, results: Uint8Array): void {
    const i = this.ctrlLen;
    if (i === this.ctrlKind.length) this.growCtrl();
    this.ctrlKind[i] = kind;
    this.ctrlHeight[i] = this.valsLen;
    this.ctrlUnreachable[i] = 0;
    this.ctrlParams[i] = params;
    this.ctrlResults[i] = results;
    this.ctrlLen = i + 1;
    this.frameHeight = this.valsLen;
    this.frameUnreachable = false;
    this.pushVals(params);
  }

  private growCtrl(): void {
    const n = this.ctrlKind.length * 2;
    const kind = new Uint8Array(n);
    kind.set(this.ctrlKind);
    const height = new Int32Array(n);
    height.set(this.ctrlHeight);
    const unreachable = new Uint8Array(n);
    unreachable.set(this.ctrlUnreachable);
    this.ctrlKind = kind;
    this.ctrlHeight = height;
    this.ctrlUnreachable = unreachable;
  }

  /** Pops the top frame: its results must be exactly what is left above its start height. */
  private popCtrl(): void {
    const top = this.ctrlLen - 1;
    this.popVals(this.ctrlResults[top]);
    if (this.valsLen !== this.ctrlHeight[top]) {
      this.fail(`type mismatch: ${this.valsLen - this.ctrlHeight[top]} extra value(s) left on the stack at the end of the block`);
    }
    this.ctrlLen = top;
    if (top > 0) {
      this.frameHeight = this.ctrlHeight[top - 1];
      this.frameUnreachable = this.ctrlUnreachable[top - 1] !== 0;
    }
  }

  /** `end`: closes the top frame and pushes its results; returns true when it closed the function body. */
  private endBlock(): boolean {
    const top = this.ctrlLen - 1;
    const kind = this.ctrlKind[top];
    const results = this.ctrlResults[top];
    // Fast path: exactly the results are above the frame's base, with their exact types (not UNKNOWN). Popping
    // them and pushing the results back would leave the stack as it is, so only the frame goes.
    const n = results.length;
    const base = this.frameHeight;
    if (kind !== Op.IF && this.valsLen === base + n) {
      const vals = this.vals;
      let i = 0;
      while (i < n && vals[base + i] === results[i]) i++;
      if (i === n) {
        this.ctrlLen = top;
        if (top > 0) {
          this.frameHeight = this.ctrlHeight[top - 1];
          this.frameUnreachable = this.ctrlUnreachable[top - 1] !== 0;
        }
        return kind === FUNCTION;
      }
    }
    const params = this.ctrlParams[top];
    this.popCtrl();
    if (kind === Op.IF) {
      // An `if` without `else` has an implicit empty else branch, which must turn the params into the results.
      this.pushCtrl(Op.ELSE, params, results);
      this.popCtrl();
    }
    if (kind === FUNCTION) return true;
    this.pushVals(results);
    return false;
  }

  private setUnreachable(): void {
    const top = this.ctrlLen - 1;
    this.valsLen = this.ctrlHeight[top];
    this.ctrlUnreachable[top] = 1;
    this.frameUnreachable = true;
  }

  /** The frame a branch to label `depth` targets. */
  private label(depth: number): number {
    if (depth >= this.ctrlLen) this.fail(`unknown label ${depth}`);
    return this.ctrlLen - 1 - depth;
  }

  /** Types a branch to the frame carries: a loop's params (it branches to its start), else the results. */
  private labelTypes(frame: number): Uint8Array {
    return this.ctrlKind[frame] === Op.LOOP ? this.ctrlParams[frame] : this.ctrlResults[frame];
  }

  private brTable(): void {
    const r = this.reader;
    this.popExpect(ValType.I32);
    const defaultTypes = this.labelTypes(this.label(r.index));
    const arity = defaultTypes.length;
    const targets = r.brTableTargets;
    for (let i = 0; i < r.brTableCount; i++) {
      const types = this.labelTypes(this.label(targets[i]));
      if (types.length !== arity) {
        this.fail(`type mismatch: br_table targets carry ${types.length} and ${arity} values`);
      }
      // Pop and push back what was popped: on an unreachable stack the values stay UNKNOWN for the next target.
      if (arity > this.scratch.length) this.scratch = new Uint8Array(arity);
      const scratch = this.scratch;
      for (let k = arity - 1; k >= 0; k--) scratch[k] = this.popExpect(types[k]);
      for (let k = 0; k < arity; k++) this.push(scratch[k]);
    }
    this.popVals(defaultTypes);
    this.setUnreachable();
  }

  // ---- immediates and index spaces ----

  private checkBlockType(blockType: number): number {
    if (blockType >= this.module.types.length) this.fail(`unknown type ${blockType}`);
    return blockType;
  }

  private localType(index: number): number {
    const r = this.reader;
    if (index >= r.localCount) this.fail(`unknown local ${index}`);
    return r.localTypes[index];
  }

  private global(index: number) {
    const g = this.module.globals[index];
    if (g === undefined) this.fail(`unknown global ${index}`);
    return g;
  }

  private table(index: number) {
    const t = this.module.tables[index];
    if (t === undefined) this.fail(`unknown table ${index}`);
    return t;
  }

  private memory(): void {
    if (this.module.memories.length === 0) this.fail('unknown memory 0');
  }

  private elemSegment(index: number) {
    const e = this.module.elements[index];
    if (e === undefined) this.fail(`unknown elem segment ${index}`);
    return e;
  }

  private dataSegment(index: number, what: string): void {
    const count = this.module.dataCount;
    if (index >= (count ?? this.module.datas.length)) this.fail(`unknown data segment ${index}`);
    if (count === null) this.fail(`data count section required: ${what} needs it`);
  }

  /** Memory exists, alignment ≤ natural, lane index in range — for the simple operators that need it. */
  private checkMemoryAndLane(op: number): void {
    const r = this.reader;
    const maxAlign = OP_MAX_ALIGN[op];
    if (maxAlign !== NO_MEMORY) {
      this.memory();
      if (maxAlign !== USES_MEMORY && r.align > maxAlign) {
        this.fail(`alignment must not be larger than natural: 2^${r.align} for ${opName(op)} (at most 2^${maxAlign})`);
      }
    }
    const lanes = OP_LANES[op];
    if (op === Op.I8X16_SHUFFLE) {
      // Lane indices select from the 32 lanes of both operands.
      for (let i = 0; i < 16; i++) if (r.v128[i] >= lanes) this.fail(`invalid lane index ${r.v128[i]} in i8x16.shuffle`);
    } else if (lanes !== 0 && r.lane >= lanes) this.fail(`invalid lane index ${r.lane} for ${opName(op)} (${lanes} lanes)`);
  }

  private fail(reason: string): never {
    return this.reader.fail(reason, this.reader.opOffset);
  }
}

const I32_I32_I32 = Uint8Array.of(ValType.I32, ValType.I32, ValType.I32);
