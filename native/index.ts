// kindling's only door to the OS. Everything here is Linux x86-64, System V ABI, through koffi.

export {
  MAP_FIXED, MAP_NORESERVE, MAP_PRIVATE, NativeError, PROT_EXEC, PROT_NONE, PROT_READ, PROT_WRITE, assertSupportedPlatform,
  errno, errnoName, mmapAnonymous, mprotect, munmap, pageSize, strerror,
} from './libc.js';
export { CodeRegion, allocateCode, codeMappedRanges, codeMemoryStats, mapCode, type CodeRegionState } from './code-memory.js';
export {
  type JsArgumentOf, type JsValueOf, type NativeParamType, type NativeSignature, type NativeType, type PointerArgument,
  signatureKey,
} from './signature.js';
export { nativeFunction, type NativeFunction } from './call.js';
export { registerCallback, type CallbackFunction, type NativeCallback } from './callback.js';
export {
  type Address, addressOf, allocateNative, freeNative, nativeBytes, nativeView, readF32, readF64, readI32, readI64, readU16,
  readU32, readU64, readU8, writeF32, writeF64, writeU16, writeU32, writeU64, writeU8,
} from './raw-memory.js';
export { cpuVendor, cpuid, type CpuidResult } from './cpuid.js';
export { configureNativeStack, nativeStackBounds, nativeStackPointer, nativeStackSize, type StackBounds } from './stack.js';
