import { describe, expect, test } from 'vitest';
import { allocateRegisters, RegAllocError } from '../../src/isel/regalloc.js';
import { checkAllocation } from '../../src/isel/regalloc-checker.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';
import { randomFunction, type RandomFunctionOptions } from '../../src/isel/regalloc-random.js';
import { formatAllocation } from '../../src/isel/regalloc-testing.js';
import {
  allocIndex,
  allocIsReg,
  allocIsStack,
  EDIT_REMAT,
  type MachineEnv,
  type RegAllocFunction,
} from '../../src/isel/regalloc-types.js';

const full = sysvMachineEnv();
/** Few registers: rax rcx rdx rsi rdi rbx and xmm0–xmm4 (fixed operands may still name any register). */
const starved: MachineEnv = {
  allocatable: [Int32Array.of(0, 1, 2, 6, 7, 3), Int32Array.of(16, 17, 18, 19, 20)],
  calleeSaved: full.calleeSaved,
  scratch: full.scratch,
};

interface Coverage {
  functions: number;
  /** Inputs the allocator rejected as infeasible without splitting an edge (a jump reading an operand). */
  rejected: number;
  operands: number;
  edits: number;
  withSpills: number;
  remats: number;
  cycleBreaks: number;
  stackToStack: number;
  calleeSaved: number;
}

function run(env: MachineEnv, seeds: number, firstSeed: number, options: Partial<RandomFunctionOptions>): Coverage {
  const cov: Coverage = { functions: 0, rejected: 0, operands: 0, edits: 0, withSpills: 0, remats: 0, cycleBreaks: 0, stackToStack: 0, calleeSaved: 0 };
  const scratch = new Set<number>([env.scratch[0], env.scratch[1]]);
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const fn: RegAllocFunction = randomFunction(seed, options);
    let out;
    try {
      out = allocateRegisters(fn, env);
    } catch (e) {
      if (!(e instanceof RegAllocError) || !/split the edge/.test(e.message)) throw e;
      cov.rejected++;
      continue;
    }
    const errors = checkAllocation(fn, env, out, { maxErrors: 3 });
    if (errors.length > 0) {
      throw new Error(`seed ${seed} ${JSON.stringify(options)}: ${JSON.stringify(errors)}\n${formatAllocation(fn, out)}`);
    }
    cov.functions++;
    cov.operands += fn.operands.length;
    cov.edits += out.numEdits;
    if (out.numSpillSlots > 0) cov.withSpills++;
    if (out.usedCalleeSaved !== 0) cov.calleeSaved++;
    for (let k = 0; k < out.numEdits; k++) {
      if (out.editKind[k] === EDIT_REMAT) {
        cov.remats++;
        continue;
      }
      const toScratch = allocIsReg(out.editTo[k]) && scratch.has(allocIndex(out.editTo[k]));
      if (!toScratch) continue;
      if (allocIsStack(out.editFrom[k]) && k + 1 < out.numEdits && allocIsStack(out.editTo[k + 1])) cov.stackToStack++;
      else cov.cycleBreaks++;
    }
  }
  return cov;
}

describe('random functions: every allocation passes the checker', () => {
  test('thousands of small functions', () => {
    const cov = run(full, 2000, 1, { maxInsts: 40, maxDepth: 3 });
    expect(cov.functions + cov.rejected).toBe(2000);
    expect(cov.rejected).toBeLessThan(40);
    expect(cov.withSpills).toBeGreaterThan(100);
    expect(cov.remats).toBeGreaterThan(50);
    expect(cov.cycleBreaks).toBeGreaterThan(20);
    expect(cov.calleeSaved).toBeGreaterThan(500);
  });

  test('larger functions with deep nesting and high pressure', () => {
    const cov = run(full, 150, 10_000, { maxInsts: 250, maxDepth: 4, locality: 0.3, burst: 20 });
    expect(cov.rejected).toBeLessThan(5);
    expect(cov.withSpills).toBeGreaterThan(100);
    expect(cov.stackToStack).toBeGreaterThan(0);
  });

  test('realistic mix: local uses, few exotic constraints', () => {
    const cov = run(full, 300, 20_000, { maxInsts: 120, locality: 0.93, callRate: 0.02, exoticRate: 0.2, burst: 4 });
    expect(cov.functions + cov.rejected).toBe(300);
    expect(cov.rejected).toBeLessThan(6);
  });

  test('a register-starved machine', () => {
    const cov = run(starved, 300, 30_000, { maxInsts: 100, jumpOperandRate: 0 });
    expect(cov.withSpills).toBeGreaterThan(250);
    expect(cov.stackToStack).toBeGreaterThan(0);
    expect(cov.cycleBreaks).toBeGreaterThan(0);
  });
});
