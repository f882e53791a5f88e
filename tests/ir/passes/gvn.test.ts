import { describe, expect, it } from 'vitest';
import { ir, optimizeText } from './helpers.js';

const gvn = (text: string) => optimizeText(text, ['gvn', 'dce']);

describe('global value numbering', () => {
  it('merges commutative operands, dominated repeats and trapping pure ops; not siblings', () => {
    const { text, stats } = gvn(ir`
      function %f(i32, i32) -> i32 {
      block0(v0: i32, v1: i32):
          v2 = iadd v0, v1
          v3 = iadd v1, v0
          v4 = udiv v2, v3
          v5 = udiv v2, v3
          v6 = isub v4, v5
          brif v0, block1, block2

      block1:
          v7 = imul v0, v1
          v8 = iadd v0, v1
          v9 = iadd v7, v8
          jump block3(v9)

      block2:
          v10 = imul v0, v1
          jump block3(v10)

      block3(v11: i32):
          v12 = imul v1, v0
          v13 = iadd v11, v12
          v14 = iadd v13, v6
          return v14
      }
    `);
    expect(text).toBe(ir`
      function %f(i32, i32) -> i32 {
      block0(v0: i32, v1: i32):
          v2 = iadd v0, v1
          v4 = udiv v2, v2
          v6 = isub v4, v4
          brif v0, block1, block2

      block1:
          v7 = imul v0, v1
          v9 = iadd v7, v2
          jump block3(v9)

      block2:
          v10 = imul v0, v1
          jump block3(v10)

      block3(v11: i32):
          v12 = imul v1, v0
          v13 = iadd v11, v12
          v14 = iadd v13, v6
          return v14
      }
    `);
    expect(stats.gvn.pure).toBe(3);
  });

  it('does not reuse a heap load across a loop that stores to the heap, but reuses a readonly one', () => {
    const { text, stats } = gvn(ir`
      function %f(i64 vmctx, i64) -> i32 {
      block0(v0: i64, v1: i64):
          v2 = load.i32 notrap heap v1
          v3 = load.i64 notrap aligned readonly vmctx v0
          jump block1(v2)

      block1(v4: i32):
          v5 = load.i32 notrap heap v1
          v6 = load.i64 notrap aligned readonly vmctx v0
          store notrap heap v4, v6
          v7 = iadd v4, v5
          brif v7, block1(v7), block2

      block2:
          return v7
      }
    `);
    expect(text).toBe(ir`
      function %f(i64 vmctx, i64) -> i32 {
      block0(v0: i64, v1: i64):
          v2 = load.i32 notrap heap v1
          v3 = load.i64 notrap aligned readonly vmctx v0
          jump block1(v2)

      block1(v4: i32):
          v5 = load.i32 notrap heap v1
          store notrap heap v4, v3
          v7 = iadd v4, v5
          brif v7, block1(v7), block2

      block2:
          return v7
      }
    `);
    expect(stats.gvn.loads).toBe(1);
  });

  it('keeps regions apart; a store without a region clobbers them all; forwarding needs the same type', () => {
    const { text, stats } = gvn(ir`
      function %f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 notrap heap v0
          store notrap table v1, v0+8
          v3 = load.i64 notrap heap v0
          store notrap v1, v0+16
          v4 = load.i64 notrap heap v0
          store notrap heap v1, v0+24
          v5 = load.f64 notrap heap v0+24
          v6 = load.i64 notrap heap v0+24
          v7 = bitcast.i64 v5
          v8 = iadd v2, v3
          v9 = iadd v8, v4
          v10 = iadd v9, v6
          v11 = iadd v10, v7
          return v11
      }
    `);
    expect(text).toBe(ir`
      function %f(i64, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 notrap heap v0
          store notrap table v1, v0+8
          store notrap v1, v0+16
          v4 = load.i64 notrap heap v0
          store notrap heap v1, v0+24
          v5 = load.f64 notrap heap v0+24
          v7 = bitcast.i64 v5
          v8 = iadd v2, v2
          v9 = iadd v8, v4
          v10 = iadd v9, v1
          v11 = iadd v10, v7
          return v11
      }
    `);
    expect(stats.gvn).toEqual({ pure: 0, loads: 1, forwarded: 1, traps: 0 });
  });

  it('sees a store at the end of a dominating block, and agrees on a join only when every path agrees', () => {
    const { text, stats } = gvn(ir`
      function %f(i64 vmctx, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 notrap vmctx v0+8
          store notrap vmctx v1, v0+8
          brif v1, block1, block2

      block1:
          v3 = load.i64 notrap vmctx v0+8
          store notrap vmctx v3, v0+16
          jump block3

      block2:
          jump block3

      block3:
          v4 = load.i64 notrap vmctx v0+8
          v5 = load.i64 notrap vmctx v0+16
          v6 = iadd v2, v4
          v7 = iadd v6, v5
          return v7
      }
    `);
    // v3 reads what block0 stored last (v1: forwarded). In block3 the paths disagree on the last vmctx store
    // (block1 stored to +16, block2 did not), so v4 and v5 stay although +8 holds v1 on both paths.
    expect(text).toBe(ir`
      function %f(i64 vmctx, i64) -> i64 {
      block0(v0: i64, v1: i64):
          v2 = load.i64 notrap vmctx v0+8
          store notrap vmctx v1, v0+8
          brif v1, block1, block2

      block1:
          store notrap vmctx v1, v0+16
          jump block3

      block2:
          jump block3

      block3:
          v4 = load.i64 notrap vmctx v0+8
          v5 = load.i64 notrap vmctx v0+16
          v6 = iadd v2, v4
          v7 = iadd v6, v5
          return v7
      }
    `);
    expect(stats.gvn.forwarded).toBe(1);
  });

  it('removes a conditional trap dominated by the same check', () => {
    const { text, stats } = gvn(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          trapz v0, int_divz
          brif v0, block1, block2

      block1:
          trapz v0, int_divz
          trapz v0, heap_oob
          return v0

      block2:
          return v0
      }
    `);
    expect(text).toBe(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          trapz v0, int_divz
          brif v0, block1, block2

      block1:
          trapz v0, heap_oob
          return v0

      block2:
          return v0
      }
    `);
    expect(stats.gvn.traps).toBe(1);
  });
});
