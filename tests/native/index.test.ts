import { describe, expect, it } from 'vitest';
import * as native from '../../native/index.js';

describe('native/index', () => {
  it('re-exports the public pieces, and they work together', () => {
    for (const name of [
      'allocateCode', 'mapCode', 'nativeFunction', 'registerCallback', 'addressOf', 'allocateNative', 'freeNative', 'readU32',
      'writeU64', 'nativeBytes', 'cpuid', 'cpuVendor', 'mprotect', 'munmap', 'pageSize', 'nativeStackBounds', 'configureNativeStack',
    ] as const) {
      expect(typeof native[name], name).toBe('function');
    }
    expect(native.NativeError.prototype).toBeInstanceOf(Error);
    const region = native.mapCode([0x8d, 0x47, 0x01, 0xc3]); // lea eax, [rdi + 1]; ret
    expect(native.nativeFunction(region.address, { params: ['i32'], result: 'i32' })(41)).toBe(42);
    region.free();
  });
});
