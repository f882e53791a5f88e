import { describe, expect, it } from 'vitest';
import { ir, optimizeText } from './helpers.js';

describe('dead-code elimination', () => {
  it('keeps effects and possible traps, removes unused pure code and notrap loads', () => {
    const { text, stats } = optimizeText(ir`
      function %f(i64 vmctx, i32) {
          sig0 = (i64) -> i32 system_v
          fn0 = builtin 3 sig0

      block0(v0: i64, v1: i32):
          v2 = load.i32 heap v0
          v3 = load.i32 notrap heap v0
          v4 = load.i64 notrap aligned readonly vmctx v0
          v5 = iadd v1, v1
          v6 = sdiv v1, v5
          v8 = f64const 0.5
          v7 = fcvt_to_sint.i32 v8
          v9 = fcvt_to_sint_sat.i32 v8
          v10 = call fn0(v0)
          v11 = get_pinned_reg.i64
          set_pinned_reg v0
          store notrap heap v1, v0+8
          trapnz v1, unreachable
          return
      }
    `, ['dce']);
    expect(text).toBe(ir`
      function %f(i64 vmctx, i32) {
          sig0 = (i64) -> i32 system_v
          fn0 = builtin 3 sig0

      block0(v0: i64, v1: i32):
          v2 = load.i32 heap v0
          v5 = iadd v1, v1
          v6 = sdiv v1, v5
          v8 = f64const 0.5
          v7 = fcvt_to_sint.i32 v8
          v10 = call fn0(v0)
          set_pinned_reg v0
          store notrap heap v1, v0+8
          trapnz v1, unreachable
          return
      }
    `);
    expect(stats.dce).toEqual({ insts: 4, params: 0 });
  });

  it('removes a dead parameter from every edge, a br_table reaching the block twice included', () => {
    const { text, stats } = optimizeText(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 3
          br_table v0, block1(v0, v1), [block1(v1, v0), block2, block1(v0, v0)]

      block1(v2: i32, v3: i32):
          v4 = iadd v3, v3
          return v2

      block2:
          return v0
      }
    `, ['dce']);
    expect(text).toBe(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 3
          br_table v0, block1(v0), [block1(v1), block2, block1(v0)]

      block1(v2: i32):
          return v2

      block2:
          return v0
      }
    `);
    expect(stats.dce).toEqual({ insts: 1, params: 1 });
  });
});
