/**
 * The builder's fast paths (translation speed work): fused fixed-instruction creation, single results stored without a
 * list, grouped column growth, the alias counter of resolveAllAliases, appendArgToBlock, and a FunctionBuilder
 * rebound from one function to the next. Each must behave exactly like the general path it replaces.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_LIST,
  FunctionBuilder,
  I32,
  I64,
  IrFunction,
  ListPool,
  NONE,
  Opcode,
  Signature,
  ValueKind,
  printFunction,
  verifyFunction,
} from '../../src/ir/index.js';

describe('DataFlowGraph fast paths', () => {
  it('makeFixedInst equals makeInst + setFixedArgs + setImm + setAux + makeResults', () => {
    const func = new IrFunction('f', new Signature([I32, I32], [I32]));
    const dfg = func.dfg;
    const b = dfg.makeBlock();
    const p0 = dfg.appendBlockParam(b, I32);
    const p1 = dfg.appendBlockParam(b, I32);

    const fused = dfg.makeFixedInst(Opcode.icmp_imm, I32, p0, NONE, NONE, 7, 0, 3);
    const slow = dfg.makeInst(Opcode.icmp_imm, I32);
    dfg.setFixedArgs(slow, p0, NONE, NONE);
    dfg.setImm(slow, 7, 0);
    dfg.setAux(slow, 3);
    dfg.makeResults(slow);
    for (const inst of [fused, slow]) {
      expect(dfg.opcode(inst)).toBe(Opcode.icmp_imm);
      expect(dfg.args(inst)).toEqual([p0]);
      expect(dfg.immLo(inst)).toBe(7);
      expect(dfg.aux(inst)).toBe(3);
      expect(dfg.srcLoc(inst)).toBe(-1);
      expect(dfg.trapFuel(inst)).toBe(0);
      expect(dfg.numResults(inst)).toBe(1);
      const r = dfg.firstResult(inst);
      expect(dfg.result(inst, 0)).toBe(r);
      expect(dfg.results(inst)).toEqual([r]);
      expect(dfg.valueKind(r)).toBe(ValueKind.Result);
      expect(dfg.valueDef(r)).toBe(inst);
      expect(dfg.valueType(r)).toBe(I32);
    }
    // Result-less opcodes get no result.
    const store = dfg.makeFixedInst(Opcode.store, 0, p1, p0, NONE, 0, 0, 0);
    expect(dfg.numResults(store)).toBe(0);
    expect(dfg.firstResult(store)).toBe(NONE);
  });

  it('a single result is stored inline and attachResult turns it into a list (value 0 included)', () => {
    const func = new IrFunction();
    const dfg = func.dfg;
    dfg.reserveValues(3); // v0, v1, v2: Invalid placeholders, as the parser makes them
    const inst = dfg.makeInst(Opcode.call, 0);
    expect(dfg.numResults(inst)).toBe(0);
    dfg.attachResult(inst, 0, I32);
    expect(dfg.numResults(inst)).toBe(1);
    expect(dfg.firstResult(inst)).toBe(0);
    expect(dfg.results(inst)).toEqual([0]);
    dfg.attachResult(inst, 2, I64);
    expect(dfg.numResults(inst)).toBe(2);
    expect(dfg.results(inst)).toEqual([0, 2]);
    expect(dfg.result(inst, 1)).toBe(2);
    expect(dfg.valueNum(2)).toBe(1);
    expect(dfg.firstResult(inst)).toBe(0);
  });

  it('columns grow past a reserve and keep their contents', () => {
    const func = new IrFunction();
    const dfg = func.dfg;
    dfg.reserve(4, 4, 2);
    const b = dfg.makeBlock();
    let v = dfg.appendBlockParam(b, I64);
    const insts: number[] = [];
    for (let i = 0; i < 300; i++) {
      const inst = dfg.makeFixedInst(Opcode.iadd_imm, I64, v, NONE, NONE, i, 0, 0);
      dfg.setSrcLoc(inst, 1000 + i);
      insts.push(inst);
      v = dfg.firstResult(inst);
    }
    for (let i = 0; i < 300; i++) {
      expect(dfg.immLo(insts[i]!)).toBe(i);
      expect(dfg.srcLoc(insts[i]!)).toBe(1000 + i);
      expect(dfg.opcode(insts[i]!)).toBe(Opcode.iadd_imm);
      expect(dfg.arg(insts[i]!, 0)).toBe(i === 0 ? dfg.blockParam(b, 0) : dfg.firstResult(insts[i - 1]!));
    }
    for (let i = 0; i < 40; i++) dfg.makeBlock();
    expect(dfg.numBlocks).toBe(41);
    expect(dfg.blockParam(b, 0)).toBe(0);
  });

  it('resolveAllAliases rewrites fixed operands, operand lists and block-call arguments', () => {
    const func = new IrFunction('f', new Signature([I32], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const next = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const p = fb.blockParam(entry, 0);
    const a = fb.ins.iaddImm(p, 1);
    const c = fb.ins.iaddImm(p, 2);
    const sum = fb.ins.iadd(a, c);
    const param = fb.appendBlockParam(next, I32);
    const jump = fb.ins.jump(next, [a]);
    fb.switchToBlock(next);
    fb.sealBlock(next);
    const ret = fb.ins.return_([param]);
    const dfg = func.dfg;
    dfg.changeToAlias(a, c);
    expect(dfg.rawArg(dfg.valueInst(sum), 0)).toBe(a);
    dfg.resolveAllAliases();
    expect(dfg.rawArg(dfg.valueInst(sum), 0)).toBe(c);
    expect(dfg.rawArg(dfg.valueInst(sum), 1)).toBe(c);
    expect(func.dfg.pool.get(dfg.dest(jump, 0), 1)).toBe(c);
    expect(dfg.rawArg(ret, 0)).toBe(param);
  });

  it('appendArgToBlock appends to every destination that goes to the block, and only those', () => {
    const func = new IrFunction('f', new Signature([I32], []));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const t = fb.createBlock();
    const e = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const p = fb.blockParam(entry, 0);
    const both = fb.ins.brif(p, t, [], t, []);
    fb.switchToBlock(fb.createBlock());
    const table = fb.ins.brTable(p, e, [t, e, t]);
    const dfg = func.dfg;
    dfg.appendArgToBlock(both, t, p);
    expect([dfg.numDestArgs(both, 0), dfg.numDestArgs(both, 1)]).toEqual([1, 1]);
    dfg.appendArgToBlock(table, t, p);
    dfg.appendArgToBlock(table, t, p);
    const counts = [0, 1, 2, 3].map((k) => dfg.numDestArgs(table, k));
    expect(counts).toEqual([0, 2, 0, 2]);
    expect(dfg.destArg(table, 3, 1)).toBe(p);
  });
});

describe('ListPool', () => {
  it('free ignores EMPTY_LIST and NONE', () => {
    const pool = new ListPool(16);
    const h = pool.of1(5);
    pool.free(EMPTY_LIST);
    pool.free(NONE);
    expect(pool.len(EMPTY_LIST)).toBe(0);
    expect(pool.get(h, 0)).toBe(5);
    // The free chains are intact: a new one-element list does not reuse h.
    const h2 = pool.of1(6);
    expect(h2).not.toBe(h);
    expect(pool.get(h, 0)).toBe(5);
  });

  it('push moves lists of every size intact; removeAt shifts', () => {
    const pool = new ListPool(16);
    let h = EMPTY_LIST;
    for (let i = 0; i < 40; i++) h = pool.push(h, i * 3);
    expect(pool.toArray(h)).toEqual(Array.from({ length: 40 }, (_, i) => i * 3));
    pool.removeAt(h, 0);
    pool.removeAt(h, 37);
    expect(pool.len(h)).toBe(38);
    expect(pool.get(h, 0)).toBe(3);
    expect(pool.get(h, 36)).toBe(111);
    expect(pool.get(h, 37)).toBe(117);
    let s = pool.fromArray([1, 2, 3, 4]);
    pool.removeAt(s, 1);
    expect(pool.toArray(s)).toEqual([1, 3, 4]);
    s = pool.push(s, 9);
    expect(pool.toArray(s)).toEqual([1, 3, 4, 9]);
  });
});

describe('FunctionBuilder.rebind', () => {
  function build(fb: FunctionBuilder, k: number): string {
    const entry = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    fb.defVar(x, fb.blockParam(entry, 0));
    const loop = fb.createBlock();
    fb.ins.jump(loop);
    fb.switchToBlock(loop);
    fb.defVar(x, fb.ins.iaddImm(fb.useVar(x), k));
    fb.ins.brif(fb.useVar(x), loop, [], loop, []);
    fb.sealBlock(loop);
    return printFunction(fb.finalize());
  }

  it('builds the same function as a new builder would, function after function', () => {
    const shared = new FunctionBuilder(new IrFunction('f', new Signature([I32], [])));
    for (let k = 1; k <= 3; k++) {
      const fresh = new IrFunction('f', new Signature([I32], []));
      const reused = new IrFunction('f', new Signature([I32], []));
      const expected = build(new FunctionBuilder(fresh), k);
      shared.rebind(reused);
      expect(build(shared, k)).toBe(expected);
      expect(verifyFunction(reused)).toEqual([]);
      expect(shared.func).toBe(reused);
    }
  });
});
