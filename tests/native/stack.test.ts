import { describe, expect, it } from 'vitest';
import { nativeFunction } from '../../native/call.js';
import { registerCallback } from '../../native/callback.js';
import { allocateCode } from '../../native/code-memory.js';
import { configureNativeStack, nativeStackBounds, nativeStackPointer, nativeStackSize } from '../../native/stack.js';
import { mappingAt, readMappings } from './proc-maps.js';
import { THUNK, THUNK_TARGET_OFFSET } from './stubs.js';

describe('native stack', () => {
  it('machine code runs on a koffi stack of the configured size with guard pages, not the thread stack', () => {
    const rsp = nativeStackPointer();
    const { low, high } = nativeStackBounds();
    expect(low <= rsp && rsp < high).toBe(true);
    const size = high - low;
    // koffi rounds the configured size up to whole pages (plus possibly one).
    expect(size >= BigInt(nativeStackSize())).toBe(true);
    expect(size <= BigInt(nativeStackSize()) + 2n * 4096n).toBe(true);
    const mappings = readMappings();
    expect(mappingAt(low - 1n, mappings)?.perms).toBe('---p'); // guard page below
    const threadStack = mappings.find((m) => m.line.endsWith('[stack]'));
    if (threadStack !== undefined) expect(rsp >= threadStack.start && rsp < threadStack.end).toBe(false);
  });

  it('nested calls (machine code → JS → machine code) go further down the same stack', () => {
    const sig = { params: [], result: 'u64' } as const;
    const inner = registerCallback(() => nativeStackPointer(), sig);
    const thunk = allocateCode(THUNK.length);
    thunk.write(0, THUNK);
    thunk.writeU64(THUNK_TARGET_OFFSET, inner.address);
    thunk.seal();
    const outer = nativeFunction(thunk.address, sig);
    const top = nativeStackPointer();
    const nested = outer();
    const { low } = nativeStackBounds();
    expect(nested < top).toBe(true);
    expect(nested > low).toBe(true);
    inner.unregister();
    thunk.free();
  });

  it('stack size cannot change once the native layer is in use, and says so', () => {
    nativeStackPointer();
    expect(() => configureNativeStack(4 * 1024 * 1024)).toThrow(/configureNativeStack\(4194304\) failed: .*call it before any other use of native\//);
    expect(() => configureNativeStack(1024)).toThrow(/size must be an integer in \[65536, 16777216\] bytes, got 1024/);
  });
});
