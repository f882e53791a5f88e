/**
 * What machine code needs to know about a function type: the ABI class and width of each value. Types with the same
 * shape share trampolines and import stubs (i64, funcref and externref all travel as 64-bit integers).
 */
import type { FuncType } from '../frontend/module-info.js';
import { ValType, valTypeName } from '../frontend/value-types.js';
import { AbiClass } from '../x64/abi.js';
import { Assembler, SseOp, isXmm, mem, type Gpr } from '../x64/index.js';

const SHAPE_CHARS = ['i', 'I', 'f', 'F', '', 'I', 'I'];

function checkSupported(type: number): void {
  if (SHAPE_CHARS[type] === undefined || SHAPE_CHARS[type] === '') {
    throw new TypeError(`values of type ${valTypeName(type)} are not supported across the JS boundary yet`);
  }
}

/** Whether machine code can move this type's values through value slots (everything but v128, for now). */
export function hasSlotShape(type: FuncType): boolean {
  for (let i = 0; i < type.params.length; i++) if (SHAPE_CHARS[type.params[i]!] === '') return false;
  for (let i = 0; i < type.results.length; i++) if (SHAPE_CHARS[type.results[i]!] === '') return false;
  return true;
}

/** 'iF:I' for (i32, f64) -> i64: the cache key of trampolines and stubs. Throws TypeError for v128. */
export function shapeKey(type: FuncType): string {
  let key = '';
  for (let i = 0; i < type.params.length; i++) {
    checkSupported(type.params[i]!);
    key += SHAPE_CHARS[type.params[i]!];
  }
  key += ':';
  for (let i = 0; i < type.results.length; i++) {
    checkSupported(type.results[i]!);
    key += SHAPE_CHARS[type.results[i]!];
  }
  return key;
}

export function abiClassOf(type: number): AbiClass {
  return type === ValType.F32 || type === ValType.F64 ? AbiClass.Float : AbiClass.Int;
}

export function abiClasses(types: Uint8Array): number[] {
  return Array.from(types, abiClassOf);
}

/** Loads the value of `type` at [base + at] into `reg` (GPR or XMM chosen by the type's class). */
export function emitLoadValue(a: Assembler, reg: number, base: Gpr, at: number, type: number): void {
  const m = mem(base, at);
  if (type === ValType.F32) a.xmmRM(SseOp.Movss, reg, m);
  else if (type === ValType.F64) a.xmmRM(SseOp.Movsd, reg, m);
  else a.movRM(type === ValType.I32 ? 4 : 8, reg, m);
}

/** Stores `reg` as a value of `type` to [base + at]. */
export function emitStoreValue(a: Assembler, base: Gpr, at: number, reg: number, type: number): void {
  const m = mem(base, at);
  if (isXmm(reg)) a.xmmMR(type === ValType.F32 ? SseOp.Movss : SseOp.Movsd, m, reg);
  else a.movMR(type === ValType.I32 ? 4 : 8, m, reg);
}

export function align16(n: number): number {
  return (n + 15) & ~15;
}

/** Register budget of the direct call paths: wasm passes ints in rsi..r9 after the vmctx, floats in xmm0..7. */
const DIRECT_MAX_INTS = 5;
const DIRECT_MAX_FLOATS = 8;

function isDirectValue(type: number): boolean {
  return type === ValType.I32 || type === ValType.F32 || type === ValType.F64;
}

/**
 * Whether a type can take the direct call paths (direct-entry.ts, direct-import.ts): parameters of i32, f32 and f64
 * only, all in registers on both sides (at most 5 integer-class and 8 float-class), and at most one such result.
 * Values then cross koffi as plain numbers with no value slots; i64 (BigInt), references and multi-value use slots.
 */
export function hasDirectShape(type: FuncType): boolean {
  const { params, results } = type;
  if (results.length > 1 || (results.length === 1 && !isDirectValue(results[0]!))) return false;
  let ints = 0;
  let floats = 0;
  for (let i = 0; i < params.length; i++) {
    const t = params[i]!;
    if (!isDirectValue(t)) return false;
    if (t === ValType.I32) ints++;
    else floats++;
  }
  return ints <= DIRECT_MAX_INTS && floats <= DIRECT_MAX_FLOATS;
}

/** The native (koffi) type of a direct-path value. */
export function directNativeType(type: number): 'i32' | 'f32' | 'f64' {
  return type === ValType.I32 ? 'i32' : type === ValType.F32 ? 'f32' : 'f64';
}
