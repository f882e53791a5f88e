// Builtins called the way generated code calls them: through their C function pointers, vmctx first. Bounds rules
// follow the bulk-memory / reference-types spec.
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeFunction } from '../../native/index.js';
import { parseModule } from '../../src/frontend/index.js';
import { Builtin } from '../../src/frontend/vm-offsets.js';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { builtinAddress } from '../../src/runtime/builtins.js';
import { createVMInstance, type VMInstance } from '../../src/runtime/vmcontext.js';
import { resolveImports } from '../../src/runtime/link.js';
import { Store } from '../../src/runtime/store.js';
import { takePending } from '../../src/runtime/trap-state.js';
import { Table } from '../../src/runtime/table.js';
import { wat } from '../frontend/wasm-builder.js';

const MODULE = `(module
  (memory (export "mem") 1 3)
  (table (export "tab") 4 10 funcref)
  (table (export "tab2") 3 externref)
  (func $a (export "a")) (func $b (export "b"))
  (data "passive-bytes")
  (data (memory 0) (i32.const 100) "active")
  (elem funcref (ref.func $a) (ref.null func) (ref.func $b))
  (elem (table 0) (i32.const 1) func $b)
)`;

let instance: VMInstance;
let vmctx: bigint;
const noCode = { functionAddress: () => 0x1000 };

const i32x3 = { params: ['u64', 'i32', 'i32'], result: 'i32' } as const;
const i32x5 = { params: ['u64', 'i32', 'i32', 'i32', 'i32'], result: 'i32' } as const;
const i32x6 = { params: ['u64', 'i32', 'i32', 'i32', 'i32', 'i32'], result: 'i32' } as const;
let memoryGrow: (v: bigint, m: number, d: number) => number;
let memoryFill: (v: bigint, m: number, d: number, x: number, n: number) => number;
let memoryCopy: (v: bigint, dm: number, sm: number, d: number, s: number, n: number) => number;
let memoryInit: (v: bigint, m: number, seg: number, d: number, s: number, n: number) => number;
let dataDrop: (v: bigint, seg: number) => void;
let tableGrow: (v: bigint, t: number, init: bigint, d: number) => number;
let tableFill: (v: bigint, t: number, d: number, x: bigint, n: number) => number;
let tableCopy: (v: bigint, dt: number, st: number, d: number, s: number, n: number) => number;
let tableInit: (v: bigint, t: number, seg: number, d: number, s: number, n: number) => number;
let elemDrop: (v: bigint, seg: number) => void;

/** Status and the recorded trap, which is then cleared. */
function outcome(status: number): [number, number] {
  return [status, takePending().trapCode];
}

beforeAll(async () => {
  const module = parseModule(await wat(MODULE));
  instance = createVMInstance(module, new Store(), noCode, resolveImports(module, {}));
  instance.runActiveSegments();
  vmctx = BigInt(instance.vmctxAddress);
  memoryGrow = nativeFunction(builtinAddress(Builtin.MemoryGrow), i32x3);
  memoryFill = nativeFunction(builtinAddress(Builtin.MemoryFill), i32x5);
  memoryCopy = nativeFunction(builtinAddress(Builtin.MemoryCopy), i32x6);
  memoryInit = nativeFunction(builtinAddress(Builtin.MemoryInit), i32x6);
  dataDrop = nativeFunction(builtinAddress(Builtin.DataDrop), { params: ['u64', 'i32'], result: 'void' });
  tableGrow = nativeFunction(builtinAddress(Builtin.TableGrow), { params: ['u64', 'i32', 'i64', 'i32'], result: 'i32' });
  tableFill = nativeFunction(builtinAddress(Builtin.TableFill), { params: ['u64', 'i32', 'i32', 'i64', 'i32'], result: 'i32' });
  tableCopy = nativeFunction(builtinAddress(Builtin.TableCopy), i32x6);
  tableInit = nativeFunction(builtinAddress(Builtin.TableInit), i32x6);
  elemDrop = nativeFunction(builtinAddress(Builtin.ElemDrop), { params: ['u64', 'i32'], result: 'void' });
});

const text = (bytes: Uint8Array, at: number, n: number) => new TextDecoder().decode(bytes.subarray(at, at + n));

