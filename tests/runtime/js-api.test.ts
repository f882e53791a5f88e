// Memory, Table and Global: the WebAssembly JS API behaviours (compared with V8's where both apply) and their native
// definitions.
import { describe, expect, it } from 'vitest';
import { addressOf } from '../../native/index.js';
import { Memory, memoryStateOf } from '../../src/runtime/memory.js';
import { Table } from '../../src/runtime/table.js';
import { Global } from '../../src/runtime/global.js';
import { hostFuncRef } from '../../src/runtime/host-functions.js';
import { exportedFunctionOf } from '../../src/runtime/exported-function.js';
import { I32, funcType } from './helpers.js';

function sameError(ours: () => unknown, v8: () => unknown): void {
  let a: unknown;
  let b: unknown;
  try {
    ours();
  } catch (e) {
    a = e;
  }
  try {
    v8();
  } catch (e) {
    b = e;
  }
  expect(a, 'kindling threw').toBeDefined();
  expect(b, 'V8 threw').toBeDefined();
  expect((a as Error).constructor.name).toBe((b as Error).constructor.name);
}

describe('Memory', () => {
  it('is a real WebAssembly.Memory whose definition tracks grow', () => {
    const m = new Memory({ initial: 1, maximum: 4 });
    expect(m).toBeInstanceOf(WebAssembly.Memory);
    const state = memoryStateOf(m);
    expect(state.definition.getU64(0)).toBe(Number(addressOf(m.buffer)));
    expect(state.definition.getU64(8)).toBe(65536);
    const before = m.buffer;
    expect(m.grow(2)).toBe(1);
    expect(before.byteLength).toBe(0); // detached, as V8 does
    expect(m.buffer.byteLength).toBe(3 * 65536);
    expect(state.definition.getU64(8)).toBe(3 * 65536);
    expect(state.definition.getU64(0)).toBe(Number(addressOf(m.buffer))); // base did not move
    expect(() => m.grow(2)).toThrow(RangeError);
    expect(state.definition.getU64(8)).toBe(3 * 65536);
    expect(m.maximumPages).toBe(4);
  });

  it('rejects bad descriptors like V8', () => {
    const cases: unknown[] = [undefined, {}, { initial: -1 }, { initial: NaN }, { initial: 65537 }, { initial: 2, maximum: 1 }, { initial: 'x' }];
    for (const d of cases) sameError(() => new Memory(d as never), () => new WebAssembly.Memory(d as never));
  });

  it('adopts a plain WebAssembly.Memory and notices when its owner grows it', () => {
    const raw = new WebAssembly.Memory({ initial: 1 });
    const state = memoryStateOf(raw);
    expect(memoryStateOf(raw)).toBe(state);
    raw.grow(1);
    expect(state.definition.getU64(8)).toBe(65536); // not yet noticed
    state.check();
    expect(state.definition.getU64(8)).toBe(2 * 65536);
    const zero = new WebAssembly.Memory({ initial: 0 });
    const zeroState = memoryStateOf(zero);
    zero.grow(1);
    zeroState.check(); // a 0-length memory is always re-checked (its detached buffer also has length 0)
    expect(zeroState.length).toBe(65536);
    expect(zeroState.definition.getU64(0)).toBe(Number(addressOf(zero.buffer)));
  });
});

describe('Table', () => {
  const wasmFunction = exportedFunctionOf(hostFuncRef((x: unknown) => x, funcType([I32], [I32])));

  it('funcref tables hold null or exported wasm functions', () => {
    const t = new Table({ element: 'anyfunc', initial: 2, maximum: 5 });
    expect(t.length).toBe(2);
    expect(t.get(0)).toBeNull();
    t.set(1, wasmFunction);
    expect(t.get(1)).toBe(wasmFunction);
    expect(t.getRaw(1)).toBeGreaterThan(0);
    expect(() => t.set(0, () => 1)).toThrow(TypeError);
    expect(() => t.get(2)).toThrow(RangeError);
    expect(() => t.set(2, null)).toThrow(RangeError);
    expect(t.grow(2, wasmFunction)).toBe(2);
    expect(t.get(3)).toBe(wasmFunction);
    expect(t.grow(1)).toBe(4);
    expect(t.get(4)).toBeNull();
    expect(() => t.grow(1)).toThrow(RangeError);
    expect(t.length).toBe(5);
    expect(t.definition.getU32(8)).toBe(5);
    t.set(1); // missing value: null for funcref
    expect(t.get(1)).toBeNull();
  });

  it('externref tables hold any JS value; a missing value is undefined', () => {
    const t = new Table({ element: 'externref', initial: 1 });
    expect(t.get(0)).toBeUndefined();
    const v8 = new WebAssembly.Table({ element: 'externref', initial: 1 });
    expect(v8.get(0)).toBeUndefined();
    const o = { o: 1 };
    t.set(0, o);
    expect(t.get(0)).toBe(o);
    t.set(0, null);
    expect(t.get(0)).toBeNull();
    expect(t.grow(1000, 'x')).toBe(1);
    expect(t.get(1000)).toBe('x');
    expect(t.length).toBe(1001);
  });

  it('rejects bad descriptors like V8', () => {
    const cases: unknown[] = [
      {}, { element: 'i32', initial: 1 }, { element: 'anyfunc' }, { element: 'anyfunc', initial: 20_000_000 },
      { element: 'anyfunc', initial: 2, maximum: 1 }, { element: 'anyfunc', initial: -1 },
    ];
    for (const d of cases) sameError(() => new Table(d as never), () => new WebAssembly.Table(d as never));
  });
});

describe('Global', () => {
  it('converts values like the JS API and keeps them in a native cell', () => {
    const g = new Global({ value: 'i32', mutable: true }, 2 ** 32 + 7);
    expect(g.value).toBe(7);
    g.value = -1;
    expect(g.value).toBe(-1);
    expect(g.valueOf()).toBe(-1);
    expect(new DataView(g.cellBytes.buffer, g.cellBytes.byteOffset).getInt32(0, true)).toBe(-1);
    const i64 = new Global({ value: 'i64' }, 2n ** 64n - 1n);
    expect(i64.value).toBe(-1n);
    expect(new Global({ value: 'i64' }).value).toBe(0n);
    expect(() => new Global({ value: 'i64' }, 5)).toThrow(TypeError);
    expect(new Global({ value: 'f32' }, 0.1).value).toBe(Math.fround(0.1));
    expect(new Global({ value: 'f64' }, '2.5').value).toBe(2.5);
    expect(() => {
      i64.value = 1n;
    }).toThrow(TypeError);
    const ext = new Global({ value: 'externref', mutable: true });
    expect(ext.value).toBeNull(); // V8: a missing externref value is null here
    expect(new WebAssembly.Global({ value: 'externref' }).value).toBeNull();
    expect(new Global({ value: 'externref' }, undefined).value).toBeUndefined();
    const fn = exportedFunctionOf(hostFuncRef(() => 0, funcType([], [I32])));
    const fr = new Global({ value: 'anyfunc', mutable: true }, fn);
    expect(fr.value).toBe(fn);
    expect(() => {
      fr.value = () => 0;
    }).toThrow(TypeError);
    fr.value = null;
    expect(fr.value).toBeNull();
    expect(String(Object.prototype.toString.call(g))).toBe('[object WebAssembly.Global]');
  });

  it('rejects bad descriptors like V8', () => {
    const cases: unknown[] = [{}, { value: 'x' }, { value: 'v128' }, null];
    for (const d of cases) sameError(() => new Global(d as never), () => new WebAssembly.Global(d as never));
  });
});
