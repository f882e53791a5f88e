import { describe, expect, it } from 'vitest';
import {
  FuncCursor,
  FunctionBuilder,
  I32,
  IrFunction,
  IrVerifyError,
  Opcode,
  Signature,
  parseFunction,
  verifyFunction,
  verifyOrThrow,
} from '../../src/ir/index.js';

/** Parses (the parser does not type-check) and returns the verifier's messages. */
function errorsOf(text: string): string[] {
  return verifyFunction(parseFunction(text));
}

describe('verifier', () => {
  it('accepts a valid function', () => {
    expect(
      errorsOf(`function %ok(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}`),
    ).toEqual([]);
  });

  it('reports an operand of the wrong type, naming the instruction', () => {
    const errors = errorsOf(`function %f(i32, f32) -> i32 {
block0(v0: i32, v1: f32):
    v2 = iadd v0, v1
    return v2
}`);
    expect(errors).toEqual(['block0: `v2 = iadd v0, v1`: operand 1 (v1) has type f32, expected i32']);
  });

  it('reports wrong types for conversions, loads, stores, selects, compares and returns', () => {
    const errors = errorsOf(`function %f(i32, i64, f64) -> f32 {
block0(v0: i32, v1: i64, v2: f64):
    v3 = uextend.i64 v1
    v4 = load.i32 v0
    store v2, v0
    v5 = select v2, v0, v0
    v6 = fcmp lt v0, v0
    v7 = fdemote.f32 v2
    v8 = istore32 v0, v1
    return v2
}`.replace('    v8 = istore32 v0, v1\n', '    istore32 v0, v1\n'));
    expect(errors).toEqual([
      'block0: `v3 = uextend.i64 v1`: operand 0 (v1) has type i64, expected i32',
      'block0: `v4 = load.i32 v0`: operand 0 (v0) has type i32, expected i64',
      'block0: `store v2, v0`: operand 1 (v0) has type i32, expected i64',
      'block0: `v5 = select v2, v0, v0`: operand 0 (v2) has type f64, expected an integer type',
      'block0: `v6 = fcmp lt v0, v0`: operand 0 (v0) has type i32, expected a float type',
      'block0: `istore32 v0, v1`: operand 0 (v0) has type i32, expected i64',
      'block0: `return v2`: operand 0 (v2) has type f64, expected f32',
    ]);
  });

  it('reports a use that its definition does not dominate', () => {
    const errors = errorsOf(`function %f(i32) -> i32 {
block0(v0: i32):
    brif v0, block1, block2

block1:
    v1 = iconst.i32 1
    jump block3

block2:
    jump block3

block3:
    return v1
}`);
    expect(errors).toEqual(['block3: `return v1`: uses v1, defined in block1, which does not dominate block3']);
  });

  it('reports a use before its definition in the same block', () => {
    const errors = errorsOf(`function %f() -> i32 {
block0:
    v1 = iadd_imm v2, 1
    v2 = iconst.i32 1
    return v1
}`);
    expect(errors).toEqual(['block0: `v1 = iadd_imm v2, 1`: uses v2 before its definition']);
  });

  it('reports wrong branch arity and argument types', () => {
    const errors = errorsOf(`function %f(i32, i64) {
block0(v0: i32, v1: i64):
    brif v0, block1(v0, v0), block2(v0)

block1(v2: i32):
    return

block2(v3: i64):
    br_table v0, block1(v1), [block2]
}`);
    expect(errors).toEqual([
      'block0: `brif v0, block1(v0, v0), block2(v0)`: passes 2 argument(s) to block1, which has 1 parameter(s)',
      'block0: `brif v0, block1(v0, v0), block2(v0)`: argument 0 to block2 (v0) has type i32, expected i64',
      'block2: `br_table v0, block1(v1), [block2]`: argument 0 to block1 (v1) has type i64, expected i32',
      'block2: `br_table v0, block1(v1), [block2]`: passes 0 argument(s) to block2, which has 1 parameter(s)',
    ]);
  });

  it('reports a missing terminator, a terminator in the middle and an empty block', () => {
    const func = parseFunction(`function %f(i32) -> i32 {
block0(v0: i32):
    v1 = iadd v0, v0
    return v1
    v2 = iadd v1, v1

block1:
    return v0
}`);
    const empty = func.dfg.makeBlock();
    func.layout.appendBlock(empty);
    expect(verifyFunction(func)).toEqual([
      'block0: `return v1`: terminator in the middle of the block',
      'block0: `v2 = iadd v1, v1`: block0 does not end with a terminator',
      'block2 is empty (it needs a terminator)',
    ]);
  });

  it('reports signature mismatches: entry parameters, returns, calls', () => {
    const errors = errorsOf(`function %f(i32, i64) -> i32 {
    sig0 = (i32) -> i64
    fn0 = func 1 sig0

block0(v0: i32):
    v1 = call fn0(v0, v0)
    v2 = call_indirect sig0, v0(v0)
    return v0, v0
}`);
    expect(errors).toEqual([
      'entry block0 has 1 parameter(s) but the signature has 2',
      'block0: `v1 = call fn0(v0, v0)`: passes 2 argument(s) but the signature has 1 parameter(s)',
      'block0: `v2 = call_indirect sig0, v0(v0)`: operand 0 (v0) has type i32, expected i64',
      'block0: `return v0, v0`: returns 2 value(s) but the signature has 1 result(s)',
    ]);
  });

  it('reports undefined values, a branch to the entry block and bad immediates', () => {
    const func = new IrFunction('f', new Signature([], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const c = fb.ins.iconst(I32, 5);
    func.dfg.setImm(func.dfg.valueInst(c), 5, 1); // hi not the sign extension of lo
    const bogus = fb.ins.iaddImm(c, 1);
    const removed = func.dfg.valueInst(bogus);
    func.layout.removeInst(removed); // its result is now defined outside the function
    const x = fb.ins.iadd(c, bogus);
    // The builder refuses branches to a sealed block; a cursor places raw instructions anywhere.
    new FuncCursor(func).gotoBlockEnd(entry).ins.brif(x, entry, [], entry, []);
    expect(verifyFunction(func)).toEqual([
      'block0: `v0 = iconst.i32 5`: i32 immediate is not stored sign-extended ' +
        '(use InstBuilder helpers or setImm(lo, lo >> 31))',
      'block0: `v2 = iadd v0, v1`: operand 1 (v1) is defined by an instruction that is not in the function',
      'block0: `brif v2, block0, block0`: branches to the entry block0',
      'block0: `brif v2, block0, block0`: branches to the entry block0',
    ]);
    expect(() => verifyOrThrow(func)).toThrow(IrVerifyError);
    expect(() => verifyOrThrow(func)).toThrow(/IR verification of %f failed with 4 error\(s\)/);
  });

  it('reports invalid codes and results that do not match the opcode', () => {
    const func = parseFunction(`function %f(i64) {
block0(v0: i64):
    v1 = icmp eq v0, v0
    v2 = load.i32 heap v0
    trapz v1, heap_oob
    return
}`);
    const dfg = func.dfg;
    const icmp = dfg.valueInst(1);
    dfg.setAux(icmp, 42);
    dfg.setAux(dfg.valueInst(2), 8 | 16); // two regions
    const trapz = func.layout.nextInst(dfg.valueInst(2));
    dfg.setAux(trapz, 999);
    dfg.replaceOpcode(icmp, Opcode.fcmp, I32); // a float compare on i64 operands: operands were reset
    dfg.setFixedArgs(icmp, 0, 0, -1);
    expect(verifyFunction(func)).toEqual([
      'block0: `v1 = fcmp eq v0, v0`: operand 0 (v0) has type i64, expected a float type',
      'block0: `v2 = load.i32 heap table v0`: invalid memory flags 24 (unknown bits or two regions)',
      'block0: `trapz v1, trap?999`: invalid trap code 999',
    ]);
  });

  it('never throws on garbage: reports instead', () => {
    const func = new IrFunction('g', new Signature());
    const b = func.dfg.makeBlock();
    func.layout.appendBlock(b);
    const inst = func.dfg.makeInst(Opcode.iadd, I32);
    func.dfg.setFixedArgs(inst, 1234, -1, -1);
    func.dfg.makeResults(inst);
    func.layout.appendInst(inst, b);
    const errors = verifyFunction(func);
    expect(errors).toContain('block0: `v0 = iadd v1234, v?`: operand 0 is not a value');
    expect(errors).toContain('block0: `v0 = iadd v1234, v?`: block0 does not end with a terminator');
    expect(verifyFunction(new IrFunction('empty'))).toEqual(['function has no blocks']);
  });
});
