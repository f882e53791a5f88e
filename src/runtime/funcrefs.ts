/**
 * The JS side of VMFuncRefs: for each native VMFuncRef (vm-offsets.ts) the runtime created, what it is, so a funcref
 * read from wasm (a VMFuncRef address) becomes a JS function and a JS function passed as funcref becomes an address.
 * Registered when VMFuncRefs are created (instance functions in vmcontext.ts, host functions in host-functions.ts).
 */
import type { FuncType } from '../frontend/module-info.js';

/** What owns the VMFuncRef: keeps its VMContext (instance) or host record alive while the funcref is reachable. */
export interface FuncRefOwner {
  readonly kind: 'instance' | 'host';
}

export interface FuncRefInfo {
  /** Address of the VMFuncRef. */
  readonly address: number;
  /** Its code field: machine code with the wasm calling convention. */
  readonly code: number;
  /** Its vmctx field: the VMContext (or host record) passed as first argument. */
  readonly vmctx: number;
  readonly sigId: number;
  readonly type: FuncType;
  /** Function index in its instance (for the exported function's name), or -1 for host functions. */
  readonly funcIndex: number;
  readonly owner: FuncRefOwner;
  /** The JS function that calls it ("Exported Function" of the JS API), made on first request. */
  exported: ((...args: unknown[]) => unknown) | null;
}

const byAddress = new Map<number, FuncRefInfo>();
const byFunction = new WeakMap<object, FuncRefInfo>();

export function registerFuncRef(info: FuncRefInfo): void {
  byAddress.set(info.address, info);
}

/** The funcref at a VMFuncRef address, or undefined when the runtime did not create it. */
export function funcRefAt(address: number): FuncRefInfo | undefined {
  return byAddress.get(address);
}

/** Associates a JS function with its funcref (exported functions). */
export function bindFunctionToFuncRef(fn: object, info: FuncRefInfo): void {
  byFunction.set(fn, info);
}

/** The funcref behind a JS value that is an exported wasm function, else undefined. */
export function funcRefOfFunction(value: unknown): FuncRefInfo | undefined {
  return typeof value === 'function' ? byFunction.get(value) : undefined;
}
