/**
 * Values of spec-test commands, as exact bit patterns.
 *
 * wast2json writes i32/i64 as unsigned decimal strings, f32/f64 as the unsigned decimal of their IEEE bit pattern and
 * v128 as an array of lane strings with a `lane_type`. Keeping every number as its bit pattern (never as a JS float)
 * is what lets an engine with a raw-bits channel carry NaN payloads through a call and lets results be compared
 * bit for bit (-0 ≠ +0, one NaN ≠ another).
 */

export type NumType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
export type RefType = 'funcref' | 'externref';
export type WastType = NumType | RefType;
export type LaneType = 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64';

/** A number or vector: `bits` is the unsigned bit pattern, as wide as the type (32, 64 or 128 bits). */
export interface NumValue {
  readonly type: NumType;
  readonly bits: bigint;
}

/**
 * A reference: `ref` is null, or an identity. For externref the identity is the script's host-reference number
 * (`ref.extern N`); for funcref it is whatever identity the engine gives a function (only null is ever written).
 */
export interface RefValue {
  readonly type: RefType;
  readonly ref: number | null;
}

export type WastValue = NumValue | RefValue;

/** Thrown for a value the runner cannot read: names the offending JSON so the failure says where it is. */
export class WastValueError extends Error {
  override readonly name = 'WastValueError';
}

const BIT_WIDTH: Record<NumType, number> = { i32: 32, i64: 64, f32: 32, f64: 64, v128: 128 };
export const LANE_BITS: Record<LaneType, number> = { i8: 8, i16: 16, i32: 32, i64: 64, f32: 32, f64: 64 };
const LANE_TYPES: readonly string[] = Object.keys(LANE_BITS);

export function isNumType(type: string): type is NumType {
  return type === 'i32' || type === 'i64' || type === 'f32' || type === 'f64' || type === 'v128';
}

export function isRefType(type: string): type is RefType {
  return type === 'funcref' || type === 'externref';
}

export function isLaneType(type: string): type is LaneType {
  return LANE_TYPES.includes(type);
}

export function bitWidth(type: NumType): number {
  return BIT_WIDTH[type];
}

export function isNumValue(value: WastValue): value is NumValue {
  return isNumType(value.type);
}

export function numValue(type: NumType, bits: bigint): NumValue {
  return { type, bits: BigInt.asUintN(BIT_WIDTH[type], bits) };
}

export function refValue(type: RefType, ref: number | null): RefValue {
  return { type, ref };
}

const UNSIGNED_DECIMAL = /^[0-9]+$/;

/** An unsigned decimal string of at most `bits` bits (wast2json's form for every number). */
export function parseUnsigned(text: unknown, bits: number, what: string): bigint {
  if (typeof text !== 'string' || !UNSIGNED_DECIMAL.test(text)) {
    throw new WastValueError(`${what}: expected an unsigned decimal string, got ${JSON.stringify(text)}`);
  }
  const value = BigInt(text);
  if (value >> BigInt(bits) !== 0n) throw new WastValueError(`${what}: ${text} does not fit in ${bits} bits`);
  return value;
}

/** The JSON form of one value as wast2json writes it in `args` and `expected`. */
export interface JsonValue {
  readonly type: string;
  readonly value?: string | readonly string[];
  readonly lane_type?: string;
}

/** Packs lanes (lane 0 first, as in the text format) into a 128-bit little-endian vector. */
export function packLanes(laneType: LaneType, lanes: readonly bigint[]): bigint {
  const width = LANE_BITS[laneType];
  let bits = 0n;
  for (let i = lanes.length - 1; i >= 0; i--) bits = (bits << BigInt(width)) | BigInt.asUintN(width, lanes[i]!);
  return bits;
}

/** Splits a 128-bit vector into its lanes, lane 0 first. */
export function unpackLanes(laneType: LaneType, bits: bigint): bigint[] {
  const width = LANE_BITS[laneType];
  const lanes: bigint[] = [];
  for (let shift = 0; shift < 128; shift += width) lanes.push(BigInt.asUintN(width, bits >> BigInt(shift)));
  return lanes;
}

