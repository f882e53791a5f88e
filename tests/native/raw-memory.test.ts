import { describe, expect, it } from 'vitest';
import { nativeFunction } from '../../native/call.js';
import { mapCode } from '../../native/code-memory.js';
import {
  addressOf, allocateNative, freeNative, nativeBytes, nativeView, readF32, readF64, readI32, readI64, readU16, readU32, readU64,
  readU8, writeF32, writeF64, writeU16, writeU32, writeU64, writeU8,
} from '../../native/raw-memory.js';
import { mappingAt } from './proc-maps.js';
import { IDENTITY_64, LOAD_U32 } from './stubs.js';

describe('addressOf', () => {
  // Machine code that returns its pointer argument: koffi passes a buffer's own bytes, so this is an independent
  // witness of the backing-store address.
  const identity = nativeFunction(mapCode(IDENTITY_64).address, { params: ['ptr'], result: 'ptr' });
  const loadU32 = nativeFunction(mapCode(LOAD_U32).address, { params: ['ptr'], result: 'u32' });

  it('gives the backing store of ArrayBuffers and views, byteOffset included', () => {
    const buffer = new ArrayBuffer(64);
    const base = addressOf(buffer);
    expect(base).toBe(identity(buffer));
    expect(addressOf(new Uint8Array(buffer, 5))).toBe(base + 5n);
    expect(addressOf(new Float64Array(buffer, 16, 2))).toBe(base + 16n);
    expect(addressOf(new DataView(buffer, 9))).toBe(base + 9n);
    new DataView(buffer).setUint32(8, 0xcafebabe, true);
    expect(readU32(base + 8n)).toBe(0xcafebabe);
    expect(loadU32(base + 8n)).toBe(0xcafebabe);
  });

  it('works for SharedArrayBuffer', () => {
    const shared = new SharedArrayBuffer(16);
    new Uint32Array(shared)[1] = 0x01020304;
    const base = addressOf(shared);
    expect(readU32(base + 4n)).toBe(0x01020304);
    expect(addressOf(new Uint8Array(shared, 4))).toBe(base + 4n);
  });

  it("finds a WebAssembly.Memory's base, and it survives memory.grow", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 200 });
    const base = addressOf(memory.buffer);
    expect(base % 4096n).toBe(0n);
    new Uint32Array(memory.buffer)[10] = 0xdeadbeef;
    expect(readU32(base + 40n)).toBe(0xdeadbeef);
    writeU32(base + 44n, 1234567);
    expect(new Uint32Array(memory.buffer)[11]).toBe(1234567);

    memory.grow(3);
    expect(memory.buffer.byteLength).toBe(4 * 65536);
    expect(addressOf(memory.buffer)).toBe(base);
    // The new pages are real memory at the same base.
    writeU32(base + 3n * 65536n + 8n, 0x5a5a5a5a);
    expect(new Uint32Array(memory.buffer)[(3 * 65536 + 8) / 4]).toBe(0x5a5a5a5a);
    expect(readU32(base + 40n)).toBe(0xdeadbeef);

    memory.grow(100);
    expect(addressOf(memory.buffer)).toBe(base);
    // V8 reserves far more than the maximum (guard region): the reservation shows in /proc/self/maps.
    expect(mappingAt(base)?.perms).toBe('rw-p');
  });

  it('also for memories without a maximum and with zero initial pages', () => {
    const memory = new WebAssembly.Memory({ initial: 0 });
    const base = addressOf(memory.buffer);
    memory.grow(2);
    expect(addressOf(memory.buffer)).toBe(base);
    writeU8(base + 65536n, 0x7f);
    expect(new Uint8Array(memory.buffer)[65536]).toBe(0x7f);
  });

  it('rejects detached buffers and non-buffers', () => {
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => addressOf(buffer)).toThrow(/addressOf: the buffer has no backing store \(it is detached or empty\)/);
    expect(() => addressOf({} as never)).toThrow(/addressOf: expected an ArrayBuffer, SharedArrayBuffer or ArrayBufferView, got Object/);
    expect(() => addressOf(null as never)).toThrow(/got null/);
  });
});

describe('raw loads and stores', () => {
  it('round-trips every width with signed/unsigned forms', () => {
    const block = allocateNative(64);
    writeU8(block, 0xff);
    expect(readU8(block)).toBe(0xff);
    writeU8(block, -1);
    expect(readU8(block)).toBe(0xff);
    writeU16(block + 2n, 0xbeef);
    expect(readU16(block + 2n)).toBe(0xbeef);
    writeU32(block + 4n, -2);
    expect(readU32(block + 4n)).toBe(0xfffffffe);
    expect(readI32(block + 4n)).toBe(-2);
    writeU64(block + 8n, -3n);
    expect(readU64(block + 8n)).toBe(2n ** 64n - 3n);
    expect(readI64(block + 8n)).toBe(-3n);
    writeU64(block + 8n, 5); // small values come back as bigint too
    expect(readU64(block + 8n)).toBe(5n);
    expect(readI64(block + 8n)).toBe(5n);
    writeF64(block + 16n, -0);
    expect(Object.is(readF64(block + 16n), -0)).toBe(true);
    writeF64(block + 16n, Number.NaN);
    expect(readF64(block + 16n)).toBeNaN();
    writeF64(block + 16n, 1e308);
    expect(readF64(block + 16n)).toBe(1e308);
    writeF32(block + 24n, 0.1);
    expect(readF32(block + 24n)).toBe(Math.fround(0.1));
    // Little-endian layout, seen through a view.
    expect(Array.from(nativeBytes(block + 2n, 2))).toEqual([0xef, 0xbe]);
    // Number addresses work too.
    expect(readU16(Number(block) + 2)).toBe(0xbeef);
    freeNative(block);
  });

  it('views alias native memory without copying', () => {
    const block = allocateNative(32);
    const words = new Uint32Array(nativeView(block, 32));
    words[3] = 0xabcdef01;
    expect(readU32(block + 12n)).toBe(0xabcdef01);
    writeU32(block + 16n, 99);
    expect(words[4]).toBe(99);
    expect(nativeView(block, 0).byteLength).toBe(0);
    freeNative(block);
  });

  it('refuses the null address instead of crashing', () => {
    expect(() => readU32(0n)).toThrow(/readU32: invalid address 0x0/);
    expect(() => writeU64(0, 1n)).toThrow(/writeU64: invalid address 0/);
    expect(() => nativeView(0n, 8)).toThrow(/nativeView: invalid address/);
    expect(() => nativeView(8n, -1)).toThrow(/length must be a non-negative integer/);
  });
});

describe('allocateNative', () => {
  it('returns zeroed memory with the requested alignment', () => {
    for (const alignment of [8, 16, 64, 4096]) {
      const block = allocateNative(200, alignment);
      expect(block % BigInt(alignment)).toBe(0n);
      expect(nativeBytes(block, 200).every((b) => b === 0)).toBe(true);
      freeNative(block);
    }
  });

  it('rejects bad sizes and alignments; freeNative(0n) is a no-op', () => {
    expect(() => allocateNative(0)).toThrow(/allocateNative: size must be a positive integer, got 0/);
    expect(() => allocateNative(-8)).toThrow(RangeError);
    expect(() => allocateNative(16, 24)).toThrow(/alignment must be a power of two, got 24/);
    expect(() => freeNative(0n)).not.toThrow();
  });
});
