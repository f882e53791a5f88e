/** Validation rules and the errors they produce: reason, byte offset, function index. */
import { describe, expect, it } from 'vitest';
import { CompileError, parseAndValidate, parseModule, validate, validateFunction } from '../../src/frontend/index.js';
import { body, funcType, I32, I64, module, name, section, simpleModule, u32, vec, wat } from './wasm-builder.js';

function compileError(bytes: Uint8Array): CompileError {
  try {
    parseAndValidate(bytes);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('module was accepted');
}

async function errorOfWat(text: string): Promise<CompileError> {
  return compileError(await wat(text));
}

describe('error messages name what and where', () => {
  it('type mismatch at the operator, in the function index space (imports counted)', async () => {
    const bytes = await wat(`(module
      (import "m" "f" (func))
      (func (result i32) i32.const 0)
      (func (result i32) i32.const 1 f64.const 2 i32.add))`);
    const m = parseModule(bytes);
    const decl = m.functions[2];
    const addOffset = decl.bodyEnd - 2; // ... i32.add end
    expect(bytes[addOffset]).toBe(0x6a);
    const e = compileError(bytes);
    expect(e.reason).toBe('type mismatch: expected i32, found f64');
    expect(e.offset).toBe(addOffset);
    expect(e.functionIndex).toBe(2);
    expect(e.message).toBe(`type mismatch: expected i32, found f64 at offset 0x${addOffset.toString(16)} (function 2)`);
    expect(e.name).toBe('CompileError');
    expect(e).toBeInstanceOf(Error);
  });

  it('validateFunction checks one body at a time', async () => {
    const bytes = await wat('(module (func) (func (result i64) i32.const 0) (func))');
    const m = parseModule(bytes); // bodies are not looked at here
    expect(() => validateFunction(m, 0)).not.toThrow();
    expect(() => validateFunction(m, 2)).not.toThrow();
    expect(() => validateFunction(m, 1)).toThrow(/^type mismatch: expected i64, found i32 at offset 0x[0-9a-f]+ \(function 1\)$/);
  });

  it.each([
    ['(func local.get 3 drop)', /^unknown local 3$/],
    ['(func global.get 9 drop)', /^unknown global 9$/],
    ['(global i32 (i32.const 0)) (func i32.const 1 global.set 0)', /^global is immutable/],
    ['(func br 1)', /^unknown label 1$/],
    ['(func call 7)', /^unknown function 7$/],
    ['(table 1 funcref) (func i32.const 0 call_indirect (type 5))', /^unknown type 5$/],
    ['(func i32.const 0 i32.load drop)', /^unknown memory 0$/],
    ['(memory 1) (func i32.const 0 i32.load align=8 drop)', /^alignment must not be larger than natural/],
    ['(func v128.const i64x2 0 0 i64x2.extract_lane 2 drop)', /^invalid lane index 2 for i64x2.extract_lane/],
    ['(func (param i32) (result i32) local.get 0 local.get 0)', /^type mismatch: 1 extra value\(s\) left on the stack/],
    ['(func (result i32) i32.const 0 if (result i32) i32.const 1 end)', /^type mismatch: expected i32, found nothing/],
    ['(func ref.func 0 drop)', /^undeclared function reference/],
    ['(func (param externref) local.get 0 local.get 0 i32.const 0 select drop)', /^type mismatch: select without a type on externref/],
    ['(table 1 externref) (func i32.const 0 call_indirect 0 (type 0))', /^type mismatch: call_indirect through table 0 of externref/],
    ['(func elem.drop 0)', /^unknown elem segment 0$/],
  ])('%s → %s', async (funcs, reason) => {
    const e = await errorOfWat(`(module ${funcs})`);
    expect(e.reason).toMatch(reason);
    expect(e.offset).toBeGreaterThan(8);
  });

  it('reports the declared and actual lengths for function/code mismatches', () => {
    const bytes = module(section(1, vec([funcType([], [])])), section(3, vec([[0], [0]])), section(10, vec([body([], [])])));
    expect(compileError(bytes).reason).toBe('function and code section have inconsistent lengths (2 functions, 1 bodies)');
  });
});

describe('the polymorphic stack after unreachable code', () => {
  it.each([
    '(func unreachable i32.add drop)',
    '(func (result i32) unreachable select)',
    '(func (result f64) unreachable)',
    '(func (result i32) block (result f32) unreachable end drop i32.const 0)',
    '(func (param i32) block (result i32) block (result f32) unreachable br_table 0 1 end drop i32.const 0 end drop)',
    '(func (result i32) i32.const 1 return i64.const 0 drop)',
    '(func unreachable ref.is_null drop)',
  ])('valid: %s', async (funcs) => {
    expect(validate(await wat(`(module ${funcs})`))).toBe(true);
  });

  it.each([
    ['(func unreachable i64.const 0 i32.add drop)', /expected i32, found i64/],
    ['(func (param i32) block (result i32) local.get 0 br_table 0 1 end drop)', /br_table targets carry 1 and 0 values/],
    ['(func (result i32) unreachable f64.const 0 i64.const 0 i32.const 0 select drop i32.const 0)', /select operands f64 and i64 differ/],
    ['(func i32.const 0 if (param i32) (result i64) end)', /type mismatch/], // no else: params must equal results
  ])('invalid: %s', async (funcs, reason) => {
    const bytes = await wat(`(module ${funcs})`);
    expect(compileError(bytes).reason).toMatch(reason);
  });

  it('multi-value blocks take params from the stack', async () => {
    expect(validate(await wat('(module (func (result i64) i32.const 1 f64.const 2 block (param i32 f64) (result i64) drop drop i64.const 3 end))'))).toBe(true);
    expect(validate(await wat('(module (func (result i64) f64.const 2 block (param i32 f64) (result i64) drop drop i64.const 3 end))'))).toBe(false);
  });
});

describe('module-level rules', () => {
  it.each([
    ['(memory 1) (memory 1)', /^multiple memories/],
    ['(import "a" "m" (memory 1)) (memory 1)', /^multiple memories/],
    ['(memory 65537)', /^memory size must be at most 65536 pages \(4GiB\)/],
    ['(memory 2 1)', /^size minimum must not be greater than maximum/],
    ['(table 5 4 funcref)', /^size minimum must not be greater than maximum/],
    ['(func) (export "x" (func 0)) (export "x" (func 0))', /^duplicate export name "x"/],
    ['(func (param i32)) (start 0)', /^start function 0 must have type \[\] -> \[\], not \[i32\] -> \[\]/],
    ['(global i32 (i32.const 0)) (global i32 (global.get 0))', /^unknown global 0: constant expressions may only read imported globals/],
    ['(import "a" "g" (global (mut i32))) (global i32 (global.get 0))', /^constant expression required: global 0 is mutable/],
    ['(global i32 (i32.add (i32.const 1) (i32.const 2)))', /constant expression required/],
    ['(global i64 (i32.const 0))', /^type mismatch: expected i64, found i32/],
    ['(table 1 externref) (func) (elem (i32.const 0) func 0)', /^type mismatch: element segment of funcref for table of externref/],
    ['(memory 1) (data (i64.const 0) "")', /^type mismatch: expected i32, found i64/],
  ])('%s → %s', async (fields, reason) => {
    expect((await errorOfWat(`(module ${fields})`)).reason).toMatch(reason);
  });

  it('memory.init and data.drop need the data count section', () => {
    const code = [0xfc, 9, 0]; // data.drop 0
    const withoutCount = simpleModule([{ code }], []);
    const dataSection = section(11, vec([[0x01, 0]])); // one passive segment
    const bytes = Uint8Array.from([...withoutCount, ...dataSection]);
    expect(compileError(bytes).reason).toBe('data count section required: data.drop needs it');
    const withCount = Uint8Array.from([
      ...simpleModule([{ code }], [section(12, u32(1))]),
      ...dataSection,
    ]);
    expect(validate(withCount)).toBe(true);
  });

  it('ref.func is declared by an export, an element segment or a global', async () => {
    expect(validate(await wat('(module (func $f ref.func $f drop) (export "f" (func $f)))'))).toBe(true);
    expect(validate(await wat('(module (func $f ref.func $f drop) (elem declare func $f))'))).toBe(true);
    expect(validate(await wat('(module (func $f ref.func $f drop) (global funcref (ref.func $f)))'))).toBe(true);
    expect(validate(await wat('(module (func $f ref.func $f drop))'))).toBe(false);
  });
});

describe('hostile input ends in CompileError, never another exception or a huge allocation', () => {
  it('empty, short and garbage inputs', () => {
    expect(compileError(new Uint8Array(0)).reason).toMatch(/magic header not detected/);
    expect(compileError(Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0)).reason).toBe('unknown binary version');
    expect(compileError(Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0)).reason).toMatch(/unexpected end/);
    expect(compileError(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46)).reason).toBe('magic header not detected');
  });

  it('every truncation of a valid module', async () => {
    const bytes = await wat(`(module (memory 1) (func (export "f") (param i32) (result i64)
      local.get 0 i64.extend_i32_s i64.const 0x123456789 i64.add v128.const i32x4 1 2 3 4 i64x2.extract_lane 1 i64.add)
      (data (i32.const 0) "abc"))`);
    expect(validate(bytes)).toBe(true);
    for (let n = 0; n < bytes.length; n++) {
      let error: unknown = null;
      try {
        parseAndValidate(bytes.subarray(0, n));
      } catch (e) {
        error = e;
      }
      // A cut at a section boundary can leave a valid module; any other cut must be a CompileError.
      if (error !== null) expect(error, `prefix of ${n} bytes`).toBeInstanceOf(CompileError);
    }
  });

  it('huge declared counts fail at once', () => {
    const t0 = performance.now();
    const manyTypes = module([0x01, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(compileError(manyTypes).reason).toMatch(/4294967295 elements declared/);
    const manyLocals = simpleModule([{ code: [], locals: [[0xffffffff, I32]] }]);
    expect(compileError(manyLocals).reason).toMatch(/^too many locals/);
    const overflowLocals = simpleModule([{ code: [], locals: [[0xffffffff, I32], [2, I64]] }]);
    expect(compileError(overflowLocals).reason).toBe('too many locals');
    const brTable = simpleModule([{ code: [0x41, 0, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0] }]);
    expect(compileError(brTable).reason).toMatch(/elements declared/);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('a name with invalid UTF-8 in an import is malformed', () => {
    const bytes = module(section(1, vec([funcType([], [])])), section(2, vec([[...name('m'), 1, 0xff, 0x00, 0]])));
    expect(compileError(bytes).reason).toBe('malformed UTF-8 encoding');
  });

  it('rejects features beyond Wasm 2.0 that V8 accepts', () => {
    const tailCall = simpleModule([{ code: [0x12, 0] }]); // return_call 0
    expect(compileError(tailCall).reason).toBe('illegal opcode 0x12');
    const sharedMemory = module(section(5, vec([[0x03, 1, 1]])));
    expect(compileError(sharedMemory).reason).toMatch(/malformed limits flags 0x3/);
    const tagSection = module(section(13, [0]));
    expect(compileError(tagSection).reason).toBe('malformed section id 13');
  });
});
