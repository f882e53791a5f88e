/**
 * Opcodes: dense numeric ids with their text names, instruction formats, type rules and properties.
 *
 * Wasm semantics are explicit in the opcode (see README.md "Opcode semantics"): `udiv`/`urem`/`srem` trap on a
 * zero divisor, `sdiv` also on INT_MIN / -1; shifts and rotates mask the amount by the bit width; `fmin`/`fmax`
 * propagate NaN and order -0 < +0; `nearest` rounds half to even; `fcvt_to_sint`/`fcvt_to_uint` trap on NaN or
 * out-of-range; the `_sat` forms saturate (NaN -> 0).
 *
 * Each table below is indexed by opcode, so properties are one typed-array read.
 */
import { F64, I64, V128 } from './types.js';

/** Instruction formats: which fields an instruction uses. */
export const Format = {
  /** No value operands, no immediate (`get_pinned_reg`). */
  Nullary: 0,
  /** One value operand (`clz`, `uextend`, `set_pinned_reg`, ...). */
  Unary: 1,
  /** A 64-bit immediate, no value operand (`iconst`, `f32const`, `f64const`). */
  UnaryImm: 2,
  /** Two value operands. */
  Binary: 3,
  /** One value operand and a 64-bit immediate (`iadd_imm`, `ishl_imm`, ...). */
  BinaryImm: 4,
  /** Three value operands (`select`). */
  Ternary: 5,
  /** Integer condition code + two operands (`icmp`). */
  IntCompare: 6,
  /** Integer condition code + operand + immediate (`icmp_imm`). */
  IntCompareImm: 7,
  /** Float condition code + two operands (`fcmp`). */
  FloatCompare: 8,
  /** Memory flags + address operand + 32-bit signed offset. */
  Load: 9,
  /** Memory flags + stored value + address operand + 32-bit signed offset. */
  Store: 10,
  /** Trap code only (`trap`). */
  Trap: 11,
  /** Operand + trap code (`trapz`, `trapnz`). */
  CondTrap: 12,
  /** One destination block call (`jump`). */
  Jump: 13,
  /** Condition operand + two destination block calls (`brif`). */
  Brif: 14,
  /** Index operand + default destination + table of destinations (`br_table`). */
  BranchTable: 15,
  /** Variable operand list (`return`). */
  MultiAry: 16,
  /** Function reference + variable operand list (`call`). */
  Call: 17,
  /** Signature reference + callee operand + variable operand list (`call_indirect`). */
  CallIndirect: 18,
} as const;
export type Format = number;

/**
 * Type rules: how an instruction's result type follows from its controlling type and how its operands are
 * checked. The controlling type (`dfg.instType(inst)`) is the type of the single result, or NONE_TYPE.
 */
export const TypeRule = {
  /** All operands and the result have one integer type (iadd, clz, iadd_imm, ...). */
  SameInt: 0,
  /** All operands and the result have one float type (fadd, sqrt, ...). */
  SameFloat: 1,
  /** Two operands of one integer type; result i32 (icmp, icmp_imm). */
  IntCmp: 2,
  /** Two operands of one float type; result i32 (fcmp). */
  FloatCmp: 3,
  /** `select c, x, y`: c integer, x and y one type, result that type. */
  Select: 4,
  /** Explicit integer result (iconst). */
  ConstInt: 5,
  /** Result f32 (f32const). */
  ConstF32: 6,
  /** Result f64 (f64const). */
  ConstF64: 7,
  /** i32 operand, i64 result (uextend, sextend). */
  Extend: 8,
  /** i64 operand, i32 result (ireduce). */
  Reduce: 9,
  /** i64 operand and result (sextend32). */
  SameI64: 10,
  /** Float operand, explicit integer result. */
  FloatToInt: 11,
  /** Integer operand, explicit float result. */
  IntToFloat: 12,
  /** f32 operand, f64 result. */
  Promote: 13,
  /** f64 operand, f32 result. */
  Demote: 14,
  /** Operand of the same width as the explicit result, of the other class (i32 <-> f32, i64 <-> f64). */
  Bitcast: 15,
  /** i64 address; explicit result of any number type (load). */
  LoadAny: 16,
  /** i64 address; explicit integer result (8/16-bit loads). */
  LoadInt: 17,
  /** i64 address; i64 result (32-bit sub-word loads). */
  LoadI64: 18,
  /** Value of any number type, i64 address; no result (store). */
  StoreAny: 19,
  /** Integer value (istore8, istore16). */
  StoreInt: 20,
  /** i64 value (istore32). */
  StoreI64: 21,
  /** No operands, no result (trap, jump). */
  Void: 22,
  /** One integer operand, no result (trapz, trapnz, brif). */
  CondInt: 23,
  /** One i32 operand, no result (br_table). */
  IndexI32: 24,
  /** Operands match the function signature's results (return). */
  Return: 25,
  /** Operands and results from a signature (call, call_indirect). */
  Call: 26,
  /** Explicit i64 result, no operands (get_pinned_reg). */
  PinnedGet: 27,
  /** One i64 operand, no result (set_pinned_reg). */
  PinnedSet: 28,
} as const;
export type TypeRule = number;

