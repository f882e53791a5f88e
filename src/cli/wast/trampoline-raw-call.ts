/**
 * A raw-bits channel for any `WebAssembly`-compatible namespace: the export is called from a generated wasm
 * trampoline (trampoline-module.ts) so floats and vectors cross the JS boundary as integers and reach the function
 * bit for bit. It needs only wasm-to-wasm calls through an import to be exact, so it serves V8 today and can check
 * kindling's own raw channel later.
 *
 * One compiled trampoline per signature; one instance per (function, signature), kept only while the function lives.
 */
import type { WastEngine } from './engine.js';
import type { JsApiModule, JsApiNamespace } from './js-api-namespace.js';
import type { JsValueCodec } from './js-values.js';
import { carrierTypes, trampolineModuleBytes } from './trampoline-module.js';
import { isNumValue, type WastType, type WastValue } from './values.js';

type RawCall = NonNullable<WastEngine['callRaw']>;
type Trampoline = (...args: unknown[]) => unknown;

export function trampolineRawCall(namespace: JsApiNamespace, codec: JsValueCodec): RawCall {
  const modules = new Map<string, JsApiModule>();
  const trampolines = new WeakMap<object, Map<string, Trampoline>>();

  function trampolineFor(func: object, params: readonly WastType[], results: readonly WastType[]): Trampoline {
    const signature = `${params.join(',')}->${results.join(',')}`;
    let bySignature = trampolines.get(func);
    if (bySignature === undefined) {
      bySignature = new Map();
      trampolines.set(func, bySignature);
    }
    let trampoline = bySignature.get(signature);
    if (trampoline === undefined) {
      let module = modules.get(signature);
      if (module === undefined) {
        module = new namespace.Module(trampolineModuleBytes(params, results));
        modules.set(signature, module);
      }
      const instance = new namespace.Instance(module, { m: { f: func } });
      trampoline = instance.exports.f as Trampoline;
      bySignature.set(signature, trampoline);
    }
    return trampoline;
  }

  return (func, args, resultTypes) => {
    if (typeof func !== 'function') return undefined;
    const trampoline = trampolineFor(func, args.map((arg) => arg.type), resultTypes);
    const result = trampoline(...args.flatMap((arg) => toCarriers(arg, codec)));
    const carriers = resultTypes.flatMap(carrierTypes).length === 1 ? [result] : (result as unknown[]);
    return fromCarriers(resultTypes, carriers, codec);
  };
}

/** The JS values that carry one argument (see carrierTypes). */
function toCarriers(value: WastValue, codec: JsValueCodec): unknown[] {
  if (!isNumValue(value)) return [codec.toJs(value)];
  switch (value.type) {
    case 'i32':
    case 'f32':
      return [Number(BigInt.asIntN(32, value.bits))];
    case 'i64':
    case 'f64':
      return [BigInt.asIntN(64, value.bits)];
    case 'v128':
      return [BigInt.asIntN(64, value.bits), BigInt.asIntN(64, value.bits >> 64n)];
  }
}

function fromCarriers(types: readonly WastType[], carriers: readonly unknown[], codec: JsValueCodec): WastValue[] {
  const values: WastValue[] = [];
  let next = 0;
  for (const type of types) {
    switch (type) {
      case 'i32':
      case 'f32':
        values.push({ type, bits: BigInt((carriers[next++] as number) >>> 0) });
        break;
      case 'i64':
      case 'f64':
        values.push({ type, bits: BigInt.asUintN(64, carriers[next++] as bigint) });
        break;
      case 'v128': {
        const low = BigInt.asUintN(64, carriers[next++] as bigint);
        const high = BigInt.asUintN(64, carriers[next++] as bigint);
        values.push({ type, bits: (high << 64n) | low });
        break;
      }
      default:
        values.push(codec.fromJs(type, carriers[next++]));
    }
  }
  return values;
}
