// Raw native memory: addresses of JS buffers, loads and stores at addresses, views over native memory, and the
// C heap for runtime structures (VMContext and friends).
//
// These are unchecked by nature: an address that is not mapped kills the process. The only guard is against the
// null address. For repeated access to one structure, take a view once (nativeBytes / nativeView) and use typed
// arrays: that is plain JS speed, where each read/write function below is one koffi call.

import koffi from 'koffi';
import { alignedCalloc, calloc, free, hex } from './libc.js';

export type Address = bigint | number;

/**
 * The address of a buffer's bytes (for a view: of its first byte, byteOffset included). For a
 * `WebAssembly.Memory`'s buffer this is the linear memory's base; V8 reserves the memory's whole address range up
 * front, so the base stays the same after `memory.grow()` (re-read it from the new `memory.buffer` to be safe).
 * Throws for a detached or empty buffer that has no backing store.
 */
export function addressOf(buffer: ArrayBuffer | SharedArrayBuffer | ArrayBufferView): bigint {
  let address: bigint;
  if (buffer instanceof ArrayBuffer || ArrayBuffer.isView(buffer)) {
    address = koffi.address(buffer);
  } else if (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer) {
    // koffi reads SharedArrayBuffers only through a view.
    address = koffi.address(new Uint8Array(buffer));
  } else {
    throw new TypeError(`addressOf: expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView, got ${describe(buffer)}`);
  }
  if (address === 0n) throw new Error('addressOf: the buffer has no backing store (it is detached or empty)');
  return address;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function checkAddress(address: Address, where: string): void {
  if (address === 0n || address === 0 || (typeof address !== 'bigint' && !Number.isSafeInteger(address))) {
    throw new TypeError(`${where}: invalid address ${typeof address === 'bigint' ? hex(address) : String(address)}`);
  }
}

// Loads. 64-bit loads are always bigint (koffi returns number or bigint by magnitude).

export function readU8(address: Address): number {
  checkAddress(address, 'readU8');
  return koffi.decode.uint8(address);
}

export function readU16(address: Address): number {
  checkAddress(address, 'readU16');
  return koffi.decode.uint16(address);
}

export function readU32(address: Address): number {
  checkAddress(address, 'readU32');
  return koffi.decode.uint32(address);
}

export function readI32(address: Address): number {
  checkAddress(address, 'readI32');
  return koffi.decode.int32(address);
}

export function readU64(address: Address): bigint {
  checkAddress(address, 'readU64');
  return BigInt(koffi.decode.uint64(address));
}

export function readI64(address: Address): bigint {
  checkAddress(address, 'readI64');
  return BigInt(koffi.decode.int64(address));
}

export function readF32(address: Address): number {
  checkAddress(address, 'readF32');
  return koffi.decode.float(address);
}

export function readF64(address: Address): number {
  checkAddress(address, 'readF64');
  return koffi.decode.double(address);
}

// Stores. Integer stores take the value's low bits (two's complement), so signed and unsigned values both work.

const U8 = koffi.types.uint8_t;
const U16 = koffi.types.uint16_t;
const U32 = koffi.types.uint32_t;
const U64 = koffi.types.uint64_t;
const F32 = koffi.types.float;
const F64 = koffi.types.double;

export function writeU8(address: Address, value: number): void {
  checkAddress(address, 'writeU8');
  koffi.encode(address, U8, value & 0xff);
}

export function writeU16(address: Address, value: number): void {
  checkAddress(address, 'writeU16');
  koffi.encode(address, U16, value & 0xffff);
}

export function writeU32(address: Address, value: number): void {
  checkAddress(address, 'writeU32');
  koffi.encode(address, U32, value >>> 0);
}

export function writeU64(address: Address, value: bigint | number): void {
  checkAddress(address, 'writeU64');
  koffi.encode(address, U64, BigInt.asUintN(64, BigInt(value)));
}

export function writeF32(address: Address, value: number): void {
  checkAddress(address, 'writeF32');
  koffi.encode(address, F32, value);
}

export function writeF64(address: Address, value: number): void {
  checkAddress(address, 'writeF64');
  koffi.encode(address, F64, value);
}

/**
 * An ArrayBuffer aliasing `length` bytes of native memory at `address` (no copy). The caller must stop using it
 * before that memory is freed or made unwritable: touching it afterwards faults the process.
 */
export function nativeView(address: Address, length: number): ArrayBuffer {
  checkAddress(address, 'nativeView');
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`nativeView: length must be a non-negative integer, got ${length}`);
  return koffi.view(address, length);
}

/** A Uint8Array aliasing native memory; same rules as nativeView. */
export function nativeBytes(address: Address, length: number): Uint8Array {
  return new Uint8Array(nativeView(address, length));
}

/**
 * `size` zeroed bytes on the C heap, aligned to `alignment` (a power of two, default 16). Release with freeNative.
 */
export function allocateNative(size: number, alignment = 16): bigint {
  if (!Number.isInteger(size) || size <= 0) throw new RangeError(`allocateNative: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new RangeError(`allocateNative: alignment must be a power of two, got ${alignment}`);
  }
  // malloc already aligns to 16 on x86-64 glibc; posix_memalign wants at least pointer alignment.
  return alignment <= 16 ? calloc(size) : alignedCalloc(size, Math.max(alignment, 8));
}

/** Frees memory from allocateNative. Freeing 0n is a no-op, like free(NULL). */
export function freeNative(address: bigint): void {
  if (address === 0n) return;
  free(address);
}