describe('memory builtins', () => {
  it('memory.fill writes the low byte, allows a zero-length fill at the end, traps past it', () => {
    const mem = instance.memories[0]!;
    expect(outcome(memoryFill(vmctx, 0, 10, 0x1ab, 5))).toEqual([0, 0]);
    expect(Array.from(mem.bytes.subarray(9, 16))).toEqual([0, 0xab, 0xab, 0xab, 0xab, 0xab, 0]);
    expect(outcome(memoryFill(vmctx, 0, 65536, 7, 0))).toEqual([0, 0]);
    expect(outcome(memoryFill(vmctx, 0, 65536, 7, 1))).toEqual([1, TrapCode.heap_oob]);
    expect(outcome(memoryFill(vmctx, 0, 65530, 7, 7))).toEqual([1, TrapCode.heap_oob]);
    expect(mem.bytes[65535]).toBe(0); // nothing written by a trapping fill
    expect(outcome(memoryFill(vmctx, 0, -1, 7, 0))).toEqual([1, TrapCode.heap_oob]); // 0xffffffff unsigned
  });

  it('memory.copy handles overlap both ways and checks both ranges', () => {
    const mem = instance.memories[0]!;
    mem.bytes.set([1, 2, 3, 4, 5, 6], 200);
    expect(outcome(memoryCopy(vmctx, 0, 0, 202, 200, 4))).toEqual([0, 0]); // forward overlap
    expect(Array.from(mem.bytes.subarray(200, 206))).toEqual([1, 2, 1, 2, 3, 4]);
    expect(outcome(memoryCopy(vmctx, 0, 0, 200, 201, 5))).toEqual([0, 0]); // backward overlap
    expect(Array.from(mem.bytes.subarray(200, 206))).toEqual([2, 1, 2, 3, 4, 4]);
    expect(outcome(memoryCopy(vmctx, 0, 0, 65535, 0, 2))).toEqual([1, TrapCode.heap_oob]);
    expect(outcome(memoryCopy(vmctx, 0, 0, 0, 65535, 2))).toEqual([1, TrapCode.heap_oob]);
    expect(outcome(memoryCopy(vmctx, 0, 0, 65536, 65536, 0))).toEqual([0, 0]);
  });

  it('active data was written at instantiation and dropped; passive data inits until data.drop', () => {
    const mem = instance.memories[0]!;
    expect(text(mem.bytes, 100, 6)).toBe('active');
    expect(outcome(memoryInit(vmctx, 0, 1, 0, 0, 0))).toEqual([0, 0]); // dropped: length 0, zero-length ok
    expect(outcome(memoryInit(vmctx, 0, 1, 0, 0, 1))).toEqual([1, TrapCode.heap_oob]);
    expect(outcome(memoryInit(vmctx, 0, 0, 300, 8, 5))).toEqual([0, 0]);
    expect(text(mem.bytes, 300, 5)).toBe('bytes');
    expect(outcome(memoryInit(vmctx, 0, 0, 300, 8, 6))).toEqual([1, TrapCode.heap_oob]); // past the segment
    expect(outcome(memoryInit(vmctx, 0, 0, 65535, 0, 2))).toEqual([1, TrapCode.heap_oob]); // past the memory
    dataDrop(vmctx, 0);
    expect(outcome(memoryInit(vmctx, 0, 0, 0, 0, 1))).toEqual([1, TrapCode.heap_oob]);
    expect(outcome(memoryInit(vmctx, 0, 0, 0, 0, 0))).toEqual([0, 0]);
  });

  it('memory.grow returns the old size or -1 at the maximum, and keeps the definition current', () => {
    const mem = instance.memories[0]!;
    expect(memoryGrow(vmctx, 0, 0)).toBe(1);
    expect(memoryGrow(vmctx, 0, 1)).toBe(1);
    expect(mem.length).toBe(2 * 65536);
    expect(mem.definition.getU64(8)).toBe(2 * 65536);
    expect(memoryGrow(vmctx, 0, 2)).toBe(-1); // maximum 3
    expect(memoryGrow(vmctx, 0, -1)).toBe(-1); // 0xffffffff pages
    expect(memoryGrow(vmctx, 0, 1)).toBe(2);
    expect(outcome(memoryFill(vmctx, 0, 3 * 65536 - 1, 9, 1))).toEqual([0, 0]); // the grown bytes are usable
    expect((instance.exports.mem as WebAssembly.Memory).buffer.byteLength).toBe(3 * 65536);
  });
});

