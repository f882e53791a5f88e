// Calling machine code at an address from JS.
//
// nativeFunction() builds the koffi caller once and returns it; each call then costs one koffi trip
// (~40-70 ns for small integer signatures on this 2-core machine, see bench-call.ts). Value forms are described in signature.ts.
// The caller must keep the code alive (e.g. not free its CodeRegion) for as long as the function is used.

import koffi from 'koffi';
import { hex } from './libc.js';
import {
  type JsArguments, type JsValueOf, type NativeSignature, checkSignature, koffiPrototype, needsBigIntNormalising, toBigInt,
} from './signature.js';

export type NativeFunction<S extends NativeSignature> = (...args: JsArguments<S['params']>) => JsValueOf<S['result']>;

type RawFunction = (...args: unknown[]) => any;

/**
 * A JS function that calls the System V x86-64 function at `address` with signature `sig`.
 * A JS exception thrown by a callback during the call is rethrown from this function once the machine code returns
 * (the machine code itself saw the callback return 0; see callback.ts).
 */
export function nativeFunction<const S extends NativeSignature>(address: bigint | number, sig: S): NativeFunction<S> {
  checkSignature(sig, 'nativeFunction');
  checkCodeAddress(address, 'nativeFunction');
  const raw = koffi.decode(address, koffiPrototype(sig)) as RawFunction;
  // i32/u32/f32/f64/void results come back from koffi in their final form: hand out koffi's function itself.
  if (!needsBigIntNormalising(sig.result)) return raw as NativeFunction<S>;
  return withBigIntResult(raw, sig.params.length) as NativeFunction<S>;
}

export function checkCodeAddress(address: bigint | number, where: string): void {
  if (typeof address === 'bigint') {
    if (address > 0n && address < 1n << 64n) return;
  } else if (Number.isSafeInteger(address) && address > 0) {
    return;
  }
  throw new TypeError(`${where}: ${typeof address === 'bigint' ? hex(address) : String(address)} is not a code address`);
}

// Fixed-arity wrappers for the common small arities keep the call path free of rest/spread.
function withBigIntResult(raw: RawFunction, arity: number): (...args: any[]) => bigint {
  switch (arity) {
    case 0: return () => toBigInt(raw());
    case 1: return (a: unknown) => toBigInt(raw(a));
    case 2: return (a: unknown, b: unknown) => toBigInt(raw(a, b));
    case 3: return (a: unknown, b: unknown, c: unknown) => toBigInt(raw(a, b, c));
    case 4: return (a: unknown, b: unknown, c: unknown, d: unknown) => toBigInt(raw(a, b, c, d));
    default: return (...args: unknown[]) => toBigInt(raw(...args));
  }
}
