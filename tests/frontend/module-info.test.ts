/** ModuleInfo contents: index spaces, body ranges, globals' init, segments, exports, start, names, custom sections. */
import { describe, expect, it } from 'vitest';
import {
  constExprF32,
  constExprF64,
  constExprI64,
  ExternalKind,
  Op,
  parseModule,
  parseAndValidate,
  SegmentMode,
  ValType,
  CompileError,
} from '../../src/frontend/index.js';
import { body, module, name, section, u32, vec, wat } from './wasm-builder.js';

const WAT = `(module
  (type $t0 (func (param i32 i64) (result f32)))
  (type $t1 (func))
  (import "env" "f" (func $imp (type $t1)))
  (import "env" "tab" (table 1 funcref))
  (import "env" "g" (global $gi i32))
  (import "env" "mem" (memory 1 2))
  (func $a (type $t0) (local f64 f64) f32.const 0)
  (func $b (type $t1) (local $x i32))
  (table $t2 3 10 externref)
  (global $g1 (mut i64) (i64.const -5))
  (global $g2 f32 (f32.const 1.5))
  (global $g3 f64 (f64.const -0.25))
  (global $g4 i32 (global.get $gi))
  (global $g5 funcref (ref.func $a))
  (global $g6 externref (ref.null extern))
  (global $g7 v128 (v128.const i32x4 1 2 3 4))
  (export "a" (func $a))
  (export "g1" (global $g1))
  (start $b)
  (elem (i32.const 0) $a $b)
  (elem funcref (ref.func $imp) (ref.null func))
  (elem declare func $b)
  (elem (table $t2) (i32.const 1) externref (ref.null extern))
  (data (i32.const 16) "hello")
  (data "passive!")
)`;

describe('ModuleInfo', async () => {
  const bytes = await wat(WAT);
  const m = parseAndValidate(bytes);

  it('puts imports first in each index space', () => {
    expect(m.imports.map((i) => [i.module, i.name, i.kind, i.index])).toEqual([
      ['env', 'f', ExternalKind.FUNCTION, 0],
      ['env', 'tab', ExternalKind.TABLE, 0],
      ['env', 'g', ExternalKind.GLOBAL, 0],
      ['env', 'mem', ExternalKind.MEMORY, 0],
    ]);
    expect(m.numImportedFunctions).toBe(1);
    expect(m.functions.map((f) => [f.typeIndex, f.imported])).toEqual([[1, true], [0, false], [1, false]]);
    expect(m.tables).toEqual([
      { elemType: ValType.FUNCREF, min: 1, max: null, imported: true },
      { elemType: ValType.EXTERNREF, min: 3, max: 10, imported: false },
    ]);
    expect(m.memories).toEqual([{ min: 1, max: 2, imported: true }]);
    expect(m.globals.length).toBe(8);
    expect(m.globals[0]).toEqual({ type: ValType.I32, mutable: false, imported: true, init: null });
  });

  it('keeps types as small ints and bodies as byte ranges', () => {
    expect(Array.from(m.types[0].params)).toEqual([ValType.I32, ValType.I64]);
    expect(Array.from(m.types[0].results)).toEqual([ValType.F32]);
    expect(m.numDefinedFunctions).toBe(2);
    const a = m.definedFunction(0);
    // $a's body: locals (1 group: 2 × f64) then f32.const 0, end.
    expect(Array.from(bytes.subarray(a.bodyStart, a.bodyEnd))).toEqual([0x01, 0x02, 0x7c, 0x43, 0, 0, 0, 0, 0x0b]);
    expect(m.functionType(1)).toBe(m.types[0]);
  });

  it('evaluable global initializers', () => {
    const init = m.globals.map((g) => g.init);
    expect(init[1]!.op).toBe(Op.I64_CONST);
    expect(constExprI64(init[1]!)).toBe(-5n);
    expect(m.globals[1].mutable).toBe(true);
    expect(constExprF32(init[2]!)).toBe(1.5);
    expect(constExprF64(init[3]!)).toBe(-0.25);
    expect([init[4]!.op, init[4]!.index, init[4]!.type]).toEqual([Op.GLOBAL_GET, 0, ValType.I32]);
    expect([init[5]!.op, init[5]!.index, init[5]!.type]).toEqual([Op.REF_FUNC, 1, ValType.FUNCREF]);
    expect([init[6]!.op, init[6]!.type]).toEqual([Op.REF_NULL, ValType.EXTERNREF]);
    expect(Array.from(init[7]!.v128!)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]);
    expect(bytes[init[7]!.end - 1]).toBe(0x0b); // the range ends after `end`
  });

  it('exports, start, element and data segments', () => {
    expect(m.exports).toEqual([
      { name: 'a', kind: ExternalKind.FUNCTION, index: 1 },
      { name: 'g1', kind: ExternalKind.GLOBAL, index: 1 },
    ]);
    expect(m.start).toBe(2);
    const [e0, e1, e2, e3] = m.elements;
    expect([e0.mode, e0.table, e0.offset!.lo, e0.elemType, Array.from(e0.funcIndices!)]).toEqual([SegmentMode.ACTIVE, 0, 0, ValType.FUNCREF, [1, 2]]);
    expect([e1.mode, e1.exprs!.map((e) => e.op)]).toEqual([SegmentMode.PASSIVE, [Op.REF_FUNC, Op.REF_NULL]]);
    expect([e2.mode, Array.from(e2.funcIndices!)]).toEqual([SegmentMode.DECLARATIVE, [2]]);
    expect([e3.mode, e3.table, e3.offset!.lo, e3.elemType]).toEqual([SegmentMode.ACTIVE, 1, 1, ValType.EXTERNREF]);
    const [d0, d1] = m.datas;
    expect([d0.mode, d0.memory, d0.offset!.lo, new TextDecoder().decode(bytes.subarray(d0.start, d0.end))]).toEqual([SegmentMode.ACTIVE, 0, 16, 'hello']);
    expect([d1.mode, d1.offset, new TextDecoder().decode(bytes.subarray(d1.start, d1.end))]).toEqual([SegmentMode.PASSIVE, null, 'passive!']);
    expect(m.dataCount).toBeNull(); // no memory.init / data.drop, so wabt leaves the data count section out
  });

  it('collects declared function references (C.refs) from exports, elements and globals', () => {
    expect(Array.from(m.declaredFunctionRefs)).toEqual([1, 1, 1]);
  });
});

