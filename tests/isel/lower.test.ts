// Structure of the VCode the lowering produces: block order, critical-edge splitting, dead and merged instructions,
// the allocator contract, the printer, and error messages.

import { describe, expect, it } from 'vitest';
import { ControlFlowGraph, DominatorTree, LoopAnalysis, parseFunction } from '../../src/ir/index.js';
import { computeBlockOrder } from '../../src/isel/block-order.js';
import { IselError, MOp, compileFunction, lowerFunction, printVCode } from '../../src/isel/index.js';
import { allocateRegisters } from '../../src/isel/regalloc.js';
import { checkAllocation } from '../../src/isel/regalloc-checker.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';
import { MODERN_CPU } from './helpers.js';

const NESTED = `function %nested(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1(v1)

block1(v2: i32):
    v3 = icmp_imm eq v2, 0
    brif v3, block6, block2

block6 cold:
    trap unreachable

block2:
    jump block3(v2)

block3(v4: i32):
    v5 = iadd_imm v4, -1
    v6 = icmp_imm sgt v5, 10
    brif v6, block3(v5), block4

block4:
    v7 = iadd_imm v2, -1
    v8 = icmp_imm ne v7, 0
    brif v8, block1(v7), block5

block5:
    return v7
}
`;

describe('block order', () => {
  it('keeps every loop contiguous, the entry first and cold blocks last', () => {
    const f = parseFunction(NESTED);
    const cfg = ControlFlowGraph.compute(f);
    const dom = DominatorTree.compute(f, cfg);
    const loops = new LoopAnalysis().compute(f, cfg, dom);
    const order = Array.from(computeBlockOrder(f, dom, loops));
    expect(order[0]).toBe(0);
    expect(order[order.length - 1]).toBe(6);
    // Outer loop {1, 2, 3, 4} and inner loop {3} are contiguous ranges of the order.
    const pos = (b: number): number => order.indexOf(b);
    const outer = [1, 2, 3, 4].map(pos).sort((a, b) => a - b);
    expect(outer[3] - outer[0]).toBe(3);
    expect(order).toHaveLength(7);
  });
});

describe('VCode', () => {
  it('splits critical edges and satisfies the allocator contract', () => {
    const v = lowerFunction(parseFunction(NESTED), { cpu: MODERN_CPU });
    // The allocator throws on a contract violation (unsplit critical edge, bad tiling, ...); the checker verifies it.
    const env = sysvMachineEnv();
    expect(checkAllocation(v, env, allocateRegisters(v, env))).toEqual([]);
    // Every block with several successors reaches blocks with exactly one predecessor.
    for (let b = 0; b < v.numBlocks; b++) {
      const ns = v.succStart[b + 1] - v.succStart[b];
      if (ns < 2) continue;
      for (let s = v.succStart[b]; s < v.succStart[b + 1]; s++) {
        const t = v.succs[s];
        expect(v.predStart[t + 1] - v.predStart[t], `block${b} → block${t}`).toBe(1);
      }
    }
    // Edge-split blocks hold just a jmp.
    let splits = 0;
    for (let b = 0; b < v.numBlocks; b++) {
      if (v.blockIrBlock[b] !== -1) continue;
      splits++;
      expect(v.blockInstEnd[b] - v.blockInstStart[b]).toBe(1);
      expect(v.insts.op[v.blockInstStart[b]]).toBe(MOp.Jmp);
    }
    expect(splits).toBe(2); // block3 → block3 and block4 → block1 (both targets have two predecessors)
    // The cold trap block is last.
    expect(v.blockIrBlock[v.numBlocks - 1]).toBe(6);
  });

  it('drops dead pure instructions and absorbed ones; keeps effects', () => {
    const v = lowerFunction(
      parseFunction(`function %dead(i64 vmctx, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 5
    v3 = imul v1, v2
    v4 = load.i64 notrap v1+8
    v5 = iadd v1, v4
    v6 = load.i64 v1+16
    return v5
}
`),
      { cpu: MODERN_CPU },
    );
    const ops = Array.from(v.insts.op.subarray(0, v.numInsts));
    // v2/v3 are dead; the notrap load is merged into the add; the trapping load v6 stays (it may trap).
    expect(ops).toEqual([MOp.Args, MOp.AluRM, MOp.Load, MOp.Ret]);
    expect(printVCode(v)).toContain('aluRM.add.8 v1, [v1 + 0x8]');
  });

  it('prints VCode with constraints', () => {
    const text = printVCode(
      lowerFunction(
        parseFunction(`function %p(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = ishl v1, v2
    v4 = udiv v3, v1
    return v4
}
`),
        { cpu: MODERN_CPU },
      ),
    );
    expect(text).toBe(`vcode %p: 1 blocks, 6 insts, 6 vregs
block0:  ; ir block0
    v0@rdi, v1@rsi, v2@rdx = args
    v3^0 = shiftRCl.shl.4 v1, v2@rcx
    cmpRR.test.4 v1, v1:any
    trapIf.e trap#0(int_divz)
    v4@rax, v5@rdx:early = div.unsigned.4 v3@rax, v1
    ret v4@rax
`);
  });
});

describe('errors', () => {
  it('an unsupported opcode is an IselError naming the function and the instruction', () => {
    const f = parseFunction(`function %pinned(i64 vmctx) -> i64 {
block0(v0: i64):
    v1 = get_pinned_reg.i64
    return v1
}
`);
    expect(() => compileFunction(f)).toThrow(IselError);
    expect(() => compileFunction(f)).toThrow(/%?pinned: block0: `v1 = get_pinned_reg.i64`: get_pinned_reg is not supported/);
  });

  it('a return of the wrong arity is reported, not crashed on', () => {
    const f = parseFunction(`function %arity(i64 vmctx) -> i32, i32 {
block0(v0: i64):
    v1 = iconst.i32 1
    return v1
}
`);
    expect(() => compileFunction(f)).toThrow(/return of 1 values from a function with 2 results/);
  });
});
