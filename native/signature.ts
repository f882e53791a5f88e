// Native signatures: our small type vocabulary, its JS value forms, and the koffi prototypes behind it.
//
// JS forms (the same for calls into machine code and for callbacks out of it):
//   i32, u32, f32, f64 : number (u32 results are unsigned, 0..2^32-1)
//   i64, u64           : bigint; arguments may also be safe-integer numbers. Results are always bigint (koffi
//                        gives number or bigint depending on magnitude; we normalise so callers stay monomorphic).
//   ptr                : bigint address; arguments may also be a number, null (0), or an ArrayBuffer / typed array /
//                        DataView, which passes the address of its bytes without copying. Results are bigint, 0n for NULL.
//   void               : results only; undefined.

import koffi, { type TypeObject } from 'koffi';

export type NativeType = 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'ptr' | 'void';
export type NativeParamType = Exclude<NativeType, 'void'>;

export interface NativeSignature {
  readonly params: readonly NativeParamType[];
  readonly result: NativeType;
}

/** What may be passed for a pointer argument. */
export type PointerArgument = bigint | number | null | ArrayBuffer | ArrayBufferView;

/** JS type of a value of native type T coming out of native code (a result, or a callback's argument). */
export type JsValueOf<T extends NativeType> =
  T extends 'i64' | 'u64' | 'ptr' ? bigint : T extends 'void' ? undefined : number;

/** JS type accepted for native type T going into native code (an argument, or a callback's result). */
export type JsArgumentOf<T extends NativeType> =
  T extends 'i64' | 'u64' ? bigint | number : T extends 'ptr' ? PointerArgument : T extends 'void' ? void : number;

export type JsArguments<P extends readonly NativeParamType[]> = { -readonly [K in keyof P]: JsArgumentOf<P[K]> };
export type JsValues<P extends readonly NativeParamType[]> = { -readonly [K in keyof P]: JsValueOf<P[K]> };

const KOFFI_TYPE_NAMES: Record<NativeType, string> = {
  i32: 'int32_t',
  u32: 'uint32_t',
  i64: 'int64_t',
  u64: 'uint64_t',
  f32: 'float',
  f64: 'double',
  ptr: 'void *',
  void: 'void',
};

/** Values koffi may hand back as number-or-bigint (or null for pointers): these need normalising. */
export function needsBigIntNormalising(type: NativeType): boolean {
  return type === 'i64' || type === 'u64' || type === 'ptr';
}

/** 'i32,i64->f64': a stable key and a readable name for messages. */
export function signatureKey(sig: NativeSignature): string {
  return `${sig.params.join(',')}->${sig.result}`;
}

/** Throws a TypeError naming `where` if the signature is malformed. */
export function checkSignature(sig: NativeSignature, where: string): void {
  if (sig === null || typeof sig !== 'object' || !Array.isArray(sig.params)) {
    throw new TypeError(`${where}: signature must be { params: NativeType[]; result: NativeType }`);
  }
  for (let i = 0; i < sig.params.length; i++) {
    const type = sig.params[i];
    if (typeof type !== 'string' || !(type in KOFFI_TYPE_NAMES) || type === 'void') {
      throw new TypeError(`${where}: parameter ${i} has invalid type ${String(type)} (expected i32, u32, i64, u64, f32, f64 or ptr)`);
    }
  }
  if (typeof sig.result !== 'string' || !(sig.result in KOFFI_TYPE_NAMES)) {
    throw new TypeError(`${where}: result has invalid type ${String(sig.result)} (expected i32, u32, i64, u64, f32, f64, ptr or void)`);
  }
}

// One koffi prototype per distinct signature, created at first use (never in a call path).
const prototypes = new Map<string, TypeObject>();

/** The koffi prototype for a signature (cached). */
export function koffiPrototype(sig: NativeSignature): TypeObject {
  const key = signatureKey(sig);
  let proto = prototypes.get(key);
  if (proto === undefined) {
    proto = koffi.proto(KOFFI_TYPE_NAMES[sig.result], sig.params.map((type) => KOFFI_TYPE_NAMES[type]));
    prototypes.set(key, proto);
  }
  return proto;
}

/** bigint form of a 64-bit or pointer value from koffi (number, bigint or null). */
export function toBigInt(value: number | bigint | null): bigint {
  if (typeof value === 'bigint') return value;
  return value === null ? 0n : BigInt(value);
}
