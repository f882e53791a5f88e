import { describe, expect, it } from 'vitest';
import { ir, optimizeText } from './helpers.js';

describe('loop-invariant code motion', () => {
  it('hoists nothing that may trap or whose memory the loop writes, and then adds no preheader', () => {
    const input = ir`
      function %f(i64 vmctx, i32, i64) -> i32 {
      block0(v0: i64, v1: i32, v2: i64):
          brif v1, block1(v1), block2

      block1(v3: i32):
          v4 = load.i64 aligned readonly vmctx v0
          v5 = load.i32 notrap heap v2
          v6 = udiv v1, v1
          v7 = get_pinned_reg.i64
          store notrap heap v3, v2+4
          v8 = iadd_imm v3, -1
          brif v8, block1(v8), block2

      block2:
          return v1
      }
    `;
    const { text, stats } = optimizeText(input, ['licm']);
    expect(text).toBe(input);
    expect(stats.licm).toEqual({ hoisted: 0, preheaders: 0 });
  });

  it('hoists into an existing preheader, pure chains included, and a notrap load when the loop does not write it', () => {
    const { text, stats } = optimizeText(ir`
      function %f(i64 vmctx, i32) -> i64 {
      block0(v0: i64, v1: i32):
          v2 = iconst.i32 10
          jump block1(v2)

      block1(v3: i32):
          v4 = uextend.i64 v1
          v5 = imul_imm v4, 12
          v6 = load.i64 notrap vmctx v0
          v7 = iadd v5, v6
          store notrap heap v3, v7
          v8 = iadd_imm v3, -1
          brif v8, block1(v8), block2

      block2:
          return v7
      }
    `, ['licm']);
    expect(text).toBe(ir`
      function %f(i64 vmctx, i32) -> i64 {
      block0(v0: i64, v1: i32):
          v2 = iconst.i32 10
          v4 = uextend.i64 v1
          v5 = imul_imm v4, 12
          v6 = load.i64 notrap vmctx v0
          v7 = iadd v5, v6
          jump block1(v2)

      block1(v3: i32):
          store notrap heap v3, v7
          v8 = iadd_imm v3, -1
          brif v8, block1(v8), block2

      block2:
          return v7
      }
    `);
    expect(stats.licm).toEqual({ hoisted: 4, preheaders: 0 });
  });

  it('never hoists a notrap heap or table load: its bounds check does not guard the preheader', () => {
    const source = ir`
      function %f(i64 vmctx, i32) -> i64 {
      block0(v0: i64, v1: i32):
          v2 = iconst.i32 10
          jump block1(v2)

      block1(v3: i32):
          v4 = load.i64 notrap heap v0
          v5 = load.i64 notrap table v0+8
          v6 = iadd v4, v5
          v7 = iadd_imm v3, -1
          brif v7, block1(v7), block2

      block2:
          return v6
      }
    `;
    const { text, stats } = optimizeText(source, ['licm']);
    expect(text).toBe(source);
    expect(stats.licm).toEqual({ hoisted: 0, preheaders: 0 });
  });

  it('creates a preheader when the only outside edge is a brif', () => {
    const { text, stats } = optimizeText(ir`
      function %f(i64 vmctx, i32) -> i32 {
      block0(v0: i64, v1: i32):
          brif v1, block1(v1), block2(v1)

      block1(v2: i32):
          v3 = load.i32 notrap aligned readonly vmctx v0+4
          v4 = isub v2, v3
          brif v4, block1(v4), block2(v4)

      block2(v5: i32):
          return v5
      }
    `, ['licm']);
    expect(text).toBe(ir`
      function %f(i64 vmctx, i32) -> i32 {
      block0(v0: i64, v1: i32):
          brif v1, block3(v1), block2(v1)

      block3(v6: i32):
          v3 = load.i32 notrap aligned readonly vmctx v0+4
          jump block1(v6)

      block1(v2: i32):
          v4 = isub v2, v3
          brif v4, block1(v4), block2(v4)

      block2(v5: i32):
          return v5
      }
    `);
    expect(stats.licm).toEqual({ hoisted: 1, preheaders: 1 });
  });
});
