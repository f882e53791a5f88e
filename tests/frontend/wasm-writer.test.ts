/** ByteWriter's encoders against the decoder (BinaryReader), their size functions, and listSections. */
import { describe, expect, it } from 'vitest';
import { BinaryReader, CompileError } from '../../src/frontend/index.js';
import { ByteWriter, listSections, s32Size, u32Size } from '../../src/frontend/wasm-writer.js';
import { module, name, section } from './wasm-builder.js';

const U32_SAMPLES = [0, 1, 63, 64, 127, 128, 255, 16383, 16384, 2097151, 2097152, 268435455, 268435456, 0x7fffffff, 0x80000000, 0xffffffff];
const S32_SAMPLES = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8192, -8193, 0x7fffffff, -0x80000000, 123456789, -987654321];
const S64_SAMPLES = [0n, 1n, -1n, 63n, 64n, -64n, -65n, (1n << 31n), -(1n << 31n) - 1n, (1n << 63n) - 1n, -(1n << 63n), 0x123456789abcdefn];

describe('ByteWriter encoders decode back to the same value', () => {
  it('u32, with u32Size equal to the bytes written', () => {
    for (const n of U32_SAMPLES) {
      const w = new ByteWriter(1);
      w.u32(n);
      expect(w.length).toBe(u32Size(n));
      const r = new BinaryReader(w.toBytes());
      expect(r.readVarU32()).toBe(n);
      expect(r.pos).toBe(w.length);
    }
    const w = new ByteWriter();
    w.u32(624485);
    expect(Array.from(w.view())).toEqual([0xe5, 0x8e, 0x26]); // the LEB128 article's example
  });

  it('s32, with s32Size equal to the bytes written', () => {
    for (const n of S32_SAMPLES) {
      const w = new ByteWriter();
      w.s32(n);
      expect(w.length).toBe(s32Size(n));
      const r = new BinaryReader(w.toBytes());
      expect(r.readVarS32()).toBe(n);
      expect(r.pos).toBe(w.length);
    }
    const w = new ByteWriter();
    w.s32(-123456);
    expect(Array.from(w.view())).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('s64 (as the reader’s two int32 halves)', () => {
    for (const v of S64_SAMPLES) {
      const w = new ByteWriter();
      w.s64(v);
      const r = new BinaryReader(w.toBytes());
      r.readVarS64();
      expect(r.pos).toBe(w.length);
      expect((BigInt(r.i64hi) << 32n) | BigInt(r.i64lo >>> 0)).toBe(v);
    }
  });

  it('rejects values outside their range', () => {
    const w = new ByteWriter();
    expect(() => w.u32(-1)).toThrow(RangeError);
    expect(() => w.u32(2 ** 32)).toThrow(RangeError);
    expect(() => w.s32(2 ** 31)).toThrow(RangeError);
    expect(() => w.s64(1n << 63n)).toThrow(RangeError);
  });

  it('grows past its capacity; raw copies short and long stretches; name and section framing', () => {
    const w = new ByteWriter(1);
    const src = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    w.raw(src, 5, 9);
    w.raw(src, 0, 300);
    w.name('hé');
    const payload = new ByteWriter();
    payload.u8(7);
    payload.u8(8);
    w.section(6, payload);
    const out = w.toBytes();
    expect(out.length).toBe(4 + 300 + 4 + 4);
    expect(Array.from(out.subarray(0, 4))).toEqual([5, 6, 7, 8]);
    expect(Array.from(out.subarray(4, 304))).toEqual(Array.from(src));
    expect(Array.from(out.subarray(304))).toEqual([3, 0x68, 0xc3, 0xa9, 6, 2, 7, 8]);
  });
});

describe('listSections', () => {
  it('lists each section with its payload range', () => {
    const bytes = module(section(1, [1, 0x60, 0, 0]), section(0, [...name('x'), 9, 9]), section(3, [1, 0]));
    expect(listSections(bytes)).toEqual([
      { id: 1, start: 8, payloadStart: 10, end: 14 },
      { id: 0, start: 14, payloadStart: 16, end: 20 },
      { id: 3, start: 20, payloadStart: 22, end: 24 },
    ]);
  });

  it('a size past the end or a bad header is a CompileError', () => {
    expect(() => listSections(module(section(1, [1, 2, 3])).subarray(0, 11))).toThrow(CompileError);
    expect(() => listSections(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8))).toThrow(/magic header/);
    expect(listSections(module())).toEqual([]);
  });
});
