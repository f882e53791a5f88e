// kindling's WebAssembly namespace as the JS API defines it: Module (eager compilation, reflection), validate,
// compile, instantiate (both overloads), the error classes, and the engine/store options.
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { CompileError, Engine, Instance, LinkError, Module, RuntimeError, Store, WebAssembly as K } from '../../src/index.js';
import { wat } from './wat.js';

const ADD = `(module
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (memory (export "mem") 1)
  (global (export "g") i32 (i32.const 42))
  (table (export "t") 2 funcref)
)`;

describe('package entry', () => {
  it('exports Engine, Store, the namespace as WebAssembly, and its members by name', () => {
    for (const name of ['Module', 'Instance', 'Memory', 'Table', 'Global', 'CompileError', 'LinkError', 'RuntimeError', 'validate', 'compile', 'instantiate']) {
      expect(typeof (K as Record<string, unknown>)[name], name).toBe('function');
      expect((api as Record<string, unknown>)[name], name).toBe((K as Record<string, unknown>)[name]);
    }
    expect(typeof api.Engine).toBe('function');
    expect(typeof api.Store).toBe('function');
    expect(Object.prototype.toString.call(K)).toBe('[object WebAssembly]');
  });
});

describe('Module', () => {
  it('compiles eagerly and reflects exports, imports and custom sections', async () => {
    const bytes = await wat(`(module
      (import "env" "f" (func (param i32)))
      (import "env" "m" (memory 1))
      (import "env" "t" (table 1 funcref))
      (import "env" "g" (global (mut i64)))
      (func (export "run")) (export "mem" (memory 0)) (global (export "k") f32 (f32.const 1)))`);
    const module = new Module(bytes);
    expect(Object.prototype.toString.call(module)).toBe('[object WebAssembly.Module]');
    expect(Module.exports(module)).toEqual([
      { name: 'run', kind: 'function' },
      { name: 'mem', kind: 'memory' },
      { name: 'k', kind: 'global' },
    ]);
    expect(Module.imports(module)).toEqual([
      { module: 'env', name: 'f', kind: 'function' },
      { module: 'env', name: 'm', kind: 'memory' },
      { module: 'env', name: 't', kind: 'table' },
      { module: 'env', name: 'g', kind: 'global' },
    ]);
    // Node's own namespace says the same.
    const v8 = new WebAssembly.Module(bytes);
    expect(Module.exports(module)).toEqual(WebAssembly.Module.exports(v8));
    expect(Module.imports(module)).toEqual(WebAssembly.Module.imports(v8));
  });

  it('returns custom sections as fresh ArrayBuffers', () => {
    // Hand-made: a custom section "hello" with payload "world", twice.
    const section = [0x00, 0x0b, 0x05, ...new TextEncoder().encode('hello'), ...new TextEncoder().encode('world')];
    const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section, ...section]);
    const module = new Module(bytes);
    const sections = Module.customSections(module, 'hello');
    expect(sections.length).toBe(2);
    expect(sections[0]).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(sections[0])).toBe('world');
    expect(sections[0]).not.toBe(sections[1]);
    expect(Module.customSections(module, 'absent')).toEqual([]);
  });

  it('copies its bytes: changing the buffer afterwards changes nothing', async () => {
    const bytes = await wat(ADD);
    const module = new Module(bytes);
    bytes.fill(0);
    const add = new Instance(module).exports.add as (a: number, b: number) => number;
    expect(add(2, 3)).toBe(5);
  });

  it('accepts ArrayBuffer, typed arrays and DataView; rejects the rest with TypeError', async () => {
    const bytes = await wat(ADD);
    expect(() => new Module(bytes.buffer)).not.toThrow();
    expect(() => new Module(new DataView(bytes.buffer))).not.toThrow();
    expect(() => new Module('not bytes' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => new Module(undefined as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('throws CompileError naming the offset of malformed or invalid code', async () => {
    expect(() => new Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0))).toThrow(CompileError);
    const invalid = await wat('(module (func (result i32) (i64.const 1)))', { validate: false });
    try {
      new Module(invalid);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CompileError);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('CompileError');
      expect((error as Error).message).toMatch(/type mismatch.*at offset 0x[0-9a-f]+ \(function 0\)/);
    }
  });

  it('rejects options that are not an Engine', async () => {
    const bytes = await wat(ADD);
    expect(() => new Module(bytes, { engine: {} as Engine })).toThrow(TypeError);
  });

  it('reflection functions reject non-modules with TypeError', () => {
    expect(() => Module.exports({} as Module)).toThrow(TypeError);
    expect(() => Module.imports(new WebAssembly.Module(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0)) as unknown as Module)).toThrow(TypeError);
  });
});

