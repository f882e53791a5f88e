import { expect, test } from 'vitest';
import { allocateRegisters } from '../../src/isel/regalloc.js';
import { checkAllocation } from '../../src/isel/regalloc-checker.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';
import { randomFunction } from '../../src/isel/regalloc-random.js';
import type { MachineEnv } from '../../src/isel/regalloc-types.js';

// Opt-in long fuzzing: REGALLOC_FUZZ=<count> [REGALLOC_FUZZ_SEED=<first seed>] [REGALLOC_FUZZ_OPTS='<json options>']
// [REGALLOC_FUZZ_STARVED=1] npx vitest run tests/isel/regalloc-fuzz-long.test.ts
const count = Number(process.env.REGALLOC_FUZZ ?? 0);
const full = sysvMachineEnv();
const starved: MachineEnv = {
  allocatable: [Int32Array.of(0, 1, 2, 6, 7, 3), Int32Array.of(16, 17, 18, 19, 20)],
  calleeSaved: full.calleeSaved,
  scratch: full.scratch,
};

test.skipIf(count === 0)('long random fuzzing against the checker', () => {
  const first = Number(process.env.REGALLOC_FUZZ_SEED ?? 1_000_000);
  const options = JSON.parse(process.env.REGALLOC_FUZZ_OPTS ?? '{}');
  const env = process.env.REGALLOC_FUZZ_STARVED ? starved : full;
  const failures: string[] = [];
  let rejected = 0;
  for (let seed = first; seed < first + count && failures.length < 5; seed++) {
    const fn = randomFunction(seed, options);
    try {
      const errors = checkAllocation(fn, env, allocateRegisters(fn, env), { maxErrors: 1 });
      if (errors.length > 0) failures.push(`seed ${seed}: ${errors[0].message}`);
    } catch (e) {
      // Infeasible without splitting an edge (the generator cannot tell): a clean rejection, not a failure.
      if (/split the edge/.test((e as Error).message)) rejected++;
      else failures.push(`seed ${seed}: ${(e as Error).message}`);
    }
  }
  console.log(`${count} functions, ${rejected} rejected as infeasible without splitting an edge`);
  expect(failures).toEqual([]);
});
