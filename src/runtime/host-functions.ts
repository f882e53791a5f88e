/**
 * Host functions: JS functions made callable from wasm. Each (function, signature) pair gets a host record (its index
 * for the dispatcher) and a VMFuncRef { code: the signature's import stub, vmctx: the host record, sigId }, so it can
 * be imported, stored in a table and called indirectly like any wasm function.
 */
import type { FuncType } from '../frontend/module-info.js';
import { VMFUNCREF_CODE, VMFUNCREF_SIG_ID, VMFUNCREF_SIZE, VMFUNCREF_VMCTX } from '../frontend/vm-offsets.js';
import { addHostFunction } from './host-dispatch.js';
import { HOST_RECORD_INDEX, HOST_RECORD_SIZE } from './import-stubs.js';
import { registerFuncRef, type FuncRefInfo, type FuncRefOwner } from './funcrefs.js';
import { allocateBlock } from './native-blocks.js';
import { importStubFor } from './signature-code.js';
import { sigIdOf } from './signatures.js';

class HostOwner implements FuncRefOwner {
  readonly kind = 'host' as const;
  constructor(readonly fn: (...args: unknown[]) => unknown) {}
}

const cache = new WeakMap<object, Map<number, FuncRefInfo>>();

/** The funcref through which wasm calls `fn` with type `type` (one per function and signature). */
export function hostFuncRef(fn: (...args: unknown[]) => unknown, type: FuncType): FuncRefInfo {
  if (typeof fn !== 'function') throw new TypeError('a host function must be callable');
  const sigId = sigIdOf(type);
  let bySig = cache.get(fn);
  if (bySig === undefined) {
    bySig = new Map();
    cache.set(fn, bySig);
  }
  const known = bySig.get(sigId);
  if (known !== undefined) return known;

  const code = importStubFor(type);
  const index = addHostFunction({ fn, type });
  // Host record and VMFuncRef in one block: [record (8 bytes)][VMFuncRef (24 bytes)].
  const block = allocateBlock(HOST_RECORD_SIZE + VMFUNCREF_SIZE, 16);
  block.setU32(HOST_RECORD_INDEX, index);
  const funcRef = HOST_RECORD_SIZE;
  block.setU64(funcRef + VMFUNCREF_CODE, code);
  block.setU64(funcRef + VMFUNCREF_VMCTX, block.address);
  block.setU32(funcRef + VMFUNCREF_SIG_ID, sigId);
  const info: FuncRefInfo = {
    address: block.address + funcRef,
    code,
    vmctx: block.address,
    sigId,
    type,
    funcIndex: -1,
    owner: new HostOwner(fn),
    exported: null,
  };
  registerFuncRef(info);
  bySig.set(sigId, info);
  return info;
}
