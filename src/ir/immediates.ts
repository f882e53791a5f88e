/**
 * Text forms of immediates: 64-bit integers held as two int32 halves (no BigInt on the hot path) and floats
 * held as bit patterns (so NaN payloads survive). Shared by the printer and the parser.
 */
import { I32 } from './types.js';

const f32Buf = new Float32Array(1);
const f32BitsView = new Int32Array(f32Buf.buffer);
const f64Buf = new Float64Array(1);
const f64BitsView = new Int32Array(f64Buf.buffer);

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * An integer immediate of type `type`: signed decimal when it fits in 32 bits (all i32 values), otherwise
 * `0x` + 16 hex digits (the two's-complement bit pattern).
 */
export function formatImm(lo: number, hi: number, type: number): string {
  if (type === I32 || hi === lo >> 31) return String(lo | 0);
  return '0x' + hex8(hi) + hex8(lo);
}

/** Result of parsing an integer: the two halves, or ok = false. */
export interface ParsedInt {
  ok: boolean;
  lo: number;
  hi: number;
}

/**
 * Parses a decimal (optionally signed) or `0x` hex integer into 64-bit halves, wrapping modulo 2^64. Accepts
 * `_` separators in hex. Fails on anything that does not fit in 64 bits (signed or unsigned).
 */
export function parseInt64(text: string, out: ParsedInt): boolean {
  out.ok = false;
  let s = text;
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  let big: bigint;
  if (/^0x[0-9a-fA-F_]+$/.test(s)) big = BigInt('0x' + s.slice(2).replace(/_/g, ''));
  else if (/^[0-9]+$/.test(s)) big = BigInt(s);
  else return false;
  if (big > 0xffffffffffffffffn) return false;
  if (neg) {
    if (big > 0x8000000000000000n) return false;
    big = -big;
  }
  const u = BigInt.asUintN(64, big);
  out.lo = Number(u & 0xffffffffn) | 0;
  out.hi = Number(u >> 32n) | 0;
  out.ok = true;
  return true;
}

/** Float text with a guaranteed `.`/exponent, e.g. `1.0`, `-0.0`, `1.5e-7`. `isF32` picks the shortest f32 text. */
function finiteText(x: number, isF32: boolean): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let s = String(x); // shortest text that reads back as the same f64
  if (isF32) {
    // Shortest text that reads back as the same f32 (0.1, not 0.10000000149011612).
    for (let p = 1; p < 17; p++) {
      const t = x.toPrecision(p);
      if (Math.fround(Number(t)) === x) {
        s = String(Number(t));
        break;
      }
    }
  }
  if (!/[.e]/.test(s)) s += '.0';
  return s;
}

/** f32 bit pattern -> text (`1.5`, `-inf`, `nan`, `nan:0x200000`, ...). */
export function formatF32(bits: number): string {
  const sign = bits < 0 ? '-' : '';
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    if (mant === 0) return sign + 'inf';
    if (mant === 0x400000) return sign + 'nan';
    return sign + 'nan:0x' + mant.toString(16);
  }
  f32BitsView[0] = bits;
  const x = f32Buf[0]!;
  return finiteText(x, true);
}

/** f64 bit pattern (lo, hi) -> text. */
export function formatF64(lo: number, hi: number): string {
  const sign = hi < 0 ? '-' : '';
  const exp = (hi >>> 20) & 0x7ff;
  const mantHi = hi & 0xfffff;
  if (exp === 0x7ff) {
    if (mantHi === 0 && lo === 0) return sign + 'inf';
    if (mantHi === 0x80000 && lo === 0) return sign + 'nan';
    const mant = BigInt(mantHi) * 4294967296n + BigInt(lo >>> 0);
    return sign + 'nan:0x' + mant.toString(16);
  }
  f64BitsView[0] = lo;
  f64BitsView[1] = hi;
  const x = f64Buf[0]!;
  return finiteText(x, false);
}

const FLOAT_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses f32 text into its bit pattern; returns null when the text is not a float. */
export function parseF32(text: string): number | null {
  const special = parseSpecial(text, 23, 0xff);
  if (special !== null) return Number(special & 0xffffffffn) | 0;
  if (!FLOAT_RE.test(text)) return null;
  f32Buf[0] = Number(text);
  return f32BitsView[0]!;
}

/** Parses f64 text into [lo, hi] bits; returns null when the text is not a float. */
export function parseF64(text: string): [number, number] | null {
  const special = parseSpecial(text, 52, 0x7ff);
  if (special !== null) return [Number(special & 0xffffffffn) | 0, Number((special >> 32n) & 0xffffffffn) | 0];
  if (!FLOAT_RE.test(text)) return null;
  f64Buf[0] = Number(text);
  return [f64BitsView[0]!, f64BitsView[1]!];
}

/** inf / nan / nan:0xPAYLOAD (with optional sign) as a bit pattern, or null. */
function parseSpecial(text: string, mantBits: number, expMax: number): bigint | null {
  let s = text;
  let sign = 0n;
  if (s.startsWith('-')) {
    sign = 1n;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const totalBits = BigInt(mantBits + (mantBits === 23 ? 9 : 12));
  const expField = BigInt(expMax) << BigInt(mantBits);
  const signField = sign << (totalBits - 1n);
  if (s === 'inf') return signField | expField;
  if (s === 'nan') return signField | expField | (1n << BigInt(mantBits - 1));
  const m = /^nan:0x([0-9a-fA-F]+)$/.exec(s);
  if (m) {
    const payload = BigInt('0x' + m[1]);
    if (payload === 0n || payload >= 1n << BigInt(mantBits)) return null;
    return signField | expField | payload;
  }
  return null;
}
