import { describe, expect, it } from 'vitest';
import {
  ControlFlowGraph,
  DominatorTree,
  FuncCursor,
  I32,
  LoopAnalysis,
  NONE,
  Opcode,
  TrapCode,
  UseIndex,
  parseFunction,
  printFunction,
  verifyFunction,
} from '../../src/ir/index.js';

function lines(...ls: string[]): string {
  return ls.join('\n') + '\n';
}

describe('mutating functions (the operations passes need)', () => {
  it('replaces all uses of a value with an alias and removes the dead instruction', () => {
    const f = parseFunction(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    v2 = iadd v0, v1',
      '    v3 = iadd_imm v2, 0',
      '    v4 = imul v3, v3',
      '    return v4',
      '}',
    ));
    const v3inst = f.dfg.valueInst(3);
    expect(f.dfg.isRemovableIfUnused(v3inst)).toBe(true);
    f.dfg.replaceAllUsesWith(3, 2);
    f.layout.removeInst(v3inst);
    expect(f.dfg.arg(f.dfg.valueInst(4), 0)).toBe(2); // readers see through the alias
    expect(f.dfg.rawArg(f.dfg.valueInst(4), 0)).toBe(3);
    f.dfg.resolveAllAliases();
    expect(f.dfg.rawArg(f.dfg.valueInst(4), 0)).toBe(2);
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toBe(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    v2 = iadd v0, v1',
      '    v4 = imul v2, v2',
      '    return v4',
      '}',
    ));
    expect(() => f.dfg.changeToAlias(2, 3)).toThrow(/alias cycle/);
    expect(() => f.dfg.changeToAlias(0, 2)).toThrow(/still a parameter of block0/);
  });

  it('folds an instruction into a constant in place, keeping its result value', () => {
    const f = parseFunction(lines(
      'function %f() -> i32, f64 {',
      'block0:',
      '    v0 = iconst.i32 6',
      '    v1 = imul_imm v0, 7',
      '    v2 = f64const 1.5',
      '    v3 = fneg v2',
      '    return v1, v3',
      '}',
    ));
    f.dfg.replaceWithIconst(f.dfg.valueInst(1), 42, 0);
    f.dfg.replaceWithFconst(f.dfg.valueInst(3), 0, 0xbff80000 | 0);
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toContain('    v1 = iconst.i32 42\n    v2 = f64const 1.5\n    v3 = f64const -1.5\n');
    // Strength reduction: imul by 8 -> ishl_imm 3, same result.
    const g = parseFunction(lines(
      'function %g(i64) -> i64 {',
      'block0(v0: i64):',
      '    v1 = imul_imm v0, 8',
      '    return v1',
      '}',
    ));
    const inst = g.dfg.valueInst(1);
    g.dfg.replaceOpcode(inst, Opcode.ishl_imm, g.dfg.instType(inst));
    g.dfg.setFixedArgs(inst, 0, NONE, NONE);
    g.dfg.setImm(inst, 3, 0);
    expect(verifyFunction(g)).toEqual([]);
    expect(printFunction(g)).toContain('    v1 = ishl_imm v0, 3\n');
  });

  it('hoists a loop-invariant instruction into the preheader (LICM-style move)', () => {
    const f = parseFunction(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    jump block1(v0)',
      '',
      'block1(v2: i32):',
      '    v3 = imul v1, v1',
      '    v4 = isub v2, v3',
      '    brif v4, block1(v4), block2',
      '',
      'block2:',
      '    return v2',
      '}',
    ));
    const cfg = ControlFlowGraph.compute(f);
    const dom = DominatorTree.compute(f, cfg);
    const loops = LoopAnalysis.compute(f, cfg, dom);
    const loop = loops.loopOf(1);
    expect(loops.header(loop)).toBe(1);
    // The invariant imul: its operands are defined outside the loop.
    const inst = f.dfg.valueInst(3);
    const args = f.dfg.args(inst);
    expect(args.every((v) => !loops.contains(loop, f.dfg.valueBlock(v) === NONE
      ? f.layout.instBlock(f.dfg.valueInst(v)) : f.dfg.valueBlock(v)))).toBe(true);
    // The preheader is the header's only predecessor outside the loop: block0.
    f.layout.moveInstBefore(inst, f.layout.lastInst(0));
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toBe(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    v3 = imul v1, v1',
      '    jump block1(v0)',
      '',
      'block1(v2: i32):',
      '    v4 = isub v2, v3',
      '    brif v4, block1(v4), block2',
      '',
      'block2:',
      '    return v2',
      '}',
    ));
  });

  it('retargets a branch, removes the dead block, adds and removes block parameters', () => {
    const f = parseFunction(lines(
      'function %f(i32) -> i32 {',
      'block0(v0: i32):',
      '    brif v0, block1, block2',
      '',
      'block1:',
      '    jump block3(v0)',
      '',
      'block2:',
      '    v1 = iconst.i32 1',
      '    jump block3(v1)',
      '',
      'block3(v2: i32):',
      '    return v2',
      '}',
    ));
    const brif = f.layout.lastInst(0);
    // Jump threading: block1 only forwards v0 to block3.
    f.dfg.setDestCall(brif, 0, 3, [0]);
    f.layout.removeBlock(1);
    expect(verifyFunction(f)).toEqual([]);
    // A new parameter on block3: every branch to it passes one more argument.
    const p = f.dfg.appendBlockParam(3, I32);
    const cfg = ControlFlowGraph.compute(f);
    for (let i = 0; i < cfg.numPreds(3); i++) {
      const br = cfg.predInst(3, i);
      for (let k = 0; k < f.dfg.numDests(br); k++) if (f.dfg.destBlock(br, k) === 3) f.dfg.appendDestArg(br, k, 0);
    }
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toBe(lines(
      'function %f(i32) -> i32 {',
      'block0(v0: i32):',
      '    brif v0, block3(v0, v0), block2',
      '',
      'block2:',
      '    v1 = iconst.i32 1',
      '    jump block3(v1, v0)',
      '',
      `block3(v2: i32, v${p}: i32):`,
      '    return v2',
      '}',
    ));
    // Remove the first parameter again: replace its uses, drop the argument on every edge.
    f.dfg.removeBlockParam(3, 0);
    f.dfg.changeToAlias(2, p);
    f.dfg.removeDestArg(brif, 0, 0);
    f.dfg.removeDestArg(f.layout.lastInst(2), 0, 0);
    expect(verifyFunction(f)).toEqual([]);
    expect(f.dfg.valueNum(p)).toBe(0);
    expect(printFunction(f)).toContain(`block3(v${p}: i32):\n    return v${p}\n`);
  });

  it('inserts instructions with a cursor and splits a block', () => {
    const f = parseFunction(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    v2 = udiv v0, v1',
      '    return v2',
      '}',
    ));
    const div = f.dfg.valueInst(2);
    const cur = new FuncCursor(f).gotoBefore(div);
    cur.srcLoc = 0x30;
    cur.ins.trapz(1, TrapCode.int_divz);
    // Split before the return and join with a jump: the new block follows block0 in the layout.
    const ret = f.layout.lastInst(0);
    const tail = f.dfg.makeBlock();
    f.layout.splitBlock(tail, ret);
    new FuncCursor(f).gotoBlockEnd(0).ins.jump(tail);
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toBe(lines(
      'function %f(i32, i32) -> i32 {',
      'block0(v0: i32, v1: i32):',
      '    @0030 trapz v1, int_divz',
      '    v2 = udiv v0, v1',
      '    jump block1',
      '',
      'block1:',
      '    return v2',
      '}',
    ));
    expect(f.countInsts()).toBe(4);
    expect(f.countBlocks()).toBe(2);
    const uses = UseIndex.compute(f);
    expect(uses.numUses(1)).toBe(2);
  });

  it('clears and reuses a function object', () => {
    const f = parseFunction('function %f() {\nblock0:\n    return\n}');
    f.clear('g');
    expect(f.entryBlock).toBe(NONE);
    expect(f.dfg.numInsts).toBe(0);
    const cur = new FuncCursor(f);
    const b = f.dfg.makeBlock();
    f.layout.appendBlock(b);
    cur.gotoBlockEnd(b).ins.return_();
    expect(printFunction(f)).toBe('function %g() {\nblock0:\n    return\n}\n');
  });
});
