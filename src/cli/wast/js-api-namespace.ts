/**
 * The part of a `WebAssembly`-compatible namespace the runner uses: Node's own `WebAssembly`, or kindling's (which
 * takes an optional last options argument but is otherwise the same shape).
 */

export interface JsApiModule {
  readonly __brand?: 'JsApiModule';
}

export interface JsApiInstance {
  readonly exports: Record<string, unknown>;
}

export type JsApiImports = Record<string, Record<string, unknown>>;

export interface JsApiNamespace {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => JsApiModule;
  Instance: new (module: JsApiModule, imports?: JsApiImports) => JsApiInstance;
  Memory: new (descriptor: { initial: number; maximum?: number }) => unknown;
  Table: new (descriptor: { element: 'anyfunc' | 'externref'; initial: number; maximum?: number }) => unknown;
  Global: new (descriptor: { value: string; mutable?: boolean }, value?: unknown) => { value: unknown };
  CompileError: abstract new (...args: never[]) => Error;
  LinkError: abstract new (...args: never[]) => Error;
  RuntimeError: abstract new (...args: never[]) => Error;
}
