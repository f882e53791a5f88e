// The engine adapter interface. An adapter lives inside a child process started with its engine's node flags (see
// engine-registry.ts); the child times every call the same way for every engine, so adapters only do the work.

/** A compiled module as an adapter holds it; opaque to the harness. */
export type CompiledModule = unknown;

export interface EngineInstance {
  /** Calls export `entry` with the i32 `n`; returns the result as JS sees it (i32: number, i64: BigInt). */
  run(entry: string, n: number): number | bigint;
  /** Fuel consumed by this instance's store so far, exact. Only engines that meter fuel define it. */
  fuelConsumed?(): bigint;
}

export interface Engine {
  readonly name: string;
  /** Compiles wasm bytes to a module, eagerly and completely (the harness times this call). */
  compile(bytes: Uint8Array): CompiledModule;
  /** Instantiates with no imports (the harness times this call). */
  instantiate(module: CompiledModule): EngineInstance;
  /**
   * Optional self-check after the first run: a description of what is wrong if the engine is not running the way its
   * name claims (e.g. V8 code compiled by the wrong tier), else undefined. A problem fails the program loudly.
   */
  check?(instance: EngineInstance, entry: string): string | undefined;
}
