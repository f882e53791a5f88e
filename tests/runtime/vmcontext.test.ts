// VMContext filling and linking: every field generated code reads, checked in native memory.
import { describe, expect, it } from 'vitest';
import { RAX, RDI, mem } from '../../src/x64/index.js';
import { parseModule } from '../../src/frontend/index.js';
import {
  VMCTX_BUILTINS, VMCTX_FUNC_REFS, VMCTX_INTERRUPTS, VMFUNCREF_CODE, VMFUNCREF_SIG_ID, VMFUNCREF_VMCTX, VMFUNCTION_IMPORT_CODE,
  VMFUNCTION_IMPORT_VMCTX, VMMEMORY_LENGTH, VMOffsets,
} from '../../src/frontend/vm-offsets.js';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { nativeView } from '../../native/index.js';
import { builtinsArrayAddress } from '../../src/runtime/builtins.js';
import { createVMInstance } from '../../src/runtime/vmcontext.js';
import { resolveImports } from '../../src/runtime/link.js';
import { Store } from '../../src/runtime/store.js';
import { Global } from '../../src/runtime/global.js';
import { Memory, memoryStateOf } from '../../src/runtime/memory.js';
import { Table } from '../../src/runtime/table.js';
import { LinkError, RuntimeError } from '../../src/runtime/errors.js';
import { funcRefOfFunction } from '../../src/runtime/funcrefs.js';
import { sigIdOf } from '../../src/runtime/signatures.js';
import { wat } from '../frontend/wasm-builder.js';
import { HandModule } from './helpers.js';

const MODULE = `(module
  (import "env" "f" (func $f (param i32) (result i32)))
  (import "env" "g" (global $g i64))
  (import "env" "mem" (memory 1))
  (import "env" "tab" (table 2 funcref))
  (global $a (export "a") (mut i32) (i32.const -5))
  (global $b (export "b") i64 (global.get $g))
  (global $c (export "c") f32 (f32.const nan:0x200001))
  (global $d (export "d") f64 (f64.const -0.25))
  (global $e (export "e") funcref (ref.func $len))
  (global $n (export "n") externref (ref.null extern))
  (func $len (export "len") (result i32) unreachable)
  (export "f" (func $f)) (export "mem" (memory 0)) (export "tab" (table 0))
  (elem (i32.const 1) $len)
  (data (i32.const 8) "hi")
)`;

/** len() -> memory 0's current byte length, read from its VMMemoryDefinition (as bounds checks will). */
function lengthReader(memPointerOffset: number) {
  const m = new HandModule();
  m.func((a) => {
    a.movRM(8, RAX, mem(RDI, memPointerOffset));
    a.movRM(4, RAX, mem(RAX, VMMEMORY_LENGTH));
    a.ret();
  });
  return m.load('len');
}

async function setup(envOverrides: Record<string, unknown> = {}) {
  const module = parseModule(await wat(MODULE));
  const raw = new WebAssembly.Memory({ initial: 1 });
  const env = { f: (x: number) => x + 1, g: 7n, mem: raw, tab: new Table({ element: 'anyfunc', initial: 2 }), ...envOverrides };
  const store = new Store();
  const code = lengthReader(new VMOffsets(module).memoryDefinitionPointer(0));
  const instance = createVMInstance(module, store, code, resolveImports(module, { env }));
  instance.runActiveSegments();
  return { module, raw, env, store, code, instance };
}

