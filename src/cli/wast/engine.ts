/**
 * What the spec-test runner needs from an engine. The runner knows commands, values and verdicts; an engine knows
 * how to compile, link and call. Module, instance and exports handles are the engine's own (opaque to the runner).
 *
 * Errors: every method may throw whatever the engine throws; the runner asks `classifyError` what it was.
 */
import type { WastType, WastValue } from './values.js';

/**
 * - `compile`: the module is malformed or invalid (CompileError)
 * - `link`: an import is missing or does not match (LinkError)
 * - `runtime`: a trap (RuntimeError), including one during instantiation
 * - `exhaustion`: the host's own stack ran out (V8's RangeError "Maximum call stack size exceeded")
 * - `type`: a value the engine cannot pass through its API (TypeError, e.g. a v128 argument through the JS API)
 * - `other`: anything else: a bug in the engine or the adapter
 */
export type EngineErrorKind = 'compile' | 'link' | 'runtime' | 'exhaustion' | 'type' | 'other';

export interface WastEngine<Module = unknown, Instance = unknown, Exports = unknown> {
  /** Shown in reports, e.g. "v8". */
  readonly name: string;
  /** Whether the engine runs SIMD (v128) code and can pass v128 values through `callRaw`. */
  readonly simd: boolean;

  /** `WebAssembly.validate`: true when the bytes are a valid module. */
  validate(bytes: Uint8Array): boolean;
  /** Compiles (decode + validate + translate); throws a `compile` error for malformed or invalid bytes. */
  compile(bytes: Uint8Array): Module;
  /** Links and instantiates; `imports` maps import-module names to what `exportsOf` / `createSpectest` returned. */
  instantiate(module: Module, imports: ReadonlyMap<string, Exports>): Instance;
  /** What other modules import from once the instance is registered under a name. */
  exportsOf(instance: Instance): Exports;
  /** A fresh `spectest` host module (print functions, globals, table, memory): one per script. */
  createSpectest(): Exports;

  /** The export named `name`, or undefined when there is none. */
  exportOf(instance: Instance, name: string): unknown;
  /**
   * Calls an exported function with the engine's standard conversions (for a JS-API engine: numbers and BigInts, so
   * NaN payloads may change on the way). `resultTypes` null: the caller ignores the results (return []).
   */
  call(func: unknown, args: readonly WastValue[], resultTypes: readonly WastType[] | null): WastValue[];
  /**
   * The raw-bits channel: calls with exact bit patterns both ways. Optional; returns undefined when it cannot make
   * this call (e.g. a signature it does not handle), and the runner falls back to `call`.
   */
  callRaw?(func: unknown, args: readonly WastValue[], resultTypes: readonly WastType[]): WastValue[] | undefined;
  /** Reads an exported global's value as `type`. */
  readGlobal(global: unknown, type: WastType): WastValue;

  classifyError(error: unknown): EngineErrorKind;
}

/** The message of anything thrown, for reports. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
