/**
 * InstBuilder: one method per opcode (`ins.iadd(a, b)`, `ins.load(I32, flags, p, 8)`, ...) plus a generic
 * `build`. Each method creates the instruction in the DataFlowGraph, creates its results, and hands it to a sink
 * that places it (a FuncCursor inserts at its position; the FunctionBuilder appends to its current block and
 * records branch predecessors for SSA construction).
 *
 * Value-producing methods return the (first) result; methods for instructions without a single result
 * (stores, traps, branches, calls) return the Inst. Types are not checked here: run the verifier.
 */
import type { DataFlowGraph } from './dfg.js';
import { NONE, type Block, type BlockCall, type FuncRef, type Inst, type SigRef, type Value } from './ids.js';
import { Format, OPCODE_FORMAT, Opcode, opcodeName } from './opcodes.js';
import { F32, F64, I32, I64, NONE_TYPE, type Type } from './types.js';

/** Receives each finished instruction and puts it into the layout. */
export interface InstSink {
  insertBuilt(inst: Inst): void;
}

const EMPTY: readonly number[] = [];
const f32Scratch = new Float32Array(1);
const f32Bits = new Int32Array(f32Scratch.buffer);
const f64Scratch = new Float64Array(1);
const f64Bits = new Int32Array(f64Scratch.buffer);

/** Low 32 bits of an integer-valued JS number (exact for |n| < 2^53). */
export function numberLo(n: number): number {
  return n | 0;
}

/** High 32 bits (two's complement) of an integer-valued JS number (exact for |n| < 2^53). */
export function numberHi(n: number): number {
  return Math.floor(n / 4294967296) | 0;
}

/** Bit pattern of a JS number rounded to f32. */
export function f32ToBits(x: number): number {
  f32Scratch[0] = x;
  return f32Bits[0]!;
}

/** Writes the bit pattern of an f64 into `out` as [lo, hi]. */
export function f64ToBits(x: number, out: Int32Array): void {
  f64Scratch[0] = x;
  out[0] = f64Bits[0]!;
  out[1] = f64Bits[1]!;
}

const bitsOut = new Int32Array(2);

export class InstBuilder {
  constructor(
    readonly dfg: DataFlowGraph,
    private readonly sink: InstSink,
  ) {}

  // ---------------------------------------------------------------------------------------------------------
  // Generic
  // ---------------------------------------------------------------------------------------------------------

