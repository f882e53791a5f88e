// JS functions as C-callable function pointers (koffi registered callbacks).
//
// The pointer may be called by machine code at any time until unregister(), synchronously on the JS thread
// (from inside a nativeFunction call); a callback may itself call back into machine code, to any depth the stack
// allows. Value forms are described in signature.ts. koffi allows at most 8192 live callbacks.
//
// Exceptions: if the JS function throws, koffi returns 0 (or 0.0 / NULL) to the machine code, which carries on,
// and the exception is rethrown into JS when the nativeFunction call that entered that machine code returns. Code that
// must not run on with a made-up 0 (e.g. wasm import stubs) should catch inside the callback and report the failure
// explicitly (e.g. return a trap code).

import koffi from 'koffi';
import {
  type JsArgumentOf, type JsValues, type NativeSignature, checkSignature, koffiPrototype, needsBigIntNormalising, signatureKey, toBigInt,
} from './signature.js';

export type CallbackFunction<S extends NativeSignature> = (...args: JsValues<S['params']>) => JsArgumentOf<S['result']>;

export interface NativeCallback {
  /** The C function pointer. */
  readonly address: bigint;
  /** The same address as a number. */
  readonly addressNumber: number;
  /** False once unregistered. */
  readonly registered: boolean;
  /** Releases the pointer (idempotent). Machine code must not call it afterwards. */
  unregister(): void;
}

class RegisteredCallback implements NativeCallback {
  readonly address: bigint;
  readonly addressNumber: number;
  private live = true;

  constructor(address: bigint) {
    this.address = address;
    this.addressNumber = Number(address);
  }

  get registered(): boolean {
    return this.live;
  }

  unregister(): void {
    if (!this.live) return;
    this.live = false;
    koffi.unregister(this.address);
  }
}

/** Registers `fn` as a native function pointer with signature `sig`. */
export function registerCallback<const S extends NativeSignature>(fn: CallbackFunction<S>, sig: S): NativeCallback {
  checkSignature(sig, 'registerCallback');
  if (typeof fn !== 'function') throw new TypeError(`registerCallback: expected a function, got ${typeof fn}`);
  const target = withBigIntArguments(fn as (...args: any[]) => any, sig);
  let address: bigint;
  try {
    address = koffi.register(target, koffi.pointer(koffiPrototype(sig)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`registerCallback(${signatureKey(sig)}) failed: ${reason}`);
  }
  return new RegisteredCallback(address);
}

// koffi hands 64-bit arguments over as number or bigint depending on magnitude, and NULL pointers as null:
// normalise them to bigint so callbacks see one type. Signatures without such arguments pay nothing.
function withBigIntArguments(fn: (...args: any[]) => any, sig: NativeSignature): (...args: any[]) => any {
  const positions: number[] = [];
  for (let i = 0; i < sig.params.length; i++) if (needsBigIntNormalising(sig.params[i]!)) positions.push(i);
  if (positions.length === 0) return fn;
  return (...args: any[]) => {
    for (let i = 0; i < positions.length; i++) {
      const at = positions[i]!;
      args[at] = toBigInt(args[at]);
    }
    return fn(...args);
  };
}
