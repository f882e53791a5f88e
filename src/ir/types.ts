/**
 * IR value types, as small integers so they fit a Uint8Array column.
 *
 * Only the four wasm number types exist as values; narrow widths (8/16/32-bit memory accesses) live in the
 * load/store opcodes instead (`uload8`, `istore16`, ...). `NONE` marks "no type" (an instruction without a
 * single controlling type, such as `store`, `jump` or a call).
 */
export type Type = number;

export const NONE_TYPE = 0;
export const I32 = 1;
export const I64 = 2;
export const F32 = 3;
export const F64 = 4;
/** Reserved for SIMD; no opcode accepts it yet. */
export const V128 = 5;

/** Number of type codes (for sizing tables indexed by type). */
export const TYPE_COUNT = 6;

const TYPE_NAMES = ['none', 'i32', 'i64', 'f32', 'f64', 'v128'];

export function typeName(t: Type): string {
  return TYPE_NAMES[t] ?? `type?${t}`;
}

/** Parses `i32`, `i64`, `f32`, `f64`, `v128`; returns NONE_TYPE for anything else. */
export function parseType(name: string): Type {
  switch (name) {
    case 'i32': return I32;
    case 'i64': return I64;
    case 'f32': return F32;
    case 'f64': return F64;
    case 'v128': return V128;
    default: return NONE_TYPE;
  }
}

export function isInt(t: Type): boolean {
  return t === I32 || t === I64;
}

export function isFloat(t: Type): boolean {
  return t === F32 || t === F64;
}

/** Width in bits (0 for NONE_TYPE). */
export function typeBits(t: Type): number {
  switch (t) {
    case I32: case F32: return 32;
    case I64: case F64: return 64;
    case V128: return 128;
    default: return 0;
  }
}

/** The pointer type of this target (x86-64): addresses, vmctx and call_indirect callees are i64. */
export const POINTER_TYPE = I64;