function laneTypeOf(json: JsonValue, what: string): LaneType {
  const laneType = json.lane_type;
  if (laneType === undefined || !isLaneType(laneType)) {
    throw new WastValueError(`${what}: v128 needs a lane_type of i8|i16|i32|i64|f32|f64, got ${JSON.stringify(laneType)}`);
  }
  return laneType;
}

function laneStrings(json: JsonValue, laneType: LaneType, what: string): readonly string[] {
  const lanes = json.value;
  const count = 128 / LANE_BITS[laneType];
  if (!Array.isArray(lanes) || lanes.length !== count) {
    throw new WastValueError(`${what}: v128 ${laneType} needs ${count} lane strings, got ${JSON.stringify(lanes)}`);
  }
  return lanes as readonly string[];
}

/** Parses an argument (a concrete value: no NaN patterns). `what` names it in errors, e.g. "line 12 arg 0". */
export function parseValue(json: JsonValue, what: string): WastValue {
  const type = json.type;
  if (isRefType(type)) return refValue(type, parseRef(json.value, what));
  if (!isNumType(type)) throw new WastValueError(`${what}: unknown value type ${JSON.stringify(type)}`);
  if (type !== 'v128') return { type, bits: parseUnsigned(json.value, BIT_WIDTH[type], what) };
  const laneType = laneTypeOf(json, what);
  const lanes = laneStrings(json, laneType, what).map((lane, i) =>
    parseUnsigned(lane, LANE_BITS[laneType], `${what} lane ${i}`),
  );
  return { type, bits: packLanes(laneType, lanes) };
}

function parseRef(text: unknown, what: string): number | null {
  if (text === 'null') return null;
  if (typeof text === 'string' && UNSIGNED_DECIMAL.test(text)) return Number(text);
  throw new WastValueError(`${what}: a reference is "null" or a host-reference number, got ${JSON.stringify(text)}`);
}

const SCRATCH = new DataView(new ArrayBuffer(8));

/** The f32 with this bit pattern, as a JS number (a NaN's payload may not survive what the caller does next). */
export function f32FromBits(bits: bigint | number): number {
  SCRATCH.setUint32(0, Number(BigInt.asUintN(32, BigInt(bits))));
  return SCRATCH.getFloat32(0);
}

export function f32Bits(value: number): bigint {
  SCRATCH.setFloat32(0, value);
  return BigInt(SCRATCH.getUint32(0));
}

export function f64FromBits(bits: bigint): number {
  SCRATCH.setBigUint64(0, BigInt.asUintN(64, bits));
  return SCRATCH.getFloat64(0);
}

export function f64Bits(value: number): bigint {
  SCRATCH.setFloat64(0, value);
  return SCRATCH.getBigUint64(0);
}

function hex(bits: bigint, width: number): string {
  return `0x${bits.toString(16).padStart(width / 4, '0')}`;
}

function floatText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** One lane or scalar for messages: integers unsigned (signed in brackets when negative), floats as value and bits. */
export function formatBits(type: LaneType, bits: bigint): string {
  switch (type) {
    case 'f32':
      return `${floatText(f32FromBits(bits))} (${hex(bits, 32)})`;
    case 'f64':
      return `${floatText(f64FromBits(bits))} (${hex(bits, 64)})`;
    default: {
      const width = LANE_BITS[type];
      const signed = BigInt.asIntN(width, bits);
      return signed < 0n ? `${bits} (${signed})` : String(bits);
    }
  }
}

/** A value for failure messages, e.g. `i32:4294967295 (-1)`, `f32:NaN (0x7fa00000)`, `v128:i32x4[1 2 3 4]`. */
export function formatValue(value: WastValue, laneType: LaneType = 'i32'): string {
  if (!isNumValue(value)) return `${value.type}:${value.ref === null ? 'null' : `ref ${value.ref}`}`;
  if (value.type === 'v128') {
    const lanes = unpackLanes(laneType, value.bits).map((lane) => formatBits(laneType, lane));
    return `v128:${laneType}x${lanes.length}[${lanes.join(' ')}]`;
  }
  return `${value.type}:${formatBits(value.type, value.bits)}`;
}
