// Linking and instantiation: JS function imports, kindling's and Node's own Memory / Global objects, tables, another
// kindling instance's functions (called wasm → wasm), LinkErrors naming the import, the start function, segment
// bounds, and the shape of the exports object.
import { describe, expect, it } from 'vitest';
import { Global, Instance, LinkError, Memory, Module, RuntimeError, Table, WebAssembly as K } from '../../src/index.js';
import { wat } from './wat.js';

async function instance(text: string, imports: Record<string, Record<string, unknown>> = {}): Promise<Record<string, any>> {
  return new Instance(new Module(await wat(text)), imports).exports as Record<string, any>;
}

describe('function imports', () => {
  it('calls JS with JS-API conversions both ways (i64 as BigInt, results converted from JS values)', async () => {
    const seen: unknown[] = [];
    const e = await instance(
      `(module
        (import "env" "f" (func $f (param i32 i64 f32 f64) (result i64)))
        (import "env" "g" (func $g (result i32)))
        (func (export "run") (result i64) (call $f (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const 0.25)))
        (func (export "g") (result i32) (call $g)))`,
      { env: { f: (...args: unknown[]) => (seen.push(...args), 7n), g: () => '12' } },
    );
    expect(e.run()).toBe(7n);
    expect(seen).toEqual([-1, -2n, 1.5, 0.25]);
    expect(e.g()).toBe(12);
  });

  it('a function exported by another kindling instance is called wasm → wasm: one backtrace spans both modules', async () => {
    const inner = await instance(`(module (func $divide (export "divide") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1))))`);
    const outer = await instance(
      `(module (import "inner" "divide" (func $divide (param i32 i32) (result i32)))
        (func $outer (export "run") (param i32) (result i32) (call $divide (i32.const 100) (local.get 0)))
        (export "divide" (func $divide)))`,
      { inner },
    );
    expect(outer.run(7)).toBe(14);
    // Re-exporting an imported wasm function hands back the very same function object.
    expect(outer.divide).toBe(inner.divide);
    try {
      outer.run(0);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RuntimeError);
      const frames = (error as RuntimeError).wasmFrames.map((f) => f.name);
      // Both frames in one activation: there was no JS between them.
      expect(frames).toEqual(['divide', 'outer']);
    }
  });

  it('LinkError for a wasm function of the wrong type, naming the import', async () => {
    const inner = await instance(`(module (func (export "f") (param i64)))`);
    await expect(instance(`(module (import "m" "f" (func (param i32))))`, { m: inner })).rejects.toThrow(
      /Import #0 "m" "f".*expected \(i32\) -> \(\), got \(i64\) -> \(\)/,
    );
    await expect(instance(`(module (import "m" "f" (func (param i32))))`, { m: { f: 3 } })).rejects.toBeInstanceOf(LinkError);
  });

  it('TypeError when the import object or a module namespace is missing', async () => {
    const bytes = await wat(`(module (import "env" "f" (func)))`);
    const module = new Module(bytes);
    expect(() => new Instance(module)).toThrow(TypeError);
    expect(() => new Instance(module, { other: {} })).toThrow(/Import #0 "env": module is not an object/);
  });
});

