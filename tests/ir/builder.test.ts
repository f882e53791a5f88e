import { describe, expect, it } from 'vitest';
import {
  ControlFlowGraph,
  DominatorTree,
  ExtFuncData,
  FuncKind,
  FunctionBuilder,
  I32,
  I64,
  F64,
  IntCC,
  IrFunction,
  MemFlag,
  NONE,
  Signature,
  TrapCode,
  parseFunction,
  printFunction,
  verifyFunction,
} from '../../src/ir/index.js';
import { diffFunctions } from './helpers.js';

function roundTrip(func: IrFunction): string {
  const text = printFunction(func);
  const parsed = parseFunction(text);
  expect(diffFunctions(func, parsed)).toBeNull();
  expect(printFunction(parsed)).toBe(text);
  expect(verifyFunction(parsed)).toEqual([]);
  return text;
}

describe('FunctionBuilder with SSA variables', () => {
  it('builds a counting loop: loop-carried variables become header parameters, invariant ones do not', () => {
    const func = new IrFunction('sum', new Signature([I32], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const header = fb.createBlock();
    const body = fb.createBlock();
    const exit = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const n = fb.declareVar(I32);
    const i = fb.declareVar(I32);
    const s = fb.declareVar(I32);
    fb.defVar(n, fb.blockParam(entry, 0));
    const zero = fb.ins.iconst(I32, 0);
    fb.defVar(i, zero);
    fb.defVar(s, zero);
    fb.ins.jump(header);
    fb.switchToBlock(header); // not sealed: the back edge is not built yet
    const c = fb.ins.icmp(IntCC.slt, fb.useVar(i), fb.useVar(n));
    fb.ins.brif(c, body, [], exit, []);
    fb.switchToBlock(body);
    fb.sealBlock(body);
    fb.defVar(s, fb.ins.iadd(fb.useVar(s), fb.useVar(i)));
    fb.defVar(i, fb.ins.iaddImm(fb.useVar(i), 1));
    fb.ins.jump(header);
    fb.sealBlock(header);
    fb.switchToBlock(exit);
    fb.sealBlock(exit);
    fb.ins.return_([fb.useVar(s)]);
    fb.finalize();

    expect(verifyFunction(func)).toEqual([]);
    const text = roundTrip(func);
    expect(text).toBe(
      [
        'function %sum(i32) -> i32 {',
        'block0(v0: i32):',
        '    v1 = iconst.i32 0',
        '    jump block1(v1, v1)',
        '',
        'block1(v2: i32, v5: i32):',
        '    v4 = icmp slt v2, v0',
        '    brif v4, block2, block3',
        '',
        'block2:',
        '    v6 = iadd v5, v2',
        '    v7 = iadd_imm v2, 1',
        '    jump block1(v7, v6)',
        '',
        'block3:',
        '    return v5',
        '}',
        '',
      ].join('\n'),
    );
    // n's parameter (v3) was trivial: removed and aliased to v0.
    expect(func.dfg.resolve(3)).toBe(0);
    expect(func.dfg.numBlockParams(header)).toBe(2);
  });

  it('builds a diamond: a variable set on both arms merges through one parameter', () => {
    const func = new IrFunction('abs', new Signature([I32], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const neg = fb.createBlock();
    const pos = fb.createBlock();
    const join = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    const unchanged = fb.declareVar(I32);
    fb.defVar(x, fb.blockParam(entry, 0));
    fb.defVar(unchanged, fb.ins.iconst(I32, 7));
    const isNeg = fb.ins.icmpImm(IntCC.slt, fb.useVar(x), 0);
    fb.ins.brif(isNeg, neg, [], pos, []);
    fb.sealBlock(neg);
    fb.sealBlock(pos);
    fb.switchToBlock(neg);
    fb.defVar(x, fb.ins.ineg(fb.useVar(x)));
    fb.ins.jump(join);
    fb.switchToBlock(pos);
    fb.ins.jump(join);
    fb.sealBlock(join);
    fb.switchToBlock(join);
    const sum = fb.ins.iadd(fb.useVar(x), fb.useVar(unchanged));
    fb.ins.return_([sum]);
    fb.finalize();
    expect(roundTrip(func)).toBe(
      [
        'function %abs(i32) -> i32 {',
        'block0(v0: i32):',
        '    v1 = iconst.i32 7',
        '    v2 = icmp_imm slt v0, 0',
        '    brif v2, block1, block2',
        '',
        'block1:',
        '    v3 = ineg v0',
        '    jump block3(v3)',
        '',
        'block2:',
        '    jump block3(v0)',
        '',
        'block3(v4: i32):',
        '    v6 = iadd v4, v1',
        '    return v6',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('handles unreachable code: a block without predecessors reads undefined variables as zero', () => {
    const func = new IrFunction('dead', new Signature([I32], [I32, F64]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const dead = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    const f = fb.declareVar(F64);
    fb.defVar(x, fb.blockParam(entry, 0));
    fb.defVar(f, fb.ins.f64const(1.5));
    fb.ins.return_([fb.useVar(x), fb.useVar(f)]);
    // Code after the return (wasm `return` followed by more operators) goes to a block nobody jumps to.
    expect(fb.isFilled()).toBe(true);
    fb.switchToBlock(dead);
    fb.sealBlock(dead);
    const y = fb.ins.iaddImm(fb.useVar(x), 1);
    fb.ins.return_([y, fb.useVar(f)]);
    fb.finalize({ keepUnreachable: true });
    const text = roundTrip(func);
    expect(text).toBe(
      [
        'function %dead(i32) -> i32, f64 {',
        'block0(v0: i32):',
        '    v1 = f64const 1.5',
        '    return v0, v1',
        '',
        'block1:',
        '    v6 = f64const 0.0',
        '    v3 = iconst.i32 0',
        '    v4 = iadd_imm v3, 1',
        '    return v4, v6',
        '}',
        '',
      ].join('\n'),
    );
    const cfg = ControlFlowGraph.compute(func);
    const dom = DominatorTree.compute(func, cfg);
    expect(dom.isReachable(dead)).toBe(false);
    expect(cfg.numPreds(dead)).toBe(0);
    // By default finalize() drops unreachable blocks.
    fb.finalize();
    expect(func.layout.isBlockInserted(dead)).toBe(false);
    expect(printFunction(func)).toBe(
      'function %dead(i32) -> i32, f64 {\nblock0(v0: i32):\n    v1 = f64const 1.5\n    return v0, v1\n}\n',
    );
  });

  it('handles an unreachable self-loop (a cycle of single predecessors) without hanging', () => {
    const func = new IrFunction('selfloop', new Signature([], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const spin = fb.createBlock();
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    fb.defVar(x, fb.ins.iconst(I32, 3));
    fb.ins.return_([fb.useVar(x)]);
    fb.switchToBlock(spin);
    fb.ins.jump(spin);
    fb.sealBlock(spin);
    // spin's only predecessor is itself: the lookup must stop and give zero.
    const v = fb.useVar(x);
    expect(func.dfg.opcode(func.dfg.valueInst(v))).toBe(0 /* iconst */);
    expect(func.dfg.immLo(func.dfg.valueInst(v))).toBe(0);
    expect(func.dfg.numBlockParams(spin)).toBe(0);
  });

  it('propagates through long single-predecessor chains without recursion (5000 blocks)', () => {
    const func = new IrFunction('chain', new Signature([I64], [I64]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I64);
    fb.defVar(x, fb.blockParam(entry, 0));
    const blocks = [];
    for (let i = 0; i < 5000; i++) blocks.push(fb.createBlock());
    fb.ins.jump(blocks[0]!);
    for (let i = 0; i < 5000; i++) {
      fb.switchToBlock(blocks[i]!);
      if (i + 1 < 5000) fb.ins.jump(blocks[i + 1]!);
    }
    // Seal only at the end: every lookup in the chain was deferred.
    fb.ins.return_([fb.useVar(x)]);
    fb.sealAllBlocks();
    fb.finalize();
    expect(verifyFunction(func)).toEqual([]);
    const ret = func.layout.lastInst(blocks[4999]!);
    expect(func.dfg.arg(ret, 0)).toBe(0);
    expect(blocks.every((b) => func.dfg.numBlockParams(b) === 0)).toBe(true);
  });

  it('passes variable values along br_table edges, once per distinct destination', () => {
    const func = new IrFunction('switch', new Signature([I32], [I32]));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const a = fb.createBlock();
    const b = fb.createBlock();
    const join = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    fb.defVar(x, fb.ins.iconst(I32, 10));
    fb.ins.brTable(fb.blockParam(entry, 0), join, [a, b, a, join]);
    fb.sealBlock(a);
    fb.sealBlock(b);
    fb.switchToBlock(a);
    fb.defVar(x, fb.ins.iconst(I32, 20));
    fb.ins.jump(join);
    fb.switchToBlock(b);
    fb.ins.jump(join);
    fb.sealBlock(join);
    fb.switchToBlock(join);
    fb.ins.return_([fb.useVar(x)]);
    fb.finalize();
    expect(roundTrip(func)).toBe(
      [
        'function %switch(i32) -> i32 {',
        'block0(v0: i32):',
        '    v1 = iconst.i32 10',
        '    br_table v0, block3(v1), [block1, block2, block1, block3(v1)]',
        '',
        'block1:',
        '    v2 = iconst.i32 20',
        '    jump block3(v2)',
        '',
        'block2:',
        '    jump block3(v1)',
        '',
        'block3(v3: i32):',
        '    return v3',
        '}',
        '',
      ].join('\n'),
    );
    expect(fb.numPredecessors(join)).toBe(3);
  });

  it('builds memory, calls, traps, srclocs and trap fuel, and prints them', () => {
    const func = new IrFunction('mem', new Signature([I64, I32], [I32], 0));
    const fb = new FunctionBuilder(func);
    const sig = func.dfg.importSignature(new Signature([I64, I32], [I32, I64], 0));
    const fn = func.dfg.importFunction(new ExtFuncData(FuncKind.wasm, 5, sig));
    const hsig = func.dfg.importSignature(new Signature([I64], [], -1, 1));
    const grow = func.dfg.importFunction(new ExtFuncData(FuncKind.builtin, 2, hsig));
    const entry = fb.createBlock();
    const oob = fb.createBlock();
    const ok = fb.createBlock();
    fb.appendFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const [vmctx, index] = fb.blockParams(entry) as [number, number];
    fb.srcLoc = 0x1a;
    const base = fb.ins.load(I64, MemFlag.notrap | MemFlag.aligned | MemFlag.readonly | MemFlag.vmctx, vmctx, 16);
    const len = fb.ins.load(I64, MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx, vmctx, 24);
    const idx64 = fb.ins.uextend(I64, index);
    const inBounds = fb.ins.icmp(IntCC.ult, idx64, len);
    fb.ins.brif(inBounds, ok, [], oob, []);
    fb.sealBlock(ok);
    fb.sealBlock(oob);
    fb.switchToBlock(oob);
    func.dfg.setCold(oob, true);
    const t = fb.ins.trap(TrapCode.heap_oob);
    func.dfg.setTrapFuel(t, 3);
    fb.switchToBlock(ok);
    fb.srcLoc = 0x20;
    const addr = fb.ins.iadd(base, idx64);
    const b = fb.ins.uload8(I32, MemFlag.notrap | MemFlag.heap, addr, -4);
    fb.ins.istore16(MemFlag.heap, b, addr, 8);
    const call = fb.ins.call(fn, [vmctx, b]);
    fb.ins.call(grow, [vmctx]);
    const r0 = func.dfg.result(call, 0);
    const q = fb.ins.udiv(r0, b);
    func.dfg.setTrapFuel(func.dfg.valueInst(q), 2);
    fb.srcLoc = -1;
    const callee = fb.ins.load(I64, MemFlag.table, vmctx);
    const ci = fb.ins.callIndirect(sig, callee, [vmctx, q]);
    fb.ins.trapz(func.dfg.firstResult(ci), TrapCode.unreachable);
    fb.ins.return_([q]);
    fb.finalize();
    expect(roundTrip(func)).toBe(
      [
        'function %mem(i64 vmctx, i32) -> i32 {',
        '    sig0 = (i64 vmctx, i32) -> i32, i64',
        '    sig1 = (i64) system_v',
        '    fn0 = func 5 sig0',
        '    fn1 = builtin 2 sig1',
        '',
        'block0(v0: i64, v1: i32):',
        '    @001a v2 = load.i64 notrap aligned readonly vmctx v0+16',
        '    @001a v3 = load.i64 notrap aligned vmctx v0+24',
        '    @001a v4 = uextend.i64 v1',
        '    @001a v5 = icmp ult v4, v3',
        '    @001a brif v5, block2, block1',
        '',
        'block1 cold:',
        '    @001a fuel=3 trap heap_oob',
        '',
        'block2:',
        '    @0020 v6 = iadd v2, v4',
        '    @0020 v7 = uload8.i32 notrap heap v6-4',
        '    @0020 istore16 heap v7, v6+8',
        '    @0020 v8, v9 = call fn0(v0, v7)',
        '    @0020 call fn1(v0)',
        '    @0020 fuel=2 v10 = udiv v8, v7',
        '    v11 = load.i64 table v0',
        '    v12, v13 = call_indirect sig0, v11(v0, v10)',
        '    trapz v12, unreachable',
        '    return v10',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('reports misuse clearly', () => {
    const func = new IrFunction('bad', new Signature([], []));
    const fb = new FunctionBuilder(func);
    const entry = fb.createBlock();
    const other = fb.createBlock();
    expect(() => fb.ins.iconst(I32, 1)).toThrow(/no current block/);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    const x = fb.declareVar(I32);
    expect(() => fb.defVar(x, fb.ins.iconst(I64, 1))).toThrow(/var0 has type i32 but v\d+ has type i64/);
    expect(() => fb.useVar(99)).toThrow(/var99 was not declared/);
    expect(() => fb.switchToBlock(other)).toThrow(/block0 has instructions but no terminator/);
    fb.ins.return_();
    expect(() => fb.ins.return_()).toThrow(/already has a terminator/);
    fb.switchToBlock(other);
    fb.ins.jump(other);
    fb.sealBlock(other);
    expect(() => fb.ins.jump(other)).toThrow(/already has a terminator/);
    const g = new FunctionBuilder(new IrFunction('g'));
    const e = g.createBlock();
    g.switchToBlock(e);
    g.ins.return_();
    expect(() => g.finalize()).toThrow(/block0 is not sealed/);
    expect(NONE).toBe(-1);
  });
});