describe('VMContext', () => {
  it('fills the header, imported functions, funcrefs, memory/table pointers and global cells', async () => {
    const { module, raw, env, store, code, instance } = await setup();
    const v = instance.vmctx;
    const off = instance.offsets;
    expect(v.getU64(VMCTX_INTERRUPTS)).toBe(store.interruptsAddress);
    expect(v.getU64(VMCTX_BUILTINS)).toBe(builtinsArrayAddress());
    // funcRefs[] → VMFuncRef of each function; function 0 is the import (host function), 1 is $len.
    const funcRefs = new DataView(nativeView(v.getU64(VMCTX_FUNC_REFS), 16));
    const ref = (i: number) => Number(funcRefs.getBigUint64(i * 8, true));
    const imported = instance.funcRefs[0]!;
    expect(ref(0)).toBe(imported.address);
    expect(v.getU64(off.importedFunction(0) + VMFUNCTION_IMPORT_CODE)).toBe(imported.code);
    expect(v.getU64(off.importedFunction(0) + VMFUNCTION_IMPORT_VMCTX)).toBe(imported.vmctx);
    const len = new DataView(nativeView(ref(1), 24));
    expect(Number(len.getBigUint64(VMFUNCREF_CODE, true))).toBe(code.functionAddress(0));
    expect(Number(len.getBigUint64(VMFUNCREF_VMCTX, true))).toBe(v.address);
    expect(len.getUint32(VMFUNCREF_SIG_ID, true)).toBe(sigIdOf(module.types[1]!));
    expect(v.getU64(off.memoryDefinitionPointer(0))).toBe(memoryStateOf(raw).definition.address);
    expect(v.getU64(off.tableDefinitionPointer(0))).toBe((env.tab as Table).definition.address);
    expect(v.getU64(off.importedGlobalPointer(0))).toBe((instance.globals[0] as Global).cellAddress);
    // Defined globals, bit-exact in their cells.
    const cell = (i: number) => off.definedGlobalCell(i);
    expect(v.view.getInt32(v.at + cell(1), true)).toBe(-5);
    expect(v.view.getBigInt64(v.at + cell(2), true)).toBe(7n);
    expect(v.view.getUint32(v.at + cell(3), true)).toBe(0x7fa00001); // f32 NaN payload kept
    expect(v.view.getFloat64(v.at + cell(4), true)).toBe(-0.25);
    expect(v.getU64(cell(5))).toBe(ref(1));
    expect(v.getU64(cell(6))).toBe(0);
  });

  it('exports functions, the imported memory and table themselves, and live globals', async () => {
    const { raw, env, instance } = await setup();
    const ex = instance.exports;
    expect(Object.getPrototypeOf(ex)).toBeNull();
    expect(Object.isFrozen(ex)).toBe(true);
    expect(Object.keys(ex)).toEqual(['a', 'b', 'c', 'd', 'e', 'n', 'len', 'f', 'mem', 'tab']);
    expect(ex.mem).toBe(raw);
    expect(ex.tab).toBe(env.tab);
    expect((ex.f as (x: number) => number)(41)).toBe(42); // the host import, called through a trampoline + stub
    expect((ex.e as Global).value).toBe(ex.len);
    expect((ex.tab as Table).get(1)).toBe(ex.len); // active element segment
    expect(new TextDecoder().decode(raw.buffer.slice(8, 10))).toBe('hi'); // active data segment
    const a = ex.a as Global;
    expect(a.value).toBe(-5);
    a.value = 9;
    expect(instance.vmctx.view.getInt32(instance.vmctx.at + instance.offsets.definedGlobalCell(1), true)).toBe(9);
    expect((ex.b as Global).value).toBe(7n);
    expect(Number.isNaN((ex.c as Global).value)).toBe(true);
    expect(() => {
      (ex.b as Global).value = 1n;
    }).toThrow(TypeError);
    expect((ex.n as Global).value).toBeNull();
    expect(funcRefOfFunction(ex.len)?.funcIndex).toBe(1);
  });

  it('refreshes the memory length before each call from JS when the owner grew it directly', async () => {
    const { raw, instance } = await setup();
    const len = instance.exports.len as () => number;
    expect(len()).toBe(65536);
    raw.grow(2);
    expect(len()).toBe(3 * 65536);
    const ours = new Memory({ initial: 1, maximum: 2 });
    const second = await setup({ mem: ours });
    ours.grow(1);
    expect((second.instance.exports.len as () => number)()).toBe(2 * 65536);
  });

  it('out-of-bounds active segments throw the trap at instantiation, keeping earlier writes', async () => {
    const module = parseModule(await wat(`(module (memory (export "m") 1) (table 1 funcref) (func $f)
      (elem (i32.const 0) $f) (data (i32.const 0) "ok") (data (i32.const 65535) "xx"))`));
    const instance = createVMInstance(module, new Store(), { functionAddress: () => 0x1000 }, resolveImports(module, {}));
    expect(() => instance.runActiveSegments()).toThrow(RuntimeError);
    expect(new TextDecoder().decode((instance.exports.m as WebAssembly.Memory).buffer.slice(0, 2))).toBe('ok');
    expect(instance.tables[0]!.getRaw(0)).toBe(instance.funcRefs[0]!.address);
    const tableModule = parseModule(await wat(`(module (table 1 funcref) (func $f) (elem (i32.const 1) $f))`));
    const t = createVMInstance(tableModule, new Store(), { functionAddress: () => 0x1000 }, resolveImports(tableModule, {}));
    let error: unknown;
    try {
      t.runActiveSegments();
    } catch (e) {
      error = e;
    }
    expect((error as RuntimeError).trap).toBe(TrapCode.table_oob);
  });
});

