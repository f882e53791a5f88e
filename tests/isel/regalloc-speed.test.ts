import { expect, test } from 'vitest';
import { allocateRegisters } from '../../src/isel/regalloc.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';
import { randomFunction } from '../../src/isel/regalloc-random.js';
import type { RegAllocFunction } from '../../src/isel/regalloc-types.js';

const env = sysvMachineEnv();

/** CPU milliseconds of this process (wall time is meaningless on a shared machine). */
function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function throughput(fns: RegAllocFunction[], rounds: number): { opsPerSec: number; edits: number; insts: number } {
  let operands = 0;
  let insts = 0;
  for (const fn of fns) {
    operands += fn.operands.length;
    insts += fn.numInsts;
  }
  let best = Infinity;
  let edits = 0;
  for (let r = 0; r < rounds; r++) {
    edits = 0;
    const ms = cpuMs(() => {
      for (const fn of fns) edits += allocateRegisters(fn, env).numEdits;
    });
    best = Math.min(best, ms);
  }
  return { opsPerSec: (operands / best) * 1000, edits, insts };
}

test('allocation throughput (operands per CPU second)', () => {
  const realistic = { maxInsts: 120, locality: 0.93, callRate: 0.02, exoticRate: 0.2, burst: 4 };
  const small: RegAllocFunction[] = [];
  for (let s = 1; s <= 300; s++) small.push(randomFunction(s, realistic));
  const large = [randomFunction(7, { ...realistic, maxInsts: 30_000, maxDepth: 4 })];
  throughput(small, 1); // warm up the JIT
  const a = throughput(small, 2);
  const b = throughput(large, 1);
  console.log(
    `regalloc: ${(a.opsPerSec / 1e6).toFixed(2)} M operands/s on ${small.length} functions ` +
      `(${(a.edits / a.insts).toFixed(2)} edits/inst); ${(b.opsPerSec / 1e6).toFixed(2)} M operands/s on one ` +
      `function of ${large[0].numInsts} instructions / ${large[0].numBlocks} blocks`,
  );
  // A loose floor: catches accidental quadratic behaviour, not machine noise.
  expect(a.opsPerSec).toBeGreaterThan(100_000);
  expect(b.opsPerSec).toBeGreaterThan(50_000);
});
