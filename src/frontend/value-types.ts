/**
 * Wasm 2.0 value types as small dense integers, so that tables indexed by type are plain typed arrays and the
 * validator's operand stack is a Uint8Array. The binary format's codes (0x7F i32 … 0x6F externref) appear only at the
 * decoding boundary (valTypeFromCode / VAL_TYPE_CODE).
 */
export const enum ValType {
  I32 = 0,
  I64 = 1,
  F32 = 2,
  F64 = 3,
  V128 = 4,
  FUNCREF = 5,
  EXTERNREF = 6,
  /** Validator-only: the bottom type of an unreachable (polymorphic) stack; never appears in a module. */
  UNKNOWN = 7,
  /** Sentinel for "no type" in tables (e.g. an operator with no result). */
  NONE = 255,
}

/** Number of real value types (I32 … EXTERNREF). */
export const VAL_TYPE_COUNT = 7;

/** Text-format names, indexed by ValType. */
export const VAL_TYPE_NAMES: readonly string[] = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref', '(unknown)'];

/** Binary-format code of each value type, indexed by ValType. */
export const VAL_TYPE_CODE: readonly number[] = [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f];

/** Binary code → ValType, or -1 when the byte is not a Wasm 2.0 value type. */
const CODE_TO_VAL_TYPE = new Int8Array(256).fill(-1);
for (let t = 0; t < VAL_TYPE_COUNT; t++) CODE_TO_VAL_TYPE[VAL_TYPE_CODE[t]] = t;

/** Decodes a value type byte; returns -1 when the byte is not a value type. */
export function valTypeFromCode(code: number): number {
  return CODE_TO_VAL_TYPE[code & 0xff];
}

export function valTypeName(t: number): string {
  if (t === ValType.NONE) return '(none)';
  return VAL_TYPE_NAMES[t] ?? `(type ${t})`;
}

export function isRefType(t: number): boolean {
  return t === ValType.FUNCREF || t === ValType.EXTERNREF;
}

export function isNumType(t: number): boolean {
  return t <= ValType.F64;
}

/**
 * Block types as the reader reports them (`OperatorReader.blockType`): the binary format's s33. A value ≥ 0 is a type
 * index; BLOCK_TYPE_EMPTY means no params and no results; any other negative value is a single result whose type is
 * `blockTypeValType(bt)`.
 */
export const BLOCK_TYPE_EMPTY = -64;

/** For a single-result block type (negative, not BLOCK_TYPE_EMPTY): its ValType. */
export function blockTypeValType(blockType: number): number {
  return CODE_TO_VAL_TYPE[blockType & 0x7f];
}

/** Byte size of each value type's storage, indexed by ValType (refs as pointers). */
export const VAL_TYPE_BYTE_SIZE: readonly number[] = [4, 8, 4, 8, 16, 8, 8];
