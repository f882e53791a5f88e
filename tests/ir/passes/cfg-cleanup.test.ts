import { describe, expect, it } from 'vitest';
import { ir, optimizeText } from './helpers.js';

const cfg = (text: string) => optimizeText(text, ['cfg']);

describe('CFG cleanup', () => {
  it('folds br_table on a constant (in range and out of range) and one whose targets are all equal', () => {
    const { text, stats } = cfg(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 1
          br_table v1, block1, [block2, block3(v0), block2]

      block1:
          v2 = iconst.i32 -1
          br_table v2, block4(v0), [block2, block2]

      block2:
          br_table v0, block4(v1), [block4(v1), block4(v1)]

      block3(v3: i32):
          v4 = iadd v3, v3
          return v4

      block4(v5: i32):
          return v5
      }
    `);
    expect(text).toBe(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          v1 = iconst.i32 1
          v4 = iadd v0, v0
          return v4
      }
    `);
    // All three br_tables are simplified in the first sweep, before block1, block2 and block4 turn out unreachable.
    expect(stats.cfg.branches).toBe(3);
    expect(stats.cfg.unreachable).toBe(3);
    expect(stats.cfg.merged).toBe(1);
  });

  it('does not bypass a block whose parameter is used further down, nor an empty self-loop', () => {
    const input = ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          brif v0, block1(v0), block3

      block1(v1: i32):
          jump block2

      block2:
          brif v1, block4(v1), block3

      block3:
          jump block3

      block4(v2: i32):
          return v2
      }
    `;
    const { text, stats } = cfg(input);
    // block1 -> block2 merge (block2 has one predecessor); block3 stays a self-loop; nothing is threaded.
    expect(text).toBe(ir`
      function %f(i32) -> i32 {
      block0(v0: i32):
          brif v0, block1(v0), block3

      block1(v1: i32):
          brif v1, block4(v1), block3

      block3:
          jump block3

      block4(v2: i32):
          return v2
      }
    `);
    expect(stats.cfg.threaded).toBe(0);
    expect(stats.cfg.merged).toBe(1);
  });

  it('threads a chain of forwarding blocks into one edge with the right arguments', () => {
    const { text } = cfg(ir`
      function %f(i32, i32) -> i32 {
      block0(v0: i32, v1: i32):
          brif v0, block1(v1, v0), block3(v0)

      block1(v2: i32, v3: i32):
          jump block2(v3, v2, v2)

      block2(v4: i32, v5: i32, v6: i32):
          jump block3(v5)

      block3(v7: i32):
          return v7
      }
    `);
    expect(text).toBe(ir`
      function %f(i32, i32) -> i32 {
      block0(v0: i32, v1: i32):
          brif v0, block3(v1), block3(v0)

      block3(v7: i32):
          return v7
      }
    `);
  });
});