describe('table builtins', () => {
  const funcref = (name: string) => BigInt(instance.funcRefs[name === 'a' ? 0 : 1]!.address);

  it('active element segments were applied and dropped; passive ones init until elem.drop', () => {
    const tab = instance.tables[0]!;
    expect(tab.getRaw(1)).toBe(Number(funcref('b')));
    expect(outcome(tableInit(vmctx, 0, 1, 0, 0, 1))).toEqual([1, TrapCode.table_oob]); // active: dropped
    expect(outcome(tableInit(vmctx, 0, 0, 1, 0, 3))).toEqual([0, 0]);
    expect([tab.getRaw(1), tab.getRaw(2), tab.getRaw(3)]).toEqual([Number(funcref('a')), 0, Number(funcref('b'))]);
    expect(outcome(tableInit(vmctx, 0, 0, 2, 0, 3))).toEqual([1, TrapCode.table_oob]);
    expect(outcome(tableInit(vmctx, 0, 0, 0, 1, 3))).toEqual([1, TrapCode.table_oob]);
    elemDrop(vmctx, 0);
    expect(outcome(tableInit(vmctx, 0, 0, 0, 0, 1))).toEqual([1, TrapCode.table_oob]);
    expect(outcome(tableInit(vmctx, 0, 0, 4, 0, 0))).toEqual([0, 0]);
    // The table's JS view sees exported functions.
    expect(tab.get(1)).toBe(instance.exports.a);
    expect(tab.get(2)).toBeNull();
  });

  it('table.fill, table.copy (overlap, across tables) and their bounds', () => {
    const tab = instance.tables[0]!;
    const a = funcref('a');
    expect(outcome(tableFill(vmctx, 0, 0, a, 4))).toEqual([0, 0]);
    expect([0, 1, 2, 3].map((i) => tab.getRaw(i))).toEqual(Array(4).fill(Number(a)));
    expect(outcome(tableFill(vmctx, 0, 3, 0n, 2))).toEqual([1, TrapCode.table_oob]);
    expect(tab.getRaw(3)).toBe(Number(a)); // a trapping fill writes nothing
    expect(outcome(tableFill(vmctx, 0, 2, 0n, 2))).toEqual([0, 0]);
    tab.setRaw(0, 11);
    tab.setRaw(1, 12);
    expect(outcome(tableCopy(vmctx, 0, 0, 1, 0, 3))).toEqual([0, 0]);
    expect([0, 1, 2, 3].map((i) => tab.getRaw(i))).toEqual([11, 11, 12, 0]);
    expect(outcome(tableCopy(vmctx, 0, 0, 0, 1, 3))).toEqual([0, 0]);
    expect([0, 1, 2, 3].map((i) => tab.getRaw(i))).toEqual([11, 12, 0, 0]);
    expect(outcome(tableCopy(vmctx, 0, 0, 2, 0, 3))).toEqual([1, TrapCode.table_oob]);
    const ext = instance.tables[1]!;
    ext.setRaw(0, 5);
    expect(outcome(tableCopy(vmctx, 1, 1, 1, 0, 2))).toEqual([0, 0]);
    expect([ext.getRaw(0), ext.getRaw(1), ext.getRaw(2)]).toEqual([5, 5, 0]);
  });

  it('table.grow returns the old size or -1 past the maximum, filling with the init value', () => {
    const tab = instance.tables[0]!;
    const b = funcref('b');
    expect(tableGrow(vmctx, 0, b, 2)).toBe(4);
    expect(tab.length).toBe(6);
    expect(tab.getRaw(5)).toBe(Number(b));
    expect(tab.definition.getU32(8)).toBe(6);
    expect(tableGrow(vmctx, 0, 0n, 5)).toBe(-1); // maximum 10
    expect(tableGrow(vmctx, 0, 0n, 4)).toBe(6);
    expect(tableGrow(vmctx, 1, 0n, 20)).toBe(3); // no maximum
    expect((instance.exports.tab2 as Table).length).toBe(23);
    // Growth moved the element array: the definition follows, old contents kept.
    expect(tab.getRaw(5)).toBe(Number(b));
    expect(tab.definition.getU64(0)).not.toBe(0);
  });
});
