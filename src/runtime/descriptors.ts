/** Argument handling shared by the JS-API classes (Memory, Table, Global): WebIDL conversions and type names. */
import { ValType } from '../frontend/value-types.js';

/** WebIDL `[EnforceRange] unsigned long`: TypeError for NaN, ±Infinity or values outside [0, 2^32 − 1]. */
export function enforceU32(value: unknown, where: string, what: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`${where}: ${what} must be convertible to a valid number`);
  const t = Math.trunc(n);
  if (t < 0 || t > 0xffff_ffff) throw new TypeError(`${where}: ${what} must be in the unsigned long range`);
  return t === 0 ? 0 : t;
}

/** Reads an optional descriptor property: undefined when absent, else enforceU32. */
export function optionalU32(descriptor: Record<string, unknown>, name: string, where: string): number | undefined {
  const value = descriptor[name];
  return value === undefined ? undefined : enforceU32(value, where, `property '${name}'`);
}

export function requireDescriptor(descriptor: unknown, where: string): Record<string, unknown> {
  if (descriptor === null || (typeof descriptor !== 'object' && typeof descriptor !== 'function')) {
    throw new TypeError(`${where}: Argument 0 must be a descriptor object`);
  }
  return descriptor as Record<string, unknown>;
}

/** JS API value type names → ValType ('anyfunc' is the legacy name of funcref), or -1. */
export function parseValueTypeName(name: unknown): number {
  switch (name) {
    case 'i32':
      return ValType.I32;
    case 'i64':
      return ValType.I64;
    case 'f32':
      return ValType.F32;
    case 'f64':
      return ValType.F64;
    case 'v128':
      return ValType.V128;
    case 'anyfunc':
    case 'funcref':
      return ValType.FUNCREF;
    case 'externref':
      return ValType.EXTERNREF;
    default:
      return -1;
  }
}