/** Opcode property bits. */
export const OpFlag = {
  /** Ends a block: jump, brif, br_table, return, trap. */
  Terminator: 1,
  /** Transfers control to blocks of this function: jump, brif, br_table. */
  Branch: 2,
  /** return. */
  Return: 4,
  /** call, call_indirect. */
  Call: 8,
  /** May trap (divisions, trapping conversions, loads/stores without `notrap`, trapz/trapnz/trap, calls). */
  CanTrap: 16,
  /** Has effects beyond its results: stores, calls, traps, set_pinned_reg. Never removed or reordered. */
  SideEffects: 32,
  /** Reads memory. */
  Load: 64,
  /** Writes memory. */
  Store: 128,
  /** Operands may be swapped freely. */
  Commutative: 256,
  /** Result type comes from an explicit `.type` suffix in text. */
  TypeSuffix: 512,
} as const;

const T = OpFlag.Terminator;
const BR = OpFlag.Branch;
const TRAP = OpFlag.CanTrap;
const FX = OpFlag.SideEffects;
const COMM = OpFlag.Commutative;
const SUF = OpFlag.TypeSuffix;
const LD = OpFlag.Load;
const ST = OpFlag.Store | OpFlag.SideEffects;
const F = Format;
const R = TypeRule;

/** [name, format, type rule, flags] in opcode order. */
const TABLE: [string, number, number, number][] = [
  ['iconst', F.UnaryImm, R.ConstInt, SUF],
  ['f32const', F.UnaryImm, R.ConstF32, 0],
  ['f64const', F.UnaryImm, R.ConstF64, 0],
  // Integer arithmetic.
  ['iadd', F.Binary, R.SameInt, COMM],
  ['isub', F.Binary, R.SameInt, 0],
  ['imul', F.Binary, R.SameInt, COMM],
  ['udiv', F.Binary, R.SameInt, TRAP],
  ['sdiv', F.Binary, R.SameInt, TRAP],
  ['urem', F.Binary, R.SameInt, TRAP],
  ['srem', F.Binary, R.SameInt, TRAP],
  ['band', F.Binary, R.SameInt, COMM],
  ['bor', F.Binary, R.SameInt, COMM],
  ['bxor', F.Binary, R.SameInt, COMM],
  ['ishl', F.Binary, R.SameInt, 0],
  ['ushr', F.Binary, R.SameInt, 0],
  ['sshr', F.Binary, R.SameInt, 0],
  ['rotl', F.Binary, R.SameInt, 0],
  ['rotr', F.Binary, R.SameInt, 0],
  ['ineg', F.Unary, R.SameInt, 0],
  ['bnot', F.Unary, R.SameInt, 0],
  ['clz', F.Unary, R.SameInt, 0],
  ['ctz', F.Unary, R.SameInt, 0],
  ['popcnt', F.Unary, R.SameInt, 0],
  ['sextend8', F.Unary, R.SameInt, 0],
  ['sextend16', F.Unary, R.SameInt, 0],
  ['sextend32', F.Unary, R.SameI64, 0],
  // Immediate forms (for the optimiser and instruction selection).
  ['iadd_imm', F.BinaryImm, R.SameInt, 0],
  ['imul_imm', F.BinaryImm, R.SameInt, 0],
  ['band_imm', F.BinaryImm, R.SameInt, 0],
  ['bor_imm', F.BinaryImm, R.SameInt, 0],
  ['bxor_imm', F.BinaryImm, R.SameInt, 0],
  ['ishl_imm', F.BinaryImm, R.SameInt, 0],
  ['ushr_imm', F.BinaryImm, R.SameInt, 0],
  ['sshr_imm', F.BinaryImm, R.SameInt, 0],
  ['rotl_imm', F.BinaryImm, R.SameInt, 0],
  ['rotr_imm', F.BinaryImm, R.SameInt, 0],
  ['icmp', F.IntCompare, R.IntCmp, 0],
  ['icmp_imm', F.IntCompareImm, R.IntCmp, 0],
  // Floating point.
  ['fadd', F.Binary, R.SameFloat, COMM],
  ['fsub', F.Binary, R.SameFloat, 0],
  ['fmul', F.Binary, R.SameFloat, COMM],
  ['fdiv', F.Binary, R.SameFloat, 0],
  ['fmin', F.Binary, R.SameFloat, COMM],
  ['fmax', F.Binary, R.SameFloat, COMM],
  ['fcopysign', F.Binary, R.SameFloat, 0],
  ['fneg', F.Unary, R.SameFloat, 0],
  ['fabs', F.Unary, R.SameFloat, 0],
  ['sqrt', F.Unary, R.SameFloat, 0],
  ['ceil', F.Unary, R.SameFloat, 0],
  ['floor', F.Unary, R.SameFloat, 0],
  ['trunc', F.Unary, R.SameFloat, 0],
  ['nearest', F.Unary, R.SameFloat, 0],
  ['fcmp', F.FloatCompare, R.FloatCmp, 0],
  // Conversions.
  ['uextend', F.Unary, R.Extend, SUF],
  ['sextend', F.Unary, R.Extend, SUF],
  ['ireduce', F.Unary, R.Reduce, SUF],
  ['fcvt_to_sint', F.Unary, R.FloatToInt, SUF | TRAP],
  ['fcvt_to_uint', F.Unary, R.FloatToInt, SUF | TRAP],
  ['fcvt_to_sint_sat', F.Unary, R.FloatToInt, SUF],
  ['fcvt_to_uint_sat', F.Unary, R.FloatToInt, SUF],
  ['fcvt_from_sint', F.Unary, R.IntToFloat, SUF],
  ['fcvt_from_uint', F.Unary, R.IntToFloat, SUF],
  ['fpromote', F.Unary, R.Promote, SUF],
  ['fdemote', F.Unary, R.Demote, SUF],
  ['bitcast', F.Unary, R.Bitcast, SUF],
  ['select', F.Ternary, R.Select, 0],
  // Memory.
  ['load', F.Load, R.LoadAny, SUF | LD],
  ['uload8', F.Load, R.LoadInt, SUF | LD],
  ['sload8', F.Load, R.LoadInt, SUF | LD],
  ['uload16', F.Load, R.LoadInt, SUF | LD],
  ['sload16', F.Load, R.LoadInt, SUF | LD],
  ['uload32', F.Load, R.LoadI64, SUF | LD],
  ['sload32', F.Load, R.LoadI64, SUF | LD],
  ['store', F.Store, R.StoreAny, ST],
  ['istore8', F.Store, R.StoreInt, ST],
  ['istore16', F.Store, R.StoreInt, ST],
  ['istore32', F.Store, R.StoreI64, ST],
  // Traps.
  ['trap', F.Trap, R.Void, T | TRAP | FX],
  ['trapz', F.CondTrap, R.CondInt, TRAP | FX],
  ['trapnz', F.CondTrap, R.CondInt, TRAP | FX],
  // Control flow.
  ['jump', F.Jump, R.Void, T | BR],
  ['brif', F.Brif, R.CondInt, T | BR],
  ['br_table', F.BranchTable, R.IndexI32, T | BR],
  ['return', F.MultiAry, R.Return, T | OpFlag.Return],
  ['call', F.Call, R.Call, OpFlag.Call | TRAP | FX],
  ['call_indirect', F.CallIndirect, R.Call, OpFlag.Call | TRAP | FX],
  // Plumbing for a register reserved across wasm code (the `pinned` fuel strategy).
  ['get_pinned_reg', F.Nullary, R.PinnedGet, SUF],
  ['set_pinned_reg', F.Unary, R.PinnedSet, FX],
];