describe('name section and custom sections', () => {
  const nameSection = (payload: number[]) => section(0, [...name('name'), ...payload]);
  const sub = (id: number, payload: number[]) => [id, ...u32(payload.length), ...payload];
  const typeFuncCode = [section(1, vec([[0x60, 0, 0]])), section(3, vec([[0], [0]])), section(10, vec([body([[1, 0x7f]], []), body([], [])]))];

  it('decodes module, function and local names', () => {
    const names = nameSection([
      ...sub(0, name('mod')),
      ...sub(1, vec([[0, ...name('first')], [1, ...name('second')]])),
      ...sub(2, vec([[0, ...vec([[0, ...name('x')]])]])),
    ]);
    const m = parseModule(module(...typeFuncCode, names, section(0, [...name('other'), 1, 2, 3])));
    expect(m.names.module).toBe('mod');
    expect([...m.names.functions]).toEqual([[0, 'first'], [1, 'second']]);
    expect(m.names.locals.get(0)?.get(0)).toBe('x');
    expect(m.customSections.map((c) => c.name)).toEqual(['name', 'other']);
    expect(m.nameSectionError).toBeNull();
  });

  it('ignores a malformed name section instead of rejecting the module', () => {
    const broken = nameSection([...sub(1, [5, 0, 3, 0x61])]); // 5 names declared, truncated
    const m = parseAndValidate(module(...typeFuncCode, broken));
    expect(m.names.functions.size).toBe(0);
    expect(m.nameSectionError).toMatch(/unexpected end/);
    const badUtf8 = nameSection([...sub(0, [2, 0xc0, 0x80])]);
    expect(parseAndValidate(module(...typeFuncCode, badUtf8)).names.module).toBeNull();
  });

  it('still requires a custom section\'s own name to be valid UTF-8', () => {
    expect(() => parseModule(module(section(0, [2, 0xc0, 0x80])))).toThrow(CompileError);
  });
});
