/**
 * Values across the WebAssembly JS API: the standard conversions (ToJSValue / ToWebAssemblyValue) between the
 * runner's bit patterns and JS values. i32 travels as a signed Number, i64 as a BigInt, f32/f64 as Numbers made from
 * their bits with a DataView (a NaN's payload may be changed by the engine on the way: that is the JS API's limit),
 * references as JS values, and v128 not at all (the JS API throws TypeError for it).
 *
 * Host references: the script's `ref.extern N` is one frozen object per N, the same object every time, so identity
 * survives a round trip through a table or global. Functions get an identity number the first time they are seen.
 */
import { f32Bits, f32FromBits, f64Bits, f64FromBits, isNumValue, type WastType, type WastValue } from './values.js';

/** The JS object that stands for `ref.extern N`. */
export interface HostRef {
  readonly hostRef: number;
}

/** First identity given to a JS value the script did not create (kept clear of the script's small numbers). */
const FOREIGN_REF_BASE = 0x4000_0000;

export class JsValueCodec {
  private readonly hostRefs = new Map<number, HostRef>();
  // Weak both ways: a funcref result must not keep its instance (and its memory reservation) alive after the script.
  private readonly identities = new WeakMap<object, number>();
  private readonly byIdentity = new Map<number, WeakRef<object>>();
  private nextIdentity = FOREIGN_REF_BASE;

  /** ToJSValue of a script value. Throws TypeError for v128, as the JS API does. */
  toJs(value: WastValue): unknown {
    if (!isNumValue(value)) {
      if (value.ref === null) return null;
      if (value.type === 'externref') return this.hostRef(value.ref);
      const func = this.byIdentity.get(value.ref)?.deref();
      if (func === undefined) throw new TypeError(`funcref ${value.ref} is not a function this runner has seen`);
      return func;
    }
    switch (value.type) {
      case 'i32':
        return Number(BigInt.asIntN(32, value.bits));
      case 'i64':
        return BigInt.asIntN(64, value.bits);
      case 'f32':
        return f32FromBits(value.bits);
      case 'f64':
        return f64FromBits(value.bits);
      case 'v128':
        throw new TypeError('v128 values cannot be passed through the JavaScript API');
    }
  }

  /** ToWebAssemblyValue of a JS result read as `type`. Throws TypeError when the JS value is not of that type. */
  fromJs(type: WastType, js: unknown): WastValue {
    switch (type) {
      case 'i32':
        if (typeof js !== 'number' || !Number.isInteger(js)) throw mismatch(type, js);
        return { type, bits: BigInt(js >>> 0) };
      case 'i64':
        if (typeof js !== 'bigint') throw mismatch(type, js);
        return { type, bits: BigInt.asUintN(64, js) };
      case 'f32':
        if (typeof js !== 'number') throw mismatch(type, js);
        return { type, bits: f32Bits(js) };
      case 'f64':
        if (typeof js !== 'number') throw mismatch(type, js);
        return { type, bits: f64Bits(js) };
      case 'v128':
        throw new TypeError('v128 values cannot be passed through the JavaScript API');
      case 'externref':
        return { type, ref: js === null ? null : this.identityOf(js) };
      case 'funcref':
        if (js !== null && typeof js !== 'function') throw mismatch(type, js);
        return { type, ref: js === null ? null : this.identityOf(js) };
    }
  }

  /** The object for `ref.extern n` (created once). */
  hostRef(n: number): HostRef {
    let ref = this.hostRefs.get(n);
    if (ref === undefined) {
      ref = Object.freeze({ hostRef: n });
      this.hostRefs.set(n, ref);
    }
    return ref;
  }

  private identityOf(js: unknown): number {
    if (typeof js === 'object' && js !== null && this.hostRefs.get((js as HostRef).hostRef) === js) {
      return (js as HostRef).hostRef;
    }
    // Only objects and functions come back as references from wasm: the script's primitives never enter a table.
    if ((typeof js !== 'object' && typeof js !== 'function') || js === null) return this.nextIdentity++;
    let id = this.identities.get(js);
    if (id === undefined) {
      id = this.nextIdentity++;
      this.identities.set(js, id);
      this.byIdentity.set(id, new WeakRef(js));
    }
    return id;
  }
}

function mismatch(type: WastType, js: unknown): TypeError {
  const shown = typeof js === 'bigint' ? `${js}n` : typeof js === 'function' ? 'a function' : String(js);
  return new TypeError(`expected a ${type} result, got ${typeof js} ${shown}`);
}