  /**
   * Builds any non-branch instruction: `args` become its operands (fixed formats take up to three; return,
   * call and call_indirect take a list), plus the immediate (lo, hi) and the aux field (flags / condition /
   * trap code / FuncRef / SigRef). Returns the Inst; results via `dfg.firstResult(inst)`.
   */
  build(op: number, ctrlType: Type, args: ArrayLike<Value> = EMPTY, immLo = 0, immHi = 0, aux = 0): Inst {
    const format = OPCODE_FORMAT[op];
    if (format === Format.Jump || format === Format.Brif || format === Format.BranchTable) {
      throw new Error(`InstBuilder.build: use jump/brif/brTable to build ${opcodeName(op)}`);
    }
    const dfg = this.dfg;
    const inst = dfg.makeInst(op, ctrlType);
    if (format === Format.MultiAry || format === Format.Call || format === Format.CallIndirect) {
      dfg.setVarArgs(inst, args);
    } else {
      dfg.setFixedArgs(inst, args.length > 0 ? args[0]! : NONE, args.length > 1 ? args[1]! : NONE,
        args.length > 2 ? args[2]! : NONE);
    }
    dfg.setImm(inst, immLo, immHi);
    dfg.setAux(inst, aux);
    dfg.makeResults(inst);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** Fixed-format instruction with up to three operands; returns the first result (or NONE). */
  private fixed(op: number, type: Type, a0: Value, a1: Value, a2: Value, lo: number, hi: number, aux: number): Value {
    return this.dfg.firstResult(this.fixedInst(op, type, a0, a1, a2, lo, hi, aux));
  }

  private fixedInst(op: number, type: Type, a0: Value, a1: Value, a2: Value, lo: number, hi: number, aux: number): Inst {
    const inst = this.dfg.makeFixedInst(op, type, a0, a1, a2, lo, hi, aux);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** `op x, y` where the result has x's type. */
  binary(op: number, x: Value, y: Value): Value {
    return this.fixed(op, this.dfg.valueType(x), x, y, NONE, 0, 0, 0);
  }

  /** `op x` where the result has x's type. */
  unary(op: number, x: Value): Value {
    return this.fixed(op, this.dfg.valueType(x), x, NONE, NONE, 0, 0, 0);
  }

  /** `op.type x` (conversions with an explicit result type). */
  convert(op: number, type: Type, x: Value): Value {
    return this.fixed(op, type, x, NONE, NONE, 0, 0, 0);
  }

  /** `op x, imm` with a 64-bit immediate as (lo, hi); i32 immediates are kept sign-extended. */
  binaryImm(op: number, x: Value, lo: number, hi: number): Value {
    const t = this.dfg.valueType(x);
    return this.fixed(op, t, x, NONE, NONE, lo | 0, t === I32 ? (lo | 0) >> 31 : hi | 0, 0);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Constants
  // ---------------------------------------------------------------------------------------------------------

  /** Integer constant from a JS integer (exact for |n| < 2^53; i32 takes the low 32 bits). */
  iconst(type: Type, n: number): Value {
    return this.iconstBits(type, n | 0, numberHi(n));
  }

  /** Integer constant from its two 32-bit halves (no BigInt needed for full 64-bit values). */
  iconstBits(type: Type, lo: number, hi: number): Value {
    return this.fixed(Opcode.iconst, type, NONE, NONE, NONE, lo | 0, type === I32 ? (lo | 0) >> 31 : hi | 0, 0);
  }

  /** f32 constant from a JS number (rounded to f32). */
  f32const(x: number): Value {
    return this.f32constBits(f32ToBits(x));
  }

  /** f32 constant from its bit pattern (keeps NaN payloads exactly). */
  f32constBits(bits: number): Value {
    return this.fixed(Opcode.f32const, F32, NONE, NONE, NONE, bits | 0, 0, 0);
  }

  f64const(x: number): Value {
    f64ToBits(x, bitsOut);
    return this.f64constBits(bitsOut[0]!, bitsOut[1]!);
  }

  /** f64 constant from its bit pattern halves (keeps NaN payloads exactly). */
  f64constBits(lo: number, hi: number): Value {
    return this.fixed(Opcode.f64const, F64, NONE, NONE, NONE, lo | 0, hi | 0, 0);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Integer arithmetic (wasm semantics; see README.md)
  // ---------------------------------------------------------------------------------------------------------

  iadd(x: Value, y: Value): Value { return this.binary(Opcode.iadd, x, y); }
  isub(x: Value, y: Value): Value { return this.binary(Opcode.isub, x, y); }
  imul(x: Value, y: Value): Value { return this.binary(Opcode.imul, x, y); }
  /** Unsigned division; traps with int_divz when y = 0. */
  udiv(x: Value, y: Value): Value { return this.binary(Opcode.udiv, x, y); }
  /** Signed division; traps with int_divz when y = 0 and int_ovf for INT_MIN / -1. */
  sdiv(x: Value, y: Value): Value { return this.binary(Opcode.sdiv, x, y); }
  /** Unsigned remainder; traps with int_divz when y = 0. */
  urem(x: Value, y: Value): Value { return this.binary(Opcode.urem, x, y); }
  /** Signed remainder; traps with int_divz when y = 0; INT_MIN % -1 = 0. */
  srem(x: Value, y: Value): Value { return this.binary(Opcode.srem, x, y); }
  band(x: Value, y: Value): Value { return this.binary(Opcode.band, x, y); }
  bor(x: Value, y: Value): Value { return this.binary(Opcode.bor, x, y); }
  bxor(x: Value, y: Value): Value { return this.binary(Opcode.bxor, x, y); }
  /** Shift left by y mod bit width. */
  ishl(x: Value, y: Value): Value { return this.binary(Opcode.ishl, x, y); }
  /** Logical shift right by y mod bit width. */
  ushr(x: Value, y: Value): Value { return this.binary(Opcode.ushr, x, y); }
  /** Arithmetic shift right by y mod bit width. */
  sshr(x: Value, y: Value): Value { return this.binary(Opcode.sshr, x, y); }
  rotl(x: Value, y: Value): Value { return this.binary(Opcode.rotl, x, y); }
  rotr(x: Value, y: Value): Value { return this.binary(Opcode.rotr, x, y); }
  ineg(x: Value): Value { return this.unary(Opcode.ineg, x); }
  bnot(x: Value): Value { return this.unary(Opcode.bnot, x); }
  clz(x: Value): Value { return this.unary(Opcode.clz, x); }
  ctz(x: Value): Value { return this.unary(Opcode.ctz, x); }
  popcnt(x: Value): Value { return this.unary(Opcode.popcnt, x); }
  /** Sign-extend the low 8 bits in place (wasm iNN.extend8_s). */
  sextend8(x: Value): Value { return this.unary(Opcode.sextend8, x); }
  /** Sign-extend the low 16 bits in place (wasm iNN.extend16_s). */
  sextend16(x: Value): Value { return this.unary(Opcode.sextend16, x); }
  /** Sign-extend the low 32 bits of an i64 in place (wasm i64.extend32_s). */
  sextend32(x: Value): Value { return this.unary(Opcode.sextend32, x); }

  iaddImm(x: Value, n: number): Value { return this.binaryImm(Opcode.iadd_imm, x, n | 0, numberHi(n)); }
  imulImm(x: Value, n: number): Value { return this.binaryImm(Opcode.imul_imm, x, n | 0, numberHi(n)); }
  bandImm(x: Value, n: number): Value { return this.binaryImm(Opcode.band_imm, x, n | 0, numberHi(n)); }
  borImm(x: Value, n: number): Value { return this.binaryImm(Opcode.bor_imm, x, n | 0, numberHi(n)); }
  bxorImm(x: Value, n: number): Value { return this.binaryImm(Opcode.bxor_imm, x, n | 0, numberHi(n)); }
  ishlImm(x: Value, n: number): Value { return this.binaryImm(Opcode.ishl_imm, x, n | 0, numberHi(n)); }
  ushrImm(x: Value, n: number): Value { return this.binaryImm(Opcode.ushr_imm, x, n | 0, numberHi(n)); }
  sshrImm(x: Value, n: number): Value { return this.binaryImm(Opcode.sshr_imm, x, n | 0, numberHi(n)); }
  rotlImm(x: Value, n: number): Value { return this.binaryImm(Opcode.rotl_imm, x, n | 0, numberHi(n)); }
  rotrImm(x: Value, n: number): Value { return this.binaryImm(Opcode.rotr_imm, x, n | 0, numberHi(n)); }

  /** Integer compare giving i32 0/1 (cond: IntCC). */
  icmp(cond: number, x: Value, y: Value): Value {
    return this.fixed(Opcode.icmp, I32, x, y, NONE, 0, 0, cond);
  }

  /** Integer compare with an immediate (exact for |n| < 2^53). */
  icmpImm(cond: number, x: Value, n: number): Value {
    const hi = this.dfg.valueType(x) === I32 ? (n | 0) >> 31 : numberHi(n);
    return this.fixed(Opcode.icmp_imm, I32, x, NONE, NONE, n | 0, hi, cond);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Floating point (wasm semantics)
  // ---------------------------------------------------------------------------------------------------------

  fadd(x: Value, y: Value): Value { return this.binary(Opcode.fadd, x, y); }
  fsub(x: Value, y: Value): Value { return this.binary(Opcode.fsub, x, y); }
  fmul(x: Value, y: Value): Value { return this.binary(Opcode.fmul, x, y); }
  fdiv(x: Value, y: Value): Value { return this.binary(Opcode.fdiv, x, y); }
  /** wasm min: NaN if either is NaN; -0 < +0. */
  fmin(x: Value, y: Value): Value { return this.binary(Opcode.fmin, x, y); }
  /** wasm max: NaN if either is NaN; -0 < +0. */
  fmax(x: Value, y: Value): Value { return this.binary(Opcode.fmax, x, y); }
  fcopysign(x: Value, y: Value): Value { return this.binary(Opcode.fcopysign, x, y); }
  fneg(x: Value): Value { return this.unary(Opcode.fneg, x); }
  fabs(x: Value): Value { return this.unary(Opcode.fabs, x); }
  sqrt(x: Value): Value { return this.unary(Opcode.sqrt, x); }
  ceil(x: Value): Value { return this.unary(Opcode.ceil, x); }
  floor(x: Value): Value { return this.unary(Opcode.floor, x); }
  trunc(x: Value): Value { return this.unary(Opcode.trunc, x); }
  /** Round to nearest, ties to even. */
  nearest(x: Value): Value { return this.unary(Opcode.nearest, x); }

  /** Float compare giving i32 0/1 (cond: FloatCC; `ne` is true on NaN, the others false). */
  fcmp(cond: number, x: Value, y: Value): Value {
    return this.fixed(Opcode.fcmp, I32, x, y, NONE, 0, 0, cond);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Conversions
  // ---------------------------------------------------------------------------------------------------------

  /** Zero-extend i32 -> i64. */
  uextend(type: Type, x: Value): Value { return this.convert(Opcode.uextend, type, x); }
  /** Sign-extend i32 -> i64. */
  sextend(type: Type, x: Value): Value { return this.convert(Opcode.sextend, type, x); }
  /** Wrap i64 -> i32 (low bits). */
  ireduce(type: Type, x: Value): Value { return this.convert(Opcode.ireduce, type, x); }
  /** Float -> signed int, trapping (bad_conversion) on NaN or out of range. */
  fcvtToSint(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_to_sint, type, x); }
  /** Float -> unsigned int, trapping (bad_conversion) on NaN or out of range. */
  fcvtToUint(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_to_uint, type, x); }
  /** Float -> signed int, saturating (NaN -> 0). */
  fcvtToSintSat(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_to_sint_sat, type, x); }
  /** Float -> unsigned int, saturating (NaN -> 0). */
  fcvtToUintSat(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_to_uint_sat, type, x); }
  fcvtFromSint(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_from_sint, type, x); }
  fcvtFromUint(type: Type, x: Value): Value { return this.convert(Opcode.fcvt_from_uint, type, x); }
  /** f32 -> f64. */
  fpromote(x: Value): Value { return this.convert(Opcode.fpromote, F64, x); }
  /** f64 -> f32. */
  fdemote(x: Value): Value { return this.convert(Opcode.fdemote, F32, x); }
  /** Reinterpret the bits (i32 <-> f32, i64 <-> f64). */
  bitcast(type: Type, x: Value): Value { return this.convert(Opcode.bitcast, type, x); }

  /** `c != 0 ? x : y`. */
  select(c: Value, x: Value, y: Value): Value {
    return this.fixed(Opcode.select, this.dfg.valueType(x), c, x, y, 0, 0, 0);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Memory: address is an i64, offset a signed 32-bit constant added to it
  // ---------------------------------------------------------------------------------------------------------

  /** Any load opcode (load, uload8, ..., sload32) of result type `type`. */
  loadOp(op: number, type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.fixed(op, type, addr, NONE, NONE, offset | 0, 0, flags);
  }

  load(type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.load, type, flags, addr, offset);
  }
  uload8(type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.uload8, type, flags, addr, offset);
  }
  sload8(type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.sload8, type, flags, addr, offset);
  }
  uload16(type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.uload16, type, flags, addr, offset);
  }
  sload16(type: Type, flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.sload16, type, flags, addr, offset);
  }
  uload32(flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.uload32, I64, flags, addr, offset);
  }
  sload32(flags: number, addr: Value, offset = 0): Value {
    return this.loadOp(Opcode.sload32, I64, flags, addr, offset);
  }

  /** Any store opcode (store, istore8, istore16, istore32). */
  storeOp(op: number, flags: number, value: Value, addr: Value, offset = 0): Inst {
    return this.fixedInst(op, NONE_TYPE, value, addr, NONE, offset | 0, 0, flags);
  }

  store(flags: number, value: Value, addr: Value, offset = 0): Inst {
    return this.storeOp(Opcode.store, flags, value, addr, offset);
  }
  istore8(flags: number, value: Value, addr: Value, offset = 0): Inst {
    return this.storeOp(Opcode.istore8, flags, value, addr, offset);
  }
  istore16(flags: number, value: Value, addr: Value, offset = 0): Inst {
    return this.storeOp(Opcode.istore16, flags, value, addr, offset);
  }
  istore32(flags: number, value: Value, addr: Value, offset = 0): Inst {
    return this.storeOp(Opcode.istore32, flags, value, addr, offset);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Traps
  // ---------------------------------------------------------------------------------------------------------

  /** Unconditional trap (a terminator). */
  trap(code: number): Inst {
    return this.fixedInst(Opcode.trap, NONE_TYPE, NONE, NONE, NONE, 0, 0, code);
  }

  /** Trap when x = 0. */
  trapz(x: Value, code: number): Inst {
    return this.fixedInst(Opcode.trapz, NONE_TYPE, x, NONE, NONE, 0, 0, code);
  }

  /** Trap when x != 0. */
  trapnz(x: Value, code: number): Inst {
    return this.fixedInst(Opcode.trapnz, NONE_TYPE, x, NONE, NONE, 0, 0, code);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Control flow
  // ---------------------------------------------------------------------------------------------------------

  /** `jump block(args[start .. start+count))`. */
  jump(block: Block, args: ArrayLike<Value> = EMPTY, start = 0, count = args.length - start): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.jump, NONE_TYPE);
    dfg.setJumpDest(inst, dfg.makeBlockCall(block, args, start, count));
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** `brif c, thenBlock(thenArgs), elseBlock(elseArgs)`: goes to thenBlock when c != 0. */
  brif(
    c: Value,
    thenBlock: Block,
    thenArgs: ArrayLike<Value>,
    elseBlock: Block,
    elseArgs: ArrayLike<Value>,
  ): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.brif, NONE_TYPE);
    dfg.setBrif(inst, c, dfg.makeBlockCall(thenBlock, thenArgs), dfg.makeBlockCall(elseBlock, elseArgs));
    this.sink.insertBuilt(inst);
    return inst;
  }

  /**
   * `br_table index, default(args), [t0(args), t1(args), ...]`: goes to `table[index]`, or to `defaultBlock`
   * when index >= table length (unsigned). Every destination receives the same `args` (the wasm case); change
   * single destinations afterwards with `dfg.setDestCall` if needed.
   */
  brTable(
    index: Value,
    defaultBlock: Block,
    table: ArrayLike<Block>,
    args: ArrayLike<Value> = EMPTY,
    tableCount = table.length,
  ): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.br_table, NONE_TYPE);
    const calls = new Array<BlockCall>(tableCount + 1);
    calls[0] = dfg.makeBlockCall(defaultBlock, args);
    for (let i = 0; i < tableCount; i++) calls[i + 1] = dfg.makeBlockCall(table[i]!, args);
    dfg.setBrTable(inst, index, calls);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** `return values...` (must match the function signature's results). */
  return_(values: ArrayLike<Value> = EMPTY, start = 0, count = values.length - start): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.return, NONE_TYPE);
    dfg.setVarArgs(inst, values, start, count);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** Direct call; results via `dfg.firstResult(inst)` / `dfg.result(inst, i)`. */
  call(fn: FuncRef, args: ArrayLike<Value> = EMPTY, start = 0, count = args.length - start): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.call, NONE_TYPE);
    dfg.setAux(inst, fn);
    dfg.setVarArgs(inst, args, start, count);
    dfg.makeResults(inst);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** Call through an i64 code address `callee` with signature `sig`. */
  callIndirect(sig: SigRef, callee: Value, args: ArrayLike<Value> = EMPTY, start = 0,
    count = args.length - start): Inst {
    const dfg = this.dfg;
    const inst = dfg.makeInst(Opcode.call_indirect, NONE_TYPE);
    dfg.setAux(inst, sig);
    dfg.setVarArgs(inst, EMPTY);
    dfg.appendVarArg(inst, callee);
    for (let i = 0; i < count; i++) dfg.appendVarArg(inst, args[start + i]!);
    dfg.makeResults(inst);
    this.sink.insertBuilt(inst);
    return inst;
  }

  /** Reads the reserved (pinned) register. */
  getPinnedReg(type: Type = I64): Value {
    return this.fixed(Opcode.get_pinned_reg, type, NONE, NONE, NONE, 0, 0, 0);
  }

  /** Writes the reserved (pinned) register. */
  setPinnedReg(x: Value): Inst {
    return this.fixedInst(Opcode.set_pinned_reg, NONE_TYPE, x, NONE, NONE, 0, 0, 0);
  }
}