/**
 * Opcode ids, e.g. `Opcode.iadd`: dense from 0, in the order of TABLE below (checked at load). Written as a
 * literal so V8 keeps it a fast-properties object (property reads in hot loops stay cheap).
 */
export const Opcode = {
  iconst: 0, f32const: 1, f64const: 2, iadd: 3, isub: 4, imul: 5, udiv: 6, sdiv: 7, urem: 8, srem: 9, band: 10,
  bor: 11, bxor: 12, ishl: 13, ushr: 14, sshr: 15, rotl: 16, rotr: 17, ineg: 18, bnot: 19, clz: 20, ctz: 21,
  popcnt: 22, sextend8: 23, sextend16: 24, sextend32: 25, iadd_imm: 26, imul_imm: 27, band_imm: 28, bor_imm: 29,
  bxor_imm: 30, ishl_imm: 31, ushr_imm: 32, sshr_imm: 33, rotl_imm: 34, rotr_imm: 35, icmp: 36, icmp_imm: 37,
  fadd: 38, fsub: 39, fmul: 40, fdiv: 41, fmin: 42, fmax: 43, fcopysign: 44, fneg: 45, fabs: 46, sqrt: 47, ceil: 48,
  floor: 49, trunc: 50, nearest: 51, fcmp: 52, uextend: 53, sextend: 54, ireduce: 55, fcvt_to_sint: 56,
  fcvt_to_uint: 57, fcvt_to_sint_sat: 58, fcvt_to_uint_sat: 59, fcvt_from_sint: 60, fcvt_from_uint: 61, fpromote: 62,
  fdemote: 63, bitcast: 64, select: 65, load: 66, uload8: 67, sload8: 68, uload16: 69, sload16: 70, uload32: 71,
  sload32: 72, store: 73, istore8: 74, istore16: 75, istore32: 76, trap: 77, trapz: 78, trapnz: 79, jump: 80,
  brif: 81, br_table: 82, return: 83, call: 84, call_indirect: 85, get_pinned_reg: 86, set_pinned_reg: 87,
} as const;
export type Opcode = number;

