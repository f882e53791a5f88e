// The stack that machine code runs on.
//
// koffi does not run native code on the Node.js thread's stack: each synchronous call switches to a koffi-owned
// stack (sync_stack_size, 2 MiB by default, up to 16 MiB, with a PROT_NONE guard page on each side), and a
// callback switches back to the Node stack to run JS. Nested calls (machine code → JS → machine code) continue
// further down the same koffi stack (~3.6 KiB per level of koffi bookkeeping, plus the machine code's own frames).
// So a stack-limit check in generated code must compare against this stack's low end, not the thread's.
//
// Depth of machine code → JS → machine code nesting is also bounded by V8's own stack limit on the Node stack
// (about 180 levels at the default --stack-size); exceeding it throws a catchable RangeError.

import { readFileSync } from 'node:fs';
import koffi from 'koffi';
import { nativeFunction } from './call.js';
import { mapCode } from './code-memory.js';

const MAX_STACK_BYTES = 16 * 1024 * 1024; // koffi's limit
const MIN_STACK_BYTES = 64 * 1024;

/**
 * Sets the size of the stack machine code runs on. koffi accepts this only before any library is loaded, i.e.
 * before the first use of kindling's native layer (code memory, raw memory, cpuid…): call it at startup.
 */
export function configureNativeStack(bytes: number): void {
  if (!Number.isInteger(bytes) || bytes < MIN_STACK_BYTES || bytes > MAX_STACK_BYTES) {
    throw new RangeError(`configureNativeStack: size must be an integer in [${MIN_STACK_BYTES}, ${MAX_STACK_BYTES}] bytes, got ${bytes}`);
  }
  try {
    koffi.config({ sync_stack_size: bytes });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`configureNativeStack(${bytes}) failed: ${reason} (call it before any other use of native/)`);
  }
}

/** The configured size in bytes of the stack machine code runs on. */
export function nativeStackSize(): number {
  return koffi.config().sync_stack_size!;
}

// mov rax, rsp; ret — rsp as seen by machine code called through koffi (pointing at the return address).
const READ_RSP = [0x48, 0x89, 0xe0, 0xc3];
let readRsp: (() => bigint) | null = null;

/** The stack pointer of machine code called from here, right now. */
export function nativeStackPointer(): bigint {
  if (readRsp === null) readRsp = nativeFunction(mapCode(READ_RSP).address, { params: [], result: 'u64' });
  return readRsp();
}

export interface StackBounds {
  /** Lowest usable address (just above the guard page): the limit a stack check compares against. */
  low: bigint;
  /** One past the highest address. */
  high: bigint;
}

let bounds: StackBounds | null = null;

/** The address range of the stack machine code runs on (found once through /proc/self/maps). */
export function nativeStackBounds(): StackBounds {
  if (bounds !== null) return bounds;
  const rsp = nativeStackPointer();
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const match = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (match === null) continue;
    const low = BigInt('0x' + match[1]);
    const high = BigInt('0x' + match[2]);
    if (low <= rsp && rsp < high) {
      bounds = { low, high };
      return bounds;
    }
  }
  throw new Error(`nativeStackBounds: no mapping in /proc/self/maps contains the native stack pointer 0x${rsp.toString(16)}`);
}
