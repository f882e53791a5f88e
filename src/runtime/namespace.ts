/**
 * kindling's `WebAssembly`-compatible namespace. Code written for Node's `WebAssembly` runs unchanged against it;
 * kindling's own settings come in through an optional last argument:
 *
 *   new WebAssembly.Module(bytes, { engine })
 *   new WebAssembly.Instance(module, imports, { store })
 *   await WebAssembly.instantiate(bytes, imports, { engine, store })   // → { module, instance }
 *   await WebAssembly.instantiate(module, imports, { store })          // → instance
 *
 * As in the JS API, the promise-returning functions report every error (CompileError, LinkError, TypeError, a trap
 * in the start function) as a rejection, never by throwing synchronously.
 */
import { validate as validateBytes } from '../frontend/index.js';
import { CompileError, LinkError, RuntimeError } from './errors.js';
import { Engine } from './engine.js';
import { Global } from './global.js';
import { Instance, instantiateCompiled, storeOption } from './instance.js';
import { Memory } from './memory.js';
import { Module, compileBytes, copyBufferSource, engineOption, type ModuleOptions } from './module.js';
import type { Store } from './store.js';
import { Table } from './table.js';

export interface InstantiateOptions {
  engine?: Engine;
  store?: Store;
}

export interface WebAssemblyInstantiatedSource {
  module: Module;
  instance: Instance;
}

/** WebAssembly.validate: true when the bytes are a valid module (TypeError when they are not a buffer source). */
export function validate(bytes: BufferSource | ArrayBufferView | ArrayBufferLike): boolean {
  return validateBytes(copyBufferSource(bytes, 'WebAssembly.validate()'));
}

/** WebAssembly.compile: a Module compiled with `options.engine` (default: no fuel). */
export async function compile(bytes: BufferSource | ArrayBufferView | ArrayBufferLike, options?: ModuleOptions): Promise<Module> {
  const where = 'WebAssembly.compile()';
  const copy = copyBufferSource(bytes, where);
  const engine = engineOption(options, where);
  return Module.fromCompiled(compileBytes(copy, engine));
}

/** The engine for instantiate(bytes, …): options.engine, else the store's engine, else the default. */
function instantiateEngine(options: unknown, where: string): Engine {
  const engine = engineOption(options, where);
  if (options !== null && typeof options === 'object' && (options as InstantiateOptions).engine === undefined) {
    const store = (options as InstantiateOptions).store;
    if (store !== undefined && store !== null && typeof store === 'object' && (store as Store).engine instanceof Engine) return (store as Store).engine;
  }
  return engine;
}

/**
 * WebAssembly.instantiate, both overloads: bytes → { module, instance }; a Module → its Instance.
 */
export function instantiate(source: BufferSource | ArrayBufferView | ArrayBufferLike, imports?: object, options?: InstantiateOptions): Promise<WebAssemblyInstantiatedSource>;
export function instantiate(source: Module, imports?: object, options?: InstantiateOptions): Promise<Instance>;
export async function instantiate(source: unknown, imports?: object, options?: InstantiateOptions): Promise<WebAssemblyInstantiatedSource | Instance> {
  const where = 'WebAssembly.instantiate()';
  if (source instanceof Module) return new Instance(source, imports, options);
  if (imports !== undefined && (imports === null || typeof imports !== 'object')) {
    throw new TypeError(`${where}: Argument 1 must be an object`);
  }
  const copy = copyBufferSource(source, where);
  const engine = instantiateEngine(options, where);
  const compiled = compileBytes(copy, engine);
  const module = Module.fromCompiled(compiled);
  const store = storeOption(options, engine, where);
  const instance = Instance.fromVM(instantiateCompiled(compiled, imports, store));
  return { module, instance };
}

/** The bytes of a Response (or a promise of one), for the streaming variants. */
async function responseBytes(source: unknown, where: string): Promise<ArrayBuffer> {
  const response = (await source) as { arrayBuffer?: () => Promise<ArrayBuffer>; ok?: boolean; status?: number };
  if (response === null || typeof response !== 'object' || typeof response.arrayBuffer !== 'function') {
    throw new TypeError(`${where}: Argument 0 must be a Response or a promise of one`);
  }
  if (response.ok === false) throw new TypeError(`${where}: HTTP status ${String(response.status)} is not ok`);
  return response.arrayBuffer();
}

export async function compileStreaming(source: unknown, options?: ModuleOptions): Promise<Module> {
  return compile(await responseBytes(source, 'WebAssembly.compileStreaming()'), options);
}

export async function instantiateStreaming(source: unknown, imports?: object, options?: InstantiateOptions): Promise<WebAssemblyInstantiatedSource> {
  return instantiate(await responseBytes(source, 'WebAssembly.instantiateStreaming()'), imports, options);
}

/** The namespace object: the same members as Node's `WebAssembly` (plus kindling's options arguments). */
export const WebAssembly = {
  Module,
  Instance,
  Memory,
  Table,
  Global,
  CompileError,
  LinkError,
  RuntimeError,
  validate,
  compile,
  instantiate,
  compileStreaming,
  instantiateStreaming,
  [Symbol.toStringTag]: 'WebAssembly',
};

export type KindlingWebAssembly = typeof WebAssembly;