describe('validate', () => {
  it('is true for valid modules, false for invalid or malformed ones, TypeError for non-buffers', async () => {
    expect(K.validate(await wat(ADD))).toBe(true);
    expect(K.validate(await wat('(module (func (result i32) (f32.const 1)))', { validate: false }))).toBe(false);
    expect(K.validate(Uint8Array.of(1, 2, 3))).toBe(false);
    expect(() => K.validate(42 as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('compile and instantiate', () => {
  it('compile resolves to a Module; CompileError arrives as a rejection', async () => {
    const module = await K.compile(await wat(ADD));
    expect(module).toBeInstanceOf(Module);
    await expect(K.compile(Uint8Array.of(0, 1, 2))).rejects.toBeInstanceOf(CompileError);
  });

  it('instantiate(bytes) resolves to { module, instance }; instantiate(module) to an Instance', async () => {
    const bytes = await wat(ADD);
    const source = await K.instantiate(bytes);
    expect(source.module).toBeInstanceOf(Module);
    expect(source.instance).toBeInstanceOf(Instance);
    expect((source.instance.exports.add as (a: number, b: number) => number)(40, 2)).toBe(42);
    const instance = await K.instantiate(source.module);
    expect(instance).toBeInstanceOf(Instance);
    expect((instance.exports.add as (a: number, b: number) => number)(1, 2)).toBe(3);
  });

  it('reports link errors, type errors and start-function traps as rejections', async () => {
    const needs = await wat('(module (import "env" "f" (func)))');
    await expect(K.instantiate(needs, {})).rejects.toBeInstanceOf(TypeError);
    await expect(K.instantiate(needs, { env: { f: 1 } })).rejects.toBeInstanceOf(LinkError);
    const traps = await wat('(module (func $s unreachable) (start $s))');
    await expect(K.instantiate(traps)).rejects.toBeInstanceOf(RuntimeError);
  });

  it('takes { engine, store } as the last argument: the module is compiled with the engine and runs in the store', async () => {
    const bytes = await wat('(module (func (export "spin") (param i32) (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))');
    const engine = new Engine({ consumeFuel: true });
    const store = new Store(engine);
    store.setFuel(1000);
    const { instance } = await K.instantiate(bytes, {}, { engine, store });
    (instance.exports.spin as (n: number) => void)(10);
    expect(store.fuelConsumed()).toBeGreaterThan(10n);
    // A store alone implies its engine.
    const store2 = new Store(engine);
    store2.setFuel(1000);
    const second = await K.instantiate(bytes, {}, { store: store2 });
    (second.instance.exports.spin as (n: number) => void)(10);
    expect(store2.fuelConsumed()).toBe(store.fuelConsumed());
  });

  it('refuses a store of another engine than the module was compiled with', async () => {
    const module = new Module(await wat(ADD), { engine: new Engine({ consumeFuel: true }) });
    expect(() => new Instance(module, {}, { store: new Store(new Engine()) })).toThrow(/different Engine/);
    await expect(K.instantiate(module, {}, { store: new Store() })).rejects.toBeInstanceOf(TypeError);
  });

  it('a module compiled with a fuel engine and no store given runs in the engine default store (0 fuel: traps)', async () => {
    const engine = new Engine({ consumeFuel: true });
    const module = new Module(await wat(ADD), { engine });
    const add = new Instance(module).exports.add as (a: number, b: number) => number;
    expect(() => add(1, 2)).toThrow(/all fuel consumed/);
  });
});

describe('error classes', () => {
  it('are Error subclasses with JS-API names', () => {
    for (const [Class, name] of [[CompileError, 'CompileError'], [LinkError, 'LinkError'], [RuntimeError, 'RuntimeError']] as const) {
      const error = new Class('x');
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      expect(String(error)).toBe(`${name}: x`);
    }
  });
});