describe('linking', () => {
  it('follows the JS API rules for each kind of import', async () => {
    const module = parseModule(await wat(MODULE));
    const { instance } = await setup();
    const good = { f: () => 0, g: 1n, mem: new WebAssembly.Memory({ initial: 1 }), tab: new Table({ element: 'anyfunc', initial: 2 }) };
    const link = (env: Record<string, unknown>) => () => resolveImports(module, { env: { ...good, ...env } });
    expect(() => resolveImports(module, undefined)).toThrow(TypeError);
    expect(() => resolveImports(module, {})).toThrow(TypeError);
    expect(link({})).not.toThrow();
    expect(link({ f: 5 })).toThrow(LinkError);
    expect(link({ f: instance.exports.len })).toThrow(/does not match the expected type/); // wasm function, wrong type
    expect(link({ g: 1 })).toThrow(LinkError); // Number for i64
    expect(link({ g: new Global({ value: 'i64', mutable: true }, 1n) })).toThrow(LinkError); // mutability differs
    expect(link({ g: new Global({ value: 'i32' }, 1) })).toThrow(LinkError);
    expect(link({ g: new Global({ value: 'i64' }, 1n) })).not.toThrow();
    expect(link({ mem: {} })).toThrow(LinkError);
    expect(link({ mem: new WebAssembly.Memory({ initial: 0 }) })).toThrow(/at least 1/);
    expect(link({ tab: new Table({ element: 'externref', initial: 2 }) })).toThrow(LinkError);
    expect(link({ tab: new Table({ element: 'anyfunc', initial: 1 }) })).toThrow(LinkError);
    expect(link({ tab: new WebAssembly.Table({ element: 'anyfunc', initial: 2 }) })).toThrow(LinkError);
    const imports = resolveImports(module, { env: good });
    expect(imports.globals[0]!.value).toBe(1n);
    expect(imports.globals[0]!.mutable).toBe(false);
    // A wasm function with the right type is linked directly (same funcref, no stub).
    const sameType = parseModule(await wat('(module (import "env" "f" (func (result i32))))'));
    expect(resolveImports(sameType, { env: { f: instance.exports.len } }).functions[0]).toBe(funcRefOfFunction(instance.exports.len));
  });
});

describe('v128 signatures', () => {
  it('instantiate; their exports throw TypeError when called; JS imports of them are refused', async () => {
    const module = parseModule(await wat('(module (func (export "v") (param v128) unreachable) (func (export "i") (result i32) unreachable))'));
    const instance = createVMInstance(module, new Store(), { functionAddress: () => 0x1000 }, resolveImports(module, {}));
    expect(() => (instance.exports.v as (x: unknown) => void)(0)).toThrow(TypeError);
    const imports = parseModule(await wat('(module (import "m" "f" (func (result v128))))'));
    expect(() => resolveImports(imports, { m: { f: () => 0 } })).toThrow(LinkError);
  });
});
