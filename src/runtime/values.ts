/**
 * Value conversions of the WebAssembly JS API (ToWebAssemblyValue / ToJSValue) and the 16-byte value slots that
 * carry values between JS and machine code (entry trampolines, import stubs).
 *
 * Slot contents: i32/f32 in the low 4 bytes, i64/f64 in 8 bytes, references as 64-bit integers: an externref handle
 * (externref.ts) or a VMFuncRef address (0 is null for both).
 *
 * Conversion happens in two steps so that user code run by a conversion (valueOf, toString, Symbol.toPrimitive) can
 * never observe or clobber half-written slots: first every JS value is converted to a *raw* value (number for i32,
 * f32, f64 and references; bigint for i64), then the raw values are written.
 */
import { ValType, valTypeName } from '../frontend/value-types.js';
import { externrefToHandle, handleToExternref } from './externref.js';
import { funcRefAt, funcRefOfFunction } from './funcrefs.js';
import { exportedFunctionOf } from './exported-function.js';

export type RawValue = number | bigint;

// Typed-array stores perform exactly the JS API's conversions: ToBigInt64 (TypeError for Number, SyntaxError for a
// malformed string) and ToNumber + rounding to f32 (TypeError for BigInt).
const I64_SCRATCH = new BigInt64Array(1);
const F32_SCRATCH = new Float32Array(1);
const TWO_POW_32 = 4294967296;

/** ToWebAssemblyValue(value, type) in raw form. Throws TypeError as the JS API does. */
export function toRawValue(type: number, value: unknown): RawValue {
  switch (type) {
    case ValType.I32:
      return (value as number) | 0;
    case ValType.I64:
      if (typeof value === 'bigint') return BigInt.asIntN(64, value);
      I64_SCRATCH[0] = value as bigint;
      return I64_SCRATCH[0]!;
    case ValType.F32:
      F32_SCRATCH[0] = value as number;
      return F32_SCRATCH[0]!;
    case ValType.F64:
      return +(value as number);
    case ValType.EXTERNREF:
      return externrefToHandle(value);
    case ValType.FUNCREF: {
      if (value === null) return 0;
      const info = funcRefOfFunction(value);
      if (info === undefined) throw new TypeError('a funcref must be null or an exported WebAssembly function');
      return info.address;
    }
    default:
      throw new TypeError(`values of type ${valTypeName(type)} cannot be passed between JavaScript and WebAssembly`);
  }
}

/** ToJSValue of a raw value. */
export function fromRawValue(type: number, raw: RawValue): unknown {
  switch (type) {
    case ValType.EXTERNREF:
      return handleToExternref(raw as number);
    case ValType.FUNCREF:
      return funcRefToJs(raw as number);
    default:
      return raw;
  }
}

/** The JS function for a VMFuncRef address (null for 0). */
export function funcRefToJs(address: number): unknown {
  if (address === 0) return null;
  const info = funcRefAt(address);
  if (info === undefined) throw new Error(`funcref 0x${address.toString(16)} is not a function reference the runtime created`);
  return exportedFunctionOf(info);
}

/** Writes a raw value into the slot at byte offset `at`. */
export function writeSlot(view: DataView, at: number, type: number, raw: RawValue): void {
  switch (type) {
    case ValType.I32:
      view.setInt32(at, raw as number, true);
      return;
    case ValType.I64:
      view.setBigInt64(at, raw as bigint, true);
      return;
    case ValType.F32:
      view.setFloat32(at, raw as number, true);
      return;
    case ValType.F64:
      view.setFloat64(at, raw as number, true);
      return;
    default: {
      // References: handles and addresses are non-negative and below 2^53.
      const n = raw as number;
      view.setUint32(at, n % TWO_POW_32, true);
      view.setUint32(at + 4, Math.floor(n / TWO_POW_32), true);
    }
  }
}

/** Reads the raw value in the slot at byte offset `at`. */
export function readSlot(view: DataView, at: number, type: number): RawValue {
  switch (type) {
    case ValType.I32:
      return view.getInt32(at, true);
    case ValType.I64:
      return view.getBigInt64(at, true);
    case ValType.F32:
      return view.getFloat32(at, true);
    case ValType.F64:
      return view.getFloat64(at, true);
    default:
      return view.getUint32(at, true) + view.getUint32(at + 4, true) * TWO_POW_32;
  }
}

/** ToJSValue of the slot at `at`. */
export function readSlotAsJs(view: DataView, at: number, type: number): unknown {
  return fromRawValue(type, readSlot(view, at, type));
}

/** The JS API's default value of a type (the value used when a Global is created without one, etc.). */
export function defaultRawValue(type: number): RawValue {
  return type === ValType.I64 ? 0n : 0;
}
