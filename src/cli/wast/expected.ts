/**
 * Expected results of `assert_return`, and matching an actual result against them bit for bit.
 *
 * NaN rules (spec, "NaN propagation"): a canonical NaN has an all-ones exponent and only the top fraction bit set
 * (either sign); an arithmetic NaN has the top fraction bit set, any other fraction bits (either sign). Every other
 * float is compared by bit pattern, so -0 and +0 differ and a specific NaN payload must be exact.
 */
import {
  LANE_BITS,
  WastValueError,
  formatBits,
  formatValue,
  isLaneType,
  isNumType,
  isNumValue,
  isRefType,
  parseUnsigned,
  parseValue,
  unpackLanes,
  type JsonValue,
  type LaneType,
  type RefType,
  type WastValue,
} from './values.js';

export type NanKind = 'canonical' | 'arithmetic';

/** One scalar or lane of an expectation: exact bits, or a NaN class (floats only). */
export type BitsPattern = { readonly nan: null; readonly bits: bigint } | { readonly nan: NanKind; readonly bits: 0n };

export type ExpectedValue =
  /** A number (i32/i64/f32/f64) or reference compared exactly; for floats `pattern` may be a NaN class. */
  | { readonly kind: 'scalar'; readonly type: 'i32' | 'i64' | 'f32' | 'f64'; readonly pattern: BitsPattern }
  /** A v128 compared lane by lane in the lane type the script wrote, so f32/f64 lanes may be NaN classes. */
  | { readonly kind: 'lanes'; readonly type: 'v128'; readonly laneType: LaneType; readonly lanes: readonly BitsPattern[] }
  /** `ref.null` or `ref.extern N`: the exact reference. */
  | { readonly kind: 'ref'; readonly type: RefType; readonly ref: number | null }
  /** `(ref.extern)` / `(ref.func)` with no value: any non-null reference of the type. */
  | { readonly kind: 'nonNullRef'; readonly type: RefType };

const NAN_PREFIX = 'nan:';

function parsePattern(text: unknown, laneType: LaneType, what: string): BitsPattern {
  if (typeof text === 'string' && text.startsWith(NAN_PREFIX)) {
    const nan = text.slice(NAN_PREFIX.length);
    if ((nan === 'canonical' || nan === 'arithmetic') && (laneType === 'f32' || laneType === 'f64')) {
      return { nan, bits: 0n };
    }
    throw new WastValueError(`${what}: ${JSON.stringify(text)} is not a NaN class of ${laneType}`);
  }
  return { nan: null, bits: parseUnsigned(text, LANE_BITS[laneType], what) };
}

/** Parses one entry of `expected`. `what` names it in errors. */
export function parseExpected(json: JsonValue, what: string): ExpectedValue {
  const type = json.type;
  if (isRefType(type)) {
    if (json.value === undefined) return { kind: 'nonNullRef', type };
    const value = parseValue(json, what);
    return { kind: 'ref', type, ref: isNumValue(value) ? null : value.ref };
  }
  if (!isNumType(type)) throw new WastValueError(`${what}: unknown value type ${JSON.stringify(type)}`);
  if (type !== 'v128') return { kind: 'scalar', type, pattern: parsePattern(json.value, type, what) };
  const laneType = json.lane_type;
  if (laneType === undefined || !isLaneType(laneType)) {
    throw new WastValueError(`${what}: v128 needs a lane_type, got ${JSON.stringify(laneType)}`);
  }
  const count = 128 / LANE_BITS[laneType];
  if (!Array.isArray(json.value) || json.value.length !== count) {
    throw new WastValueError(`${what}: v128 ${laneType} needs ${count} lanes, got ${JSON.stringify(json.value)}`);
  }
  const lanes = (json.value as readonly string[]).map((lane, i) => parsePattern(lane, laneType, `${what} lane ${i}`));
  return { kind: 'lanes', type, laneType, lanes };
}

const F32_EXPONENT_AND_QUIET = 0x7fc00000n;
const F32_MAGNITUDE = 0x7fffffffn;
const F64_EXPONENT_AND_QUIET = 0x7ff8000000000000n;
const F64_MAGNITUDE = 0x7fffffffffffffffn;

/** Whether the bits of an f32 (`width` 32) or f64 (64) are a NaN of the given class. */
export function isNanOfKind(bits: bigint, width: 32 | 64, nan: NanKind): boolean {
  const quietNan = width === 32 ? F32_EXPONENT_AND_QUIET : F64_EXPONENT_AND_QUIET;
  if (nan === 'canonical') return (bits & (width === 32 ? F32_MAGNITUDE : F64_MAGNITUDE)) === quietNan;
  return (bits & quietNan) === quietNan;
}

function patternMatches(pattern: BitsPattern, laneType: LaneType, bits: bigint): boolean {
  if (pattern.nan === null) return pattern.bits === bits;
  return isNanOfKind(bits, LANE_BITS[laneType] as 32 | 64, pattern.nan);
}

