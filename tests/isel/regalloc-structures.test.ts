import { describe, expect, test } from 'vitest';
import { InactiveSet, sortByStamp } from '../../src/isel/regalloc-inactive-set.js';
import { IntVec } from '../../src/isel/regalloc-int-vec.js';
import { IntervalStore } from '../../src/isel/regalloc-intervals.js';
import { OutputArena } from '../../src/isel/regalloc-output-arena.js';
import { ScratchPool } from '../../src/isel/regalloc-pool.js';

/** An IntervalStore with `n` one-range intervals (the set only uses their inactive stamps). */
function store(n: number, pool: ScratchPool): IntervalStore {
  const rs = new Int32Array(n);
  const re = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    rs[i] = 4 * i;
    re[i] = 4 * i + 4;
  }
  const iv = new IntervalStore(rs, re, 4, pool); // small capacity: creating 40 intervals grows it
  for (let i = 0; i < n; i++) iv.create(i, rs[i]!, re[i]!, i, i + 1, 0);
  return iv;
}

const list = (v: IntVec): number[] => Array.from(v.data.subarray(0, v.length));

describe('InactiveSet', () => {
  test('takeDue returns the intervals resuming by pos in insertion order, keeping re-added ones in place', () => {
    const pool = new ScratchPool();
    const iv = store(40, pool);
    const set = new InactiveSet(iv, pool, 200, new IntVec());
    // Insertion order 7, 3, 9, 1, 5 with resume positions not in that order.
    set.add(7, 50);
    set.add(3, 20);
    set.add(9, 20);
    set.add(1, 90);
    set.add(5, 10);
    const due = new IntVec();
    const stamps = new IntVec();
    set.takeDue(20, due, stamps);
    expect(list(due)).toEqual([3, 9, 5]);
    expect(list(stamps)).toEqual([1, 2, 4]);
    expect(iv.inactiveStamp[3]).toBe(-1);
    // Put 9 back with its old stamp, add a newcomer: 9 still comes before 7's later siblings, after 7.
    set.readd(9, 60, stamps.data[1]!);
    set.add(2, 60);
    set.takeDue(100, due, stamps);
    expect(list(due)).toEqual([7, 9, 1, 2]);
    set.takeDue(1000, due, stamps);
    expect(due.length).toBe(0);
  });

  test('collectBefore finds exactly the live intervals resuming before the limit; removal is honoured', () => {
    const pool = new ScratchPool();
    const iv = store(40, pool);
    const set = new InactiveSet(iv, pool, 200, new IntVec());
    for (let i = 0; i < 40; i++) set.add(i, 1000 - 10 * i); // grows the heap past its first capacity
    set.remove(35);
    set.remove(35); // twice is harmless
    const near = new IntVec();
    set.collectBefore(700, near);
    const got = list(near).sort((a, b) => a - b);
    const want: number[] = [];
    for (let i = 0; i < 40; i++) if (1000 - 10 * i < 700 && i !== 35) want.push(i);
    expect(got).toEqual(want);
    sortByStamp(near, iv.inactiveStamp);
    expect(list(near)).toEqual(want); // stamps follow insertion order 0..39
    const due = new IntVec();
    set.takeDue(1000, due, new IntVec());
    expect(due.length).toBe(39);
    expect(list(due)).not.toContain(35);
  });
});

describe('OutputArena', () => {
  test('hands out zeroed, disjoint, aligned views, and a dedicated array when too big to share', () => {
    const arena = new OutputArena();
    const a = arena.int32(3);
    const b = arena.uint8(5);
    const c = arena.int32(4);
    expect(Array.from(a)).toEqual([0, 0, 0]);
    expect(Array.from(b)).toEqual([0, 0, 0, 0, 0]);
    a.fill(-1);
    b.fill(255);
    c.fill(7);
    expect(Array.from(a)).toEqual([-1, -1, -1]);
    expect(Array.from(b)).toEqual([255, 255, 255, 255, 255]);
    expect(Array.from(c)).toEqual([7, 7, 7, 7]);
    expect(c.byteOffset % 8).toBe(0);
    expect(arena.int32(0).length).toBe(0);
    const big = arena.int32(1 << 18);
    expect(big.length).toBe(1 << 18);
    expect(big.byteOffset).toBe(0);
    // Many requests move on to fresh chunks; earlier views keep their contents.
    for (let k = 0; k < 100; k++) arena.int32(20000).fill(k);
    expect(Array.from(c)).toEqual([7, 7, 7, 7]);
  });
});
