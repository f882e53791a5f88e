// The backend reuses its buffers from function to function (Lowerer, Emitter scratch, assembler): a function must
// compile to the same VCode and the same code whatever was compiled before it.

import { describe, expect, it } from 'vitest';
import { printVCode } from '../../src/isel/index.js';
import { Lowerer } from '../../src/isel/lower.js';
import { compileModule, MODERN_CPU, parseAndVerify } from './helpers.js';

const BIG = `function %big(i64 vmctx, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    v3 = iadd v1, v2
    v4 = imul v3, v1
    v5 = icmp_imm eq v4, 7
    brif v5, block1(v3), block2(v4)

block1(v6: i32):
    v7 = udiv v6, v2
    jump block3(v7)

block2(v8: i32):
    v9 = isub v8, v1
    v10 = icmp_imm slt v9, 100
    brif v10, block2(v9), block3(v9)

block3(v11: i32):
    return v11
}
`;

const SMALL = `function %small(i64 vmctx, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = iadd_imm v1, 5
    return v2
}
`;

describe('buffer reuse across functions', () => {
  it('a Lowerer gives the same VCode for a function after lowering a bigger one', () => {
    const [small] = parseAndVerify(SMALL);
    const [big] = parseAndVerify(BIG);
    const fresh = printVCode(new Lowerer({ cpu: MODERN_CPU }).run(small));
    const reused = new Lowerer({ cpu: MODERN_CPU });
    const bigText = printVCode(reused.run(big));
    expect(printVCode(reused.run(small))).toBe(fresh);
    expect(printVCode(reused.run(big))).toBe(bigText);
  });

  it('a module emits each function as it emits alone', () => {
    const alone = compileModule(SMALL);
    const both = compileModule(BIG + '\n' + SMALL);
    const f = both.functions[1];
    const code = both.bytes.subarray(f.start, f.end);
    const own = alone.bytes.subarray(alone.functions[0].start, alone.functions[0].end);
    expect(code.length).toBeGreaterThan(0);
    expect(Array.from(code)).toEqual(Array.from(own));
    // The trap table lists BIG's division traps and stack check, sorted by offset, and SMALL's stack check.
    const offsets = Array.from(both.trapTable.offsets);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(Array.from(both.trapTable.funcIndices)).toContain(1);
  });
});
