/**
 * `WebAssembly.Instance`: `new Instance(module, importObject, { store })` links the imports (link.ts: TypeError /
 * LinkError naming the import), builds the VMContext, runs the active element and data segments (out of bounds: a
 * RuntimeError, earlier writes stay), then the start function, and exposes the frozen exports object.
 */
import { Engine } from './engine.js';
import { exportedFunctionOf } from './exported-function.js';
import { resolveImports } from './link.js';
import { compiledModuleOf, type CompiledModule } from './module.js';
import { Store, defaultStoreFor } from './store.js';
import { createVMInstance, type VMInstance } from './vmcontext.js';

export interface InstanceOptions {
  /** The store the instance lives in (fuel, epochs, stack limit); default: its engine's default store. */
  store?: Store;
}

const vmInstances = new WeakMap<object, VMInstance>();

/** The store of an options bag (`{ store }`), or the engine's default store; TypeError when the engines differ. */
export function storeOption(options: unknown, engine: Engine, where: string): Store {
  if (options === undefined || options === null) return defaultStoreFor(engine);
  if (typeof options !== 'object') throw new TypeError(`${where}: options must be an object`);
  const store = (options as { store?: unknown }).store;
  if (store === undefined) return defaultStoreFor(engine);
  if (!(store instanceof Store)) throw new TypeError(`${where}: options.store must be a kindling Store`);
  if (store.engine !== engine) {
    throw new TypeError(`${where}: the store belongs to a different Engine than the one the module was compiled with`);
  }
  return store;
}

/** Links, initialises and starts an instance of a compiled module. */
export function instantiateCompiled(compiled: CompiledModule, importObject: unknown, store: Store): VMInstance {
  const info = compiled.info;
  const imports = resolveImports(info, importObject);
  const vm = createVMInstance(info, store, compiled.code, imports);
  vm.runActiveSegments();
  if (info.start !== null) exportedFunctionOf(vm.funcRefs[info.start]!)();
  return vm;
}

/** The runtime instance behind an Instance (undefined for other objects). */
export function vmInstanceOf(instance: unknown): VMInstance | undefined {
  return typeof instance === 'object' && instance !== null ? vmInstances.get(instance) : undefined;
}

export class Instance {
  constructor(module: object, importObject?: object, options?: InstanceOptions) {
    const where = 'WebAssembly.Instance()';
    const compiled = compiledModuleOf(module, where);
    const store = storeOption(options, compiled.engine, where);
    vmInstances.set(this, instantiateCompiled(compiled, importObject, store));
  }

  /** Wraps an instantiated runtime instance (instantiate() uses it). */
  static fromVM(vm: VMInstance): Instance {
    const instance = Object.create(Instance.prototype) as Instance;
    vmInstances.set(instance, vm);
    return instance;
  }

  /** The exports object: frozen, null prototype, one property per export in the module's order. */
  get exports(): Record<string, unknown> {
    const vm = vmInstances.get(this);
    if (vm === undefined) throw new TypeError('WebAssembly.Instance.exports: Receiver is not a WebAssembly.Instance');
    return vm.exports;
  }

  get [Symbol.toStringTag](): string {
    return 'WebAssembly.Instance';
  }
}
