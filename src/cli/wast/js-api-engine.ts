/**
 * A WastEngine over any `WebAssembly`-compatible namespace, through the JS API: Node's own (`v8WastEngine`) and,
 * once its runtime exists, kindling's (`jsApiWastEngine(kindling.WebAssembly, { name: 'kindling', callRaw })`).
 */
import type { EngineErrorKind, WastEngine } from './engine.js';
import type { JsApiInstance, JsApiModule, JsApiNamespace } from './js-api-namespace.js';
import { JsValueCodec } from './js-values.js';
import { createSpectestExports } from './spectest.js';
import { trampolineRawCall } from './trampoline-raw-call.js';
import type { WastType, WastValue } from './values.js';

type JsApiExports = Record<string, unknown>;

export interface JsApiWastEngineOptions {
  /** Shown in reports; default "js-api". */
  readonly name?: string;
  /** Whether the engine runs SIMD; v128 values then need `callRaw` (the JS API cannot carry them). Default false. */
  readonly simd?: boolean;
  /** The engine's raw-bits channel, if it has one (see WastEngine.callRaw). */
  readonly callRaw?: WastEngine['callRaw'];
  /** The value conversions to use (share one with a raw channel that passes references as JS values). */
  readonly codec?: JsValueCodec;
  /** Extra classification before the standard one (e.g. an engine-specific error class); undefined defers. */
  readonly classifyError?: (error: unknown) => EngineErrorKind | undefined;
}

/** The JS API engine's handles are the namespace's own Module, Instance and exports objects. */
export type JsApiWastEngine = WastEngine<JsApiModule, JsApiInstance, JsApiExports> & {
  /** The conversions this engine uses (shared with raw channels that fall back to JS values for references). */
  readonly codec: JsValueCodec;
};

const STACK_OVERFLOW = /maximum call stack size exceeded|call stack exhausted|stack overflow/i;

export function jsApiWastEngine(namespace: JsApiNamespace, options: JsApiWastEngineOptions = {}): JsApiWastEngine {
  const codec = options.codec ?? new JsValueCodec();
  const classifyExtra = options.classifyError;

  function classifyError(error: unknown): EngineErrorKind {
    const extra = classifyExtra?.(error);
    if (extra !== undefined) return extra;
    if (error instanceof namespace.CompileError) return 'compile';
    if (error instanceof namespace.LinkError) return 'link';
    if (error instanceof namespace.RuntimeError) return 'runtime';
    if (error instanceof RangeError && STACK_OVERFLOW.test(error.message)) return 'exhaustion';
    if (error instanceof TypeError) return 'type';
    return 'other';
  }

  function call(func: unknown, args: readonly WastValue[], resultTypes: readonly WastType[] | null): WastValue[] {
    if (typeof func !== 'function') throw new TypeError(`export is not a function (${typeof func})`);
    const jsArgs = args.map((arg) => codec.toJs(arg));
    const result: unknown = (func as (...a: unknown[]) => unknown)(...jsArgs);
    if (resultTypes === null) return [];
    if (resultTypes.length === 0) return [];
    if (resultTypes.length === 1) return [codec.fromJs(resultTypes[0]!, result)];
    // Multi-value results come back as an array (JS API: iterable of the values, in order).
    if (!Array.isArray(result) || result.length !== resultTypes.length) {
      throw new TypeError(`expected ${resultTypes.length} results as an array, got ${String(result)}`);
    }
    return resultTypes.map((type, i) => codec.fromJs(type, result[i]));
  }

  function readGlobal(global: unknown, type: WastType): WastValue {
    if (!(global instanceof namespace.Global)) throw new TypeError('export is not a WebAssembly.Global');
    return codec.fromJs(type, (global as { value: unknown }).value);
  }

  return {
    name: options.name ?? 'js-api',
    simd: options.simd ?? false,
    codec,
    validate: (bytes) => namespace.validate(bytes),
    compile: (bytes) => new namespace.Module(bytes),
    instantiate: (module, imports) => new namespace.Instance(module, Object.fromEntries(imports)),
    exportsOf: (instance) => instance.exports,
    createSpectest: () => createSpectestExports(namespace),
    exportOf: (instance, name) => (Object.hasOwn(instance.exports, name) ? instance.exports[name] : undefined),
    call,
    ...(options.callRaw === undefined ? {} : { callRaw: options.callRaw }),
    readGlobal,
    classifyError,
  };
}

export interface V8WastEngineOptions {
  /**
   * Call exports through wasm trampolines (trampoline-raw-call.ts) so values keep their exact bits and v128 can be
   * passed. Default false: the plain JS API, whose limit is the suite's documented baseline.
   */
  readonly rawBits?: boolean;
  /** Run SIMD scripts; default: `rawBits` (without it v128 cannot cross the JS API). */
  readonly simd?: boolean;
}

/** Node's own WebAssembly (V8). */
export function v8WastEngine(options: V8WastEngineOptions = {}): JsApiWastEngine {
  const namespace = WebAssembly as unknown as JsApiNamespace;
  const codec = new JsValueCodec();
  const rawBits = options.rawBits ?? false;
  return jsApiWastEngine(namespace, {
    name: rawBits ? 'v8-raw' : 'v8',
    simd: options.simd ?? rawBits,
    codec,
    ...(rawBits ? { callRaw: trampolineRawCall(namespace, codec) } : {}),
  });
}
