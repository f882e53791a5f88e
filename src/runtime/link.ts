/**
 * Linking: resolves a module's imports from a JS import object with the WebAssembly JS API's rules ("read the
 * imports"), producing what createVMInstance needs. TypeError for a missing or non-object module namespace, LinkError
 * for everything that does not match the import's kind or type.
 */
import type { ModuleInfo } from '../frontend/module-info.js';
import { ExternalKind } from '../frontend/module-info.js';
import { ValType, valTypeName } from '../frontend/value-types.js';
import { LinkError } from './errors.js';
import { funcRefOfFunction, type FuncRefInfo } from './funcrefs.js';
import { Global } from './global.js';
import { hostFuncRef } from './host-functions.js';
import { memoryStateOf } from './memory.js';
import { mirrorV8Global, rememberOriginal } from './mirrored-globals.js';
import { v8GlobalFits, v8MemoryFits } from './v8-probe.js';
import { hasSlotShape } from './signature-shape.js';
import { describeType, sigIdOf } from './signatures.js';
import { Table } from './table.js';
import type { ResolvedImports } from './vmcontext.js';

export function resolveImports(module: ModuleInfo, importObject: unknown): ResolvedImports {
  const functions: FuncRefInfo[] = [];
  const tables: Table[] = [];
  const memories: WebAssembly.Memory[] = [];
  const globals: Global[] = [];
  if (module.imports.length > 0 && (importObject === null || (typeof importObject !== 'object' && typeof importObject !== 'function'))) {
    throw new TypeError('WebAssembly.Instance(): Imports argument must be present and must be an object');
  }
  module.imports.forEach((imp, i) => {
    const where = `WebAssembly.Instance(): Import #${i} "${imp.module}" "${imp.name}"`;
    const namespace = (importObject as Record<string, unknown>)[imp.module];
    if (namespace === null || (typeof namespace !== 'object' && typeof namespace !== 'function')) {
      throw new TypeError(`WebAssembly.Instance(): Import #${i} "${imp.module}": module is not an object or function`);
    }
    const value = (namespace as Record<string, unknown>)[imp.name];
    switch (imp.kind) {
      case ExternalKind.FUNCTION: {
        const type = module.functionType(imp.index);
        if (typeof value !== 'function') throw new LinkError(`${where}: function import requires a callable`);
        const wasm = funcRefOfFunction(value);
        if (wasm !== undefined) {
          if (wasm.sigId !== sigIdOf(type)) {
            throw new LinkError(`${where}: imported function does not match the expected type: expected ${describeType(type)}, got ${describeType(wasm.type)}`);
          }
          functions.push(wasm);
        } else {
          if (!hasSlotShape(type)) throw new LinkError(`${where}: JS functions with v128 parameters or results cannot be imported yet`);
          functions.push(hostFuncRef(value as (...args: unknown[]) => unknown, type));
        }
        return;
      }
      case ExternalKind.TABLE: {
        const decl = module.tables[imp.index]!;
        if (!(value instanceof Table)) {
          if (value instanceof WebAssembly.Table) {
            throw new LinkError(`${where}: a table of Node's own WebAssembly cannot be shared with kindling; create it with kindling's WebAssembly.Table`);
          }
          throw new LinkError(`${where}: table import requires a WebAssembly.Table`);
        }
        if (value.elementType !== decl.elemType) {
          throw new LinkError(`${where}: imported table has element type ${valTypeName(value.elementType)}, expected ${valTypeName(decl.elemType)}`);
        }
        if (value.length < decl.min) throw new LinkError(`${where}: table import has ${value.length} elements, needs at least ${decl.min}`);
        if (decl.max !== null && (value.maximum === null || value.maximum > decl.max)) {
          throw new LinkError(`${where}: table import has no maximum or a maximum above ${decl.max}`);
        }
        tables.push(value);
        return;
      }
      case ExternalKind.MEMORY: {
        const decl = module.memories[imp.index]!;
        if (!(value instanceof WebAssembly.Memory)) throw new LinkError(`${where}: memory import must be a WebAssembly.Memory object`);
        const state = memoryStateOf(value);
        state.check();
        if (state.shared) throw new LinkError(`${where}: a shared memory cannot be imported as an unshared one`);
        if (state.pages < decl.min) throw new LinkError(`${where}: memory import has ${state.pages} pages, needs at least ${decl.min}`);
        if (decl.max !== null) {
          if (state.maximumKnown) {
            if (state.maximumPages === null) throw new LinkError(`${where}: memory import has no maximum, the module requires one of at most ${decl.max} pages`);
            if (state.maximumPages > decl.max) throw new LinkError(`${where}: memory import has a maximum of ${state.maximumPages} pages, above ${decl.max}`);
          } else if (!v8MemoryFits(value, decl.min, decl.max)) {
            // A memory from Node's own namespace does not show its maximum; V8 knows it.
            throw new LinkError(`${where}: memory import has no maximum or a maximum above ${decl.max} pages`);
          }
        }
        memories.push(value);
        return;
      }
      default: {
        const decl = module.globals[imp.index]!;
        if (value instanceof Global) {
          if (value.type !== decl.type || value.mutable !== decl.mutable) {
            throw new LinkError(`${where}: imported global does not match the expected ${decl.mutable ? 'mutable ' : ''}${valTypeName(decl.type)}`);
          }
          globals.push(value);
          return;
        }
        if (value instanceof WebAssembly.Global) {
          globals.push(adoptV8Global(value, decl.type, decl.mutable, where));
          return;
        }
        if (decl.mutable) throw new LinkError(`${where}: imported mutable global must be a WebAssembly.Global object`);
        if (decl.type === ValType.I64 && typeof value !== 'bigint') throw new LinkError(`${where}: global import must be a BigInt`);
        if ((decl.type === ValType.I32 || decl.type === ValType.F32 || decl.type === ValType.F64) && typeof value !== 'number') {
          throw new LinkError(`${where}: global import must be a number`);
        }
        if (decl.type === ValType.V128) throw new LinkError(`${where}: a v128 global can only be imported as a WebAssembly.Global`);
        if (decl.type === ValType.FUNCREF && value !== null && funcRefOfFunction(value) === undefined) {
          throw new LinkError(`${where}: funcref global import must be null or an exported WebAssembly function`);
        }
        globals.push(new Global({ value: typeNameForGlobal(decl.type), mutable: false }, value));
      }
    }
  });
  return { functions, tables, memories, globals };
}

/**
 * A global of Node's own namespace: V8 checks its type (v8-probe.ts). An immutable one is imported by value; a
 * mutable one becomes a mirrored global (mirrored-globals.ts) whose value is kept in step with V8's.
 */
function adoptV8Global(global: WebAssembly.Global, type: number, mutable: boolean, where: string): Global {
  if (!v8GlobalFits(global, type, mutable)) {
    throw new LinkError(`${where}: imported global does not match the expected ${mutable ? 'mutable ' : ''}${valTypeName(type)}`);
  }
  if (type === ValType.V128 || type === ValType.FUNCREF) {
    throw new LinkError(`${where}: a ${valTypeName(type)} global of Node's own WebAssembly cannot be imported by kindling; use kindling's WebAssembly.Global`);
  }
  if (mutable) return mirrorV8Global(global, type);
  const copy = new Global({ value: typeNameForGlobal(type), mutable: false }, global.value);
  rememberOriginal(copy, global);
  return copy;
}

function typeNameForGlobal(type: number): string {
  return type === ValType.FUNCREF ? 'anyfunc' : valTypeName(type);
}
