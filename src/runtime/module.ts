/**
 * `WebAssembly.Module`: a compiled module. `new Module(bytes, { engine })` copies the bytes, decodes and validates
 * them, and compiles every function eagerly with the engine's settings (pipeline.ts); the machine code is loaded and
 * shared by all instances. Reflection (`Module.exports/imports/customSections`) follows the JS API.
 */
import { toBytes, type ModuleInfo } from '../frontend/index.js';
import type { LoadedModuleCode } from './code-loader.js';
import { Engine, getDefaultEngine } from './engine.js';
import { codegenSettings, compileModuleCode, parseAndValidateModule, type CompileTimings } from './pipeline.js';

export interface ModuleOptions {
  /** The engine whose settings (fuel, epochs, optimisation level) the code is compiled with; default: no fuel. */
  engine?: Engine;
}

/** What a Module holds (internal to the runtime). */
export interface CompiledModule {
  readonly info: ModuleInfo;
  readonly engine: Engine;
  readonly code: LoadedModuleCode;
  /** Module name in backtraces: the name section's, else `wasm-module-<n>`. */
  readonly name: string;
  readonly timings: CompileTimings | null;
}

export type ExternKind = 'function' | 'table' | 'memory' | 'global';

export interface ModuleExportDescriptor {
  name: string;
  kind: ExternKind;
}

export interface ModuleImportDescriptor {
  module: string;
  name: string;
  kind: ExternKind;
}

const KIND_NAMES: readonly ExternKind[] = ['function', 'table', 'memory', 'global'];

const compiledModules = new WeakMap<object, CompiledModule>();
let moduleCounter = 0;

/** A BufferSource's bytes, copied (the JS API copies: later changes to the source do not affect the module). */
export function copyBufferSource(source: unknown, where: string): Uint8Array {
  if (!(source instanceof ArrayBuffer || ArrayBuffer.isView(source) || (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer))) {
    throw new TypeError(`${where}: Argument 0 must be a buffer source`);
  }
  return toBytes(source as ArrayBufferLike | ArrayBufferView).slice();
}

/** The engine of an options bag (`{ engine }`), or the default engine. */
export function engineOption(options: unknown, where: string): Engine {
  if (options === undefined || options === null) return getDefaultEngine();
  if (typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  const engine = (options as { engine?: unknown }).engine;
  if (engine === undefined) return getDefaultEngine();
  if (!(engine instanceof Engine)) throw new TypeError(`${where}: options.engine must be a kindling Engine`);
  return engine;
}

/** Compiles bytes (already copied) with an engine (every call compiles afresh: no code cache). */
export function compileBytes(bytes: Uint8Array, engine: Engine, timings = false): CompiledModule {
  const info = parseAndValidateModule(bytes);
  const name = info.names.module ?? `wasm-module-${++moduleCounter}`;
  const artifacts = compileModuleCode(info, codegenSettings(engine), name, { timings });
  return { info, engine, code: artifacts.loaded, name, timings: artifacts.timings };
}

/** The compiled module behind a Module, or a TypeError naming `where`. */
export function compiledModuleOf(module: unknown, where: string): CompiledModule {
  const compiled = typeof module === 'object' && module !== null ? compiledModules.get(module) : undefined;
  if (compiled === undefined) throw new TypeError(`${where}: Argument 0 must be a WebAssembly.Module`);
  return compiled;
}

export class Module {
  constructor(bytes: BufferSource | ArrayBufferView | ArrayBufferLike, options?: ModuleOptions) {
    const where = 'WebAssembly.Module()';
    const copy = copyBufferSource(bytes, where);
    const engine = engineOption(options, where);
    compiledModules.set(this, compileBytes(copy, engine));
  }

  /** Wraps an already compiled module (compile() and instantiate() use it). */
  static fromCompiled(compiled: CompiledModule): Module {
    const module = Object.create(Module.prototype) as Module;
    compiledModules.set(module, compiled);
    return module;
  }

  static exports(module: Module): ModuleExportDescriptor[] {
    const { info } = compiledModuleOf(module, 'WebAssembly.Module.exports()');
    return info.exports.map((e) => ({ name: e.name, kind: KIND_NAMES[e.kind]! }));
  }

  static imports(module: Module): ModuleImportDescriptor[] {
    const { info } = compiledModuleOf(module, 'WebAssembly.Module.imports()');
    return info.imports.map((i) => ({ module: i.module, name: i.name, kind: KIND_NAMES[i.kind]! }));
  }

  static customSections(module: Module, sectionName: string): ArrayBuffer[] {
    const { info } = compiledModuleOf(module, 'WebAssembly.Module.customSections()');
    if (sectionName === undefined) throw new TypeError('WebAssembly.Module.customSections(): Argument 1 is required');
    const name = String(sectionName);
    const out: ArrayBuffer[] = [];
    for (const s of info.customSections) {
      if (s.name === name) out.push(info.bytes.slice(s.start, s.end).buffer);
    }
    return out;
  }

  get [Symbol.toStringTag](): string {
    return 'WebAssembly.Module';
  }
}