/** Number of opcodes. */
export const OPCODE_COUNT = TABLE.length;
if (Object.keys(Opcode).length !== OPCODE_COUNT) throw new Error('opcodes.ts: Opcode and TABLE differ');
/** Text name per opcode. */
export const OPCODE_NAMES: readonly string[] = TABLE.map((row) => row[0]);
/** Format per opcode. */
export const OPCODE_FORMAT = new Uint8Array(OPCODE_COUNT);
/** Type rule per opcode. */
export const OPCODE_TYPE_RULE = new Uint8Array(OPCODE_COUNT);
/** OpFlag bits per opcode. */
export const OPCODE_FLAGS = new Uint16Array(OPCODE_COUNT);

const BY_NAME = new Map<string, number>();
for (let op = 0; op < OPCODE_COUNT; op++) {
  const [name, format, rule, flags] = TABLE[op]!;
  if ((Opcode as Record<string, number>)[name] !== op) throw new Error(`opcodes.ts: Opcode.${name} must be ${op}`);
  OPCODE_FORMAT[op] = format;
  OPCODE_TYPE_RULE[op] = rule;
  OPCODE_FLAGS[op] = flags;
  BY_NAME.set(name, op);
}

export function opcodeName(op: Opcode): string {
  return OPCODE_NAMES[op] ?? `opcode?${op}`;
}

/** The opcode for a text name, or -1. */
export function parseOpcode(name: string): Opcode {
  return BY_NAME.get(name) ?? -1;
}

export function isTerminator(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Terminator) !== 0;
}

export function isBranch(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Branch) !== 0;
}

export function isCall(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Call) !== 0;
}

/** Has side effects (stores, calls, traps); such instructions are never removed even if their results are unused. */
export function hasSideEffects(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.SideEffects) !== 0;
}

/**
 * May trap as an opcode property. Loads and stores trap only without the `notrap` flag: use
 * `dfg.canTrap(inst)` for the per-instruction answer.
 */
export function opcodeCanTrap(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.CanTrap) !== 0;
}

export function isLoad(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Load) !== 0;
}

export function isStore(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Store) !== 0;
}

export function isCommutative(op: Opcode): boolean {
  return (OPCODE_FLAGS[op]! & OpFlag.Commutative) !== 0;
}

/**
 * True when the result type follows from an operand (SameInt, SameFloat: operand 0; Select: operand 1), so
 * the text form needs no `.type` suffix (the printer adds one only when that operand is defined further down).
 */
export function isTypeFromOperand(op: Opcode): boolean {
  const rule = OPCODE_TYPE_RULE[op];
  return rule === TypeRule.SameInt || rule === TypeRule.SameFloat || rule === TypeRule.Select;
}

/** Bytes accessed by a load or store opcode of the given value type. */
export function memAccessBytes(op: Opcode, type: number): number {
  switch (op) {
    case Opcode.uload8: case Opcode.sload8: case Opcode.istore8: return 1;
    case Opcode.uload16: case Opcode.sload16: case Opcode.istore16: return 2;
    case Opcode.uload32: case Opcode.sload32: case Opcode.istore32: return 4;
    default: return type === I64 || type === F64 ? 8 : type === V128 ? 16 : 4;
  }
}

/** The `_imm` opcode that takes an immediate in place of a binary opcode's second operand, or -1. */
export function immediateForm(op: Opcode): Opcode {
  switch (op) {
    case Opcode.iadd: return Opcode.iadd_imm;
    case Opcode.imul: return Opcode.imul_imm;
    case Opcode.band: return Opcode.band_imm;
    case Opcode.bor: return Opcode.bor_imm;
    case Opcode.bxor: return Opcode.bxor_imm;
    case Opcode.ishl: return Opcode.ishl_imm;
    case Opcode.ushr: return Opcode.ushr_imm;
    case Opcode.sshr: return Opcode.sshr_imm;
    case Opcode.rotl: return Opcode.rotl_imm;
    case Opcode.rotr: return Opcode.rotr_imm;
    case Opcode.icmp: return Opcode.icmp_imm;
    default: return -1;
  }
}
