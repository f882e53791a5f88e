/**
 * Wasm values as they cross the JS API, written as exact strings for traces, and the deterministic arguments the
 * harness passes.
 *
 * What the JS API lets us observe, and so what "bit-exact" means here:
 * - i32 arrives as a Number, i64 as a BigInt: both exact.
 * - f64 arrives as a Number; it is recorded by its 64 bits when NaN (payload and sign included), else by its shortest
 *   round-trip decimal (exact, with -0 kept). f32 arrives widened to f64: exact for every non-NaN value; a NaN's
 *   payload survives widening but a signalling NaN may come back quieted, which the JS API allows.
 * - externref is compared by identity against the tokens the harness passed in; funcref only as null or a function
 *   with its `name` (the JS API names exported functions by their function index) and `length`.
 * - Memory contents are hashed byte for byte (memory-hash.ts): that channel is fully bit-exact, NaNs included.
 */
import { ValType, valTypeName } from '../../src/frontend/index.js';
import type { Prng } from './prng.js';

const f64Scratch = new Float64Array(1);
const f64Bits = new BigUint64Array(f64Scratch.buffer);

/** Hex of the IEEE-754 bits of a Number (as the f64 it is). */
export function f64BitsHex(x: number): string {
  f64Scratch[0] = x;
  return f64Bits[0].toString(16).padStart(16, '0');
}

function encodeFloat(x: number): string {
  if (Number.isNaN(x)) return `nan:0x${f64BitsHex(x)}`;
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** Objects standing for host references: passed as externref arguments, recognised in externref results. */
export class ExternTokens {
  private readonly tokens: object[] = [];

  token(index: number): object {
    while (this.tokens.length <= index) this.tokens.push(Object.freeze({ externToken: this.tokens.length }));
    return this.tokens[index];
  }

  describe(value: unknown): string {
    if (value === null) return 'null';
    const index = this.tokens.indexOf(value as object);
    return index >= 0 ? `token#${index}` : `foreign(${typeof value})`;
  }
}

/** Exact text of a value of wasm type `type` as received from the JS API. */
export function encodeValue(type: number, value: unknown, externs: ExternTokens): string {
  const name = valTypeName(type);
  switch (type) {
    case ValType.I32:
      return typeof value === 'number' && (value | 0) === value ? `i32:${value}` : `i32:bad(${typeof value} ${String(value)})`;
    case ValType.I64:
      return typeof value === 'bigint' ? `i64:${BigInt.asIntN(64, value)}` : `i64:bad(${typeof value})`;
    case ValType.F32:
    case ValType.F64:
      return typeof value === 'number' ? `${name}:${encodeFloat(value)}` : `${name}:bad(${typeof value})`;
    case ValType.EXTERNREF:
      return `externref:${externs.describe(value)}`;
    case ValType.FUNCREF:
      if (value === null) return 'funcref:null';
      if (typeof value === 'function') return `funcref:func(name=${value.name},length=${value.length})`;
      return `funcref:bad(${typeof value})`;
    default:
      return `${name}:unsupported`;
  }
}

/** Encodes what an export call returned: undefined for no results, the value for one, an array for several. */
export function encodeResults(types: Uint8Array, returned: unknown, externs: ExternTokens): string[] {
  if (types.length === 0) return returned === undefined ? [] : [`unexpected(${typeof returned})`];
  if (types.length === 1) return [encodeValue(types[0], returned, externs)];
  if (!Array.isArray(returned) || returned.length !== types.length) return [`unexpected(${typeof returned})`];
  const out: string[] = [];
  for (let i = 0; i < types.length; i++) out.push(encodeValue(types[i], returned[i], externs));
  return out;
}

const I32_SPECIAL = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 0xff, 0x10000, -7];
const I64_SPECIAL = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x100000000n, 0xffffffffn];
const F64_SPECIAL = [0, -0, 1, -1.5, 0.5, 1e300, -1e-300, 5e-324, Infinity, -Infinity, 2 ** 31, -(2 ** 63)];
const F32_SPECIAL = [0, -0, 1, -1.5, 0.5, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity, 2 ** 31];

/** Whether the harness can pass and observe this type (v128 cannot cross the JS API). */
export function isCallableType(type: number): boolean {
  return type !== ValType.V128;
}

/**
 * A deterministic argument of wasm type `type`: half the time a boundary value, else a random one. NaN is never
 * passed (its payload would go through a JS Number on the way in). Externrefs are null or token 0..2.
 */
export function chooseArgument(type: number, prng: Prng, externs: ExternTokens): unknown {
  const special = prng.below(2) === 0;
  switch (type) {
    case ValType.I32:
      return special ? prng.pick(I32_SPECIAL) : prng.nextU32() | 0;
    case ValType.I64:
      return special ? prng.pick(I64_SPECIAL) : BigInt.asIntN(64, (BigInt(prng.nextU32()) << 32n) | BigInt(prng.nextU32()));
    case ValType.F32:
      return special ? prng.pick(F32_SPECIAL) : Math.fround(((prng.nextU32() | 0) / 0x10000) * 0.75);
    case ValType.F64:
      return special ? prng.pick(F64_SPECIAL) : ((prng.nextU32() | 0) / 0x1000) * 1.25;
    case ValType.EXTERNREF: {
      const k = prng.below(4);
      return k === 3 ? null : externs.token(k);
    }
    case ValType.FUNCREF:
      return null;
    default:
      throw new Error(`chooseArgument: type ${valTypeName(type)} cannot be passed through the JS API`);
  }
}
