/**
 * kindling: a WebAssembly → x86-64 JIT for Node.js with deterministic fuel metering.
 *
 *   import { WebAssembly, Engine, Store } from 'kindling';
 *   const engine = new Engine({ consumeFuel: true });
 *   const store = new Store(engine);
 *   store.setFuel(1_000_000);
 *   const { instance } = await WebAssembly.instantiate(bytes, imports, { engine, store });
 *
 * `WebAssembly` is a drop-in for Node's namespace (same classes, same conversions); `Engine` and `Store` carry
 * kindling's settings (fuel, epochs, stack size, optimisation level) into it through an optional last argument.
 */
export {
  WebAssembly,
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
  Engine,
  Store,
  type EngineOptions,
  type FuelStrategy,
  type OptLevel,
  type ModuleOptions,
  type InstanceOptions,
  type InstantiateOptions,
  type WebAssemblyInstantiatedSource,
  type ModuleExportDescriptor,
  type ModuleImportDescriptor,
  type ExternKind,
  type MemoryDescriptor,
  type TableDescriptor,
  type GlobalDescriptor,
  type WasmFrame,
} from './runtime/index.js';
