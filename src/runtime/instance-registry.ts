/** VMContext address → instance, for builtins (which receive only the vmctx). */
import type { VMInstance } from './vmcontext.js';

const instances = new Map<bigint, VMInstance>();

export function registerInstance(vmctx: bigint, instance: VMInstance): void {
  instances.set(vmctx, instance);
}

export function instanceOfVmctx(vmctx: bigint): VMInstance {
  const instance = instances.get(vmctx);
  if (instance === undefined) throw new Error(`builtin called with unknown vmctx 0x${vmctx.toString(16)}`);
  return instance;
}