describe('memory imports', () => {
  const MEM = `(module (import "env" "mem" (memory 1 4))
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;

  it("shares kindling's Memory with JS, grows from both sides", async () => {
    const mem = new Memory({ initial: 1, maximum: 4 });
    const e = await instance(MEM, { env: { mem } });
    e.store(8, 0x01020304);
    expect(new Uint8Array(mem.buffer).subarray(8, 12)).toEqual(Uint8Array.of(4, 3, 2, 1));
    expect(e.grow(1)).toBe(1);
    expect(mem.buffer.byteLength).toBe(2 * 65536);
    mem.grow(1);
    expect(e.size()).toBe(3);
    new DataView(mem.buffer).setInt32(3 * 65536 - 4, 99, true);
    expect(e.load(3 * 65536 - 4)).toBe(99);
    expect(e.grow(2)).toBe(-1);
  });

  it("uses a memory of Node's own namespace (as node:wasi does), including grows done by JS", async () => {
    const mem = new WebAssembly.Memory({ initial: 1, maximum: 3 });
    const e = await instance(MEM, { env: { mem } });
    e.store(0, 7);
    expect(new Int32Array(mem.buffer)[0]).toBe(7);
    mem.grow(1);
    expect(e.size()).toBe(2);
    expect(() => e.load(2 * 65536)).toThrow(RuntimeError);
    expect(e.load(65536)).toBe(0);
  });

  it('LinkError when the limits do not fit, for kindling and V8 memories alike', async () => {
    const bytes = await wat(MEM);
    const module = new Module(bytes);
    const cases: [string, WebAssembly.Memory][] = [
      ['kindling, no maximum', new Memory({ initial: 1 })],
      ['kindling, maximum too large', new Memory({ initial: 1, maximum: 5 })],
      ['V8, no maximum', new WebAssembly.Memory({ initial: 1 })],
      ['V8, maximum too large', new WebAssembly.Memory({ initial: 1, maximum: 8 })],
      ['too small', new Memory({ initial: 0, maximum: 4 })],
    ];
    for (const [what, mem] of cases) {
      expect(() => new Instance(module, { env: { mem } }), what).toThrow(LinkError);
      expect(() => new Instance(module, { env: { mem } }), what).toThrow(/Import #0 "env" "mem"/);
    }
    expect(() => new Instance(module, { env: { mem: new WebAssembly.Memory({ initial: 2, maximum: 4 }) } })).not.toThrow();
    expect(() => new Instance(module, { env: { mem: {} } })).toThrow(/must be a WebAssembly.Memory/);
  });
});

describe('table imports', () => {
  it('shares a table between two instances: one fills it, the other calls through it', async () => {
    const table = new Table({ element: 'anyfunc', initial: 2 });
    const a = await instance(
      `(module (import "env" "t" (table 2 funcref)) (func $seven (result i32) (i32.const 7)) (elem (i32.const 1) $seven))`,
      { env: { t: table } },
    );
    expect(a).toBeDefined();
    const b = await instance(
      `(module (import "env" "t" (table 2 funcref)) (type $r (func (result i32)))
        (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))`,
      { env: { t: table } },
    );
    expect(b.call(1)).toBe(7);
    expect(() => b.call(0)).toThrow(/indirect call to null/);
    expect(typeof table.get(1)).toBe('function');
  });

  it("LinkError for a table of Node's own namespace, saying what to use instead", async () => {
    await expect(instance(`(module (import "env" "t" (table 1 funcref)))`, { env: { t: new WebAssembly.Table({ element: 'anyfunc', initial: 1 }) } })).rejects.toThrow(
      /create it with kindling's WebAssembly.Table/,
    );
  });
});

describe('global imports', () => {
  const GLOBALS = `(module (import "env" "g" (global $g (mut i32)))
    (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))))
    (func (export "get") (result i32) (global.get $g))
    (export "g" (global $g)))`;

  it("shares a mutable kindling Global: writes from either side are seen by the other", async () => {
    const g = new Global({ value: 'i32', mutable: true }, 10);
    const e = await instance(GLOBALS, { env: { g } });
    e.bump();
    expect(g.value).toBe(11);
    g.value = 40;
    expect(e.get()).toBe(40);
    expect(e.g).toBe(g);
  });

  it("mirrors a mutable global of Node's own namespace, also across host calls", async () => {
    const g = new WebAssembly.Global({ value: 'i32', mutable: true }, 5);
    const observed: number[] = [];
    const e = await instance(
      `(module (import "env" "g" (global $g (mut i32))) (import "env" "look" (func $look))
        (func (export "bump") (global.set $g (i32.add (global.get $g) (i32.const 1))) (call $look) (global.set $g (i32.mul (global.get $g) (i32.const 2))))
        (func (export "get") (result i32) (global.get $g))
        (export "g" (global $g)))`,
      { env: { g, look: () => { observed.push(g.value as number); g.value = 100; } } },
    );
    e.bump();
    expect(observed).toEqual([6]);
    expect(g.value).toBe(200);
    g.value = -3;
    expect(e.get()).toBe(-3);
    // Re-exported: the same object that was imported.
    expect(e.g).toBe(g);
  });

  it("imports an immutable global of Node's own namespace by value, checking its type with V8", async () => {
    const text = `(module (import "env" "g" (global $g f64)) (func (export "get") (result f64) (global.get $g)))`;
    const e = await instance(text, { env: { g: new WebAssembly.Global({ value: 'f64' }, 2.5) } });
    expect(e.get()).toBe(2.5);
    await expect(instance(text, { env: { g: new WebAssembly.Global({ value: 'i32' }, 2) } })).rejects.toBeInstanceOf(LinkError);
    await expect(instance(text, { env: { g: new WebAssembly.Global({ value: 'f64', mutable: true }, 2) } })).rejects.toBeInstanceOf(LinkError);
  });

  it('takes plain numbers and BigInts for immutable globals, LinkError otherwise', async () => {
    const e = await instance(`(module (import "env" "a" (global $a i32)) (import "env" "b" (global $b i64))
      (func (export "sum") (result i64) (i64.add (i64.extend_i32_s (global.get $a)) (global.get $b))))`, { env: { a: 2, b: 40n } });
    expect(e.sum()).toBe(42n);
    await expect(instance(`(module (import "env" "b" (global i64)))`, { env: { b: 1 } })).rejects.toThrow(/must be a BigInt/);
    await expect(instance(`(module (import "env" "b" (global (mut i32))))`, { env: { b: 1 } })).rejects.toThrow(/must be a WebAssembly.Global/);
  });
});

describe('instantiation', () => {
  it('runs the start function after the segments, before the exports are handed out', async () => {
    const calls: number[] = [];
    const e = await instance(
      `(module (import "env" "log" (func $log (param i32))) (memory (export "mem") 1)
        (data (i32.const 0) "\\2a")
        (func $start (call $log (i32.load8_u (i32.const 0))))
        (start $start))`,
      { env: { log: (x: number) => calls.push(x) } },
    );
    expect(calls).toEqual([42]);
    expect(e.mem).toBeInstanceOf(WebAssembly.Memory);
  });

  it('an out-of-bounds data segment fails instantiation; the segments before it stay written', async () => {
    const mem = new Memory({ initial: 1 });
    const text = `(module (import "env" "mem" (memory 1))
      (data (i32.const 10) "ok")
      (data (i32.const 65535) "no"))`;
    await expect(instance(text, { env: { mem } })).rejects.toThrow(/out of bounds memory access/);
    expect(new TextDecoder().decode(new Uint8Array(mem.buffer, 10, 2))).toBe('ok');
  });

  it('an out-of-bounds element segment fails with a table trap; a zero-length segment at the end is fine', async () => {
    const table = new Table({ element: 'anyfunc', initial: 3 });
    await expect(instance(`(module (import "env" "t" (table 3 funcref)) (func $f) (elem (i32.const 1) $f) (elem (i32.const 3) $f $f))`, { env: { t: table } })).rejects.toThrow(
      /out of bounds table access/,
    );
    expect(table.get(1)).not.toBeNull();
    await expect(instance(`(module (memory 1) (data (i32.const 65536) "") (table 1 funcref) (elem (i32.const 1)))`)).resolves.toBeDefined();
  });

  it('a start function that traps makes the Instance constructor throw the RuntimeError', async () => {
    const module = new Module(await wat(`(module (func $s (drop (i32.div_s (i32.const 1) (i32.const 0)))) (start $s))`));
    expect(() => new Instance(module)).toThrow(/integer divide by zero/);
  });

  it('exports: a frozen null-prototype object; functions keep their identity, index name and arity', async () => {
    const e = await instance(`(module (func (export "a") (param i32 f64)) (func $b (export "b") (result i32) (i32.const 1)) (export "c" (func $b)))`);
    expect(Object.getPrototypeOf(e)).toBeNull();
    expect(Object.isFrozen(e)).toBe(true);
    expect(Object.keys(e)).toEqual(['a', 'b', 'c']);
    expect(e.b).toBe(e.c);
    expect(e.a.name).toBe('0');
    expect(e.b.name).toBe('1');
    expect(e.a.length).toBe(2);
    expect(() => new e.a()).toThrow(TypeError);
  });

  it('instance.exports is the same object every time', async () => {
    const { instance: inst } = await K.instantiate(await wat('(module (func (export "f")))'));
    expect(inst.exports).toBe(inst.exports);
  });
});