/**
 * Whether `actual` is the expected scalar NaN with its quiet bit set: what becomes of a signalling NaN that goes
 * through a JS number (V8 converts f32 → f64 and boxes f64 with instructions that quiet it, keeping sign and payload).
 */
export function isQuietedNan(expected: ExpectedValue, actual: WastValue): boolean {
  if (expected.kind !== 'scalar' || expected.pattern.nan !== null || !isNumValue(actual) || actual.type !== expected.type) {
    return false;
  }
  if (expected.type !== 'f32' && expected.type !== 'f64') return false;
  const width = expected.type === 'f32' ? 32 : 64;
  return isSignallingNan(expected.pattern.bits, width) && actual.bits === (expected.pattern.bits | quietBit(width));
}

function quietBit(width: 32 | 64): bigint {
  return width === 32 ? 0x00400000n : 0x0008000000000000n;
}

/** All-ones exponent, quiet bit clear, some other fraction bit set. */
export function isSignallingNan(bits: bigint, width: 32 | 64): boolean {
  const exponent = width === 32 ? 0x7f800000n : 0x7ff0000000000000n;
  const fraction = width === 32 ? 0x003fffffn : 0x0007ffffffffffffn;
  return (bits & exponent) === exponent && (bits & quietBit(width)) === 0n && (bits & fraction) !== 0n;
}

/** Whether `actual` satisfies `expected`. */
export function matchesExpected(expected: ExpectedValue, actual: WastValue): boolean {
  if (actual.type !== expected.type) return false;
  switch (expected.kind) {
    case 'scalar':
      return isNumValue(actual) && patternMatches(expected.pattern, expected.type, actual.bits);
    case 'lanes': {
      if (!isNumValue(actual)) return false;
      const lanes = unpackLanes(expected.laneType, actual.bits);
      return expected.lanes.every((pattern, i) => patternMatches(pattern, expected.laneType, lanes[i]!));
    }
    case 'ref':
      return !isNumValue(actual) && actual.ref === expected.ref;
    case 'nonNullRef':
      return !isNumValue(actual) && actual.ref !== null;
  }
}

function formatPattern(pattern: BitsPattern, laneType: LaneType): string {
  return pattern.nan === null ? formatBits(laneType, pattern.bits) : `nan:${pattern.nan}`;
}

/** An expectation for messages, in the same form as `formatValue`. */
export function formatExpected(expected: ExpectedValue): string {
  switch (expected.kind) {
    case 'scalar':
      return `${expected.type}:${formatPattern(expected.pattern, expected.type)}`;
    case 'lanes': {
      const lanes = expected.lanes.map((lane) => formatPattern(lane, expected.laneType));
      return `v128:${expected.laneType}x${lanes.length}[${lanes.join(' ')}]`;
    }
    case 'ref':
      return `${expected.type}:${expected.ref === null ? 'null' : `ref ${expected.ref}`}`;
    case 'nonNullRef':
      return `${expected.type}:non-null`;
  }
}

/** An actual value for messages, shown in the expectation's lane type when it is a vector. */
export function formatActual(actual: WastValue, expected: ExpectedValue | undefined): string {
  return formatValue(actual, expected?.kind === 'lanes' ? expected.laneType : 'i32');
}

export interface Comparison {
  /** Null when every value matches, else the first difference (or the count mismatch). */
  readonly mismatch: string | null;
  /** Indexes of results accepted only as quieted NaNs (see `isQuietedNan`); empty unless `acceptQuietedNans`. */
  readonly quieted: readonly number[];
}

/**
 * Compares a whole result list, e.g. mismatch `result 0: expected f32:nan:canonical, got f32:NaN (0x7fa00000)`.
 * `acceptQuietedNans`: the results travelled as JS numbers, which cannot carry a signalling NaN, so a NaN equal to
 * the expected one with its quiet bit set is accepted (and listed in `quieted`).
 */
export function compareResults(
  expected: readonly ExpectedValue[],
  actual: readonly WastValue[],
  acceptQuietedNans = false,
): Comparison {
  if (expected.length !== actual.length) {
    const shown = actual.map((v) => formatValue(v)).join(', ');
    return { mismatch: `expected ${expected.length} result(s), got ${actual.length}: [${shown}]`, quieted: [] };
  }
  const quieted: number[] = [];
  for (let i = 0; i < expected.length; i++) {
    if (matchesExpected(expected[i]!, actual[i]!)) continue;
    if (acceptQuietedNans && isQuietedNan(expected[i]!, actual[i]!)) {
      quieted.push(i);
      continue;
    }
    const mismatch = `result ${i}: expected ${formatExpected(expected[i]!)}, got ${formatActual(actual[i]!, expected[i])}`;
    return { mismatch, quieted };
  }
  return { mismatch: null, quieted };
}
