/**
 * The part of a `WebAssembly`-compatible namespace that the differential harness and the WASI test use. Node's global
 * `WebAssembly` satisfies it, and so must kindling's namespace (src/runtime): code written against this interface runs
 * unchanged on either, which is the point of both tests.
 */
export interface WasmInstanceLike {
  readonly exports: object;
}

export interface WasmNamespace {
  readonly Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  /** `any` module: each namespace accepts only its own Module objects, and the harness never mixes them. */
  readonly Instance: new (module: any, imports?: WebAssembly.Imports) => WasmInstanceLike;
  instantiate(bytes: Uint8Array<ArrayBuffer>, imports?: WebAssembly.Imports): Promise<{ readonly instance: WasmInstanceLike }>;
}
