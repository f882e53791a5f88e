import { test, expect } from 'vitest';
import { formatAllocation } from '../../src/isel/regalloc-testing.js';
import { randomFunction } from '../../src/isel/regalloc-random.js';
import { allocateRegisters } from '../../src/isel/regalloc.js';
import { checkAllocation } from '../../src/isel/regalloc-checker.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';
import type { MachineEnv } from '../../src/isel/regalloc-types.js';

const full = sysvMachineEnv();
const tiny: MachineEnv = { allocatable: [Int32Array.of(0, 1, 2, 6, 7, 3), Int32Array.of(16, 17, 18)], calleeSaved: full.calleeSaved, scratch: full.scratch };
test('random', () => {
  const env = process.env.TINY ? tiny : full;
  let fails = 0;
  let firstMsg = '';
  const N = Number(process.env.N ?? 300);
  const S = Number(process.env.S ?? 1);
  const opts = JSON.parse(process.env.OPTS ?? '{}');
  let ops = 0, edits = 0, slots = 0, t = 0, tc = 0;
  for (let seed = S; seed < S + N; seed++) {
    const fn = randomFunction(seed, opts);
    ops += fn.operands.length;
    let out;
    const t0 = performance.now();
    try { out = allocateRegisters(fn, env); } catch (e) {
      fails++; if (!firstMsg) firstMsg = `seed ${seed}: ${(e as Error).stack}`; continue;
    }
    t += performance.now() - t0;
    edits += out.numEdits; slots += out.numSpillSlots;
    const t1 = performance.now();
    const errs = checkAllocation(fn, env, out);
    tc += performance.now() - t1;
    if (errs.length) { fails++; if (!firstMsg) firstMsg = `seed ${seed}: ${JSON.stringify(errs.slice(0,3))}\n${formatAllocation(fn, out)}`; }
  }
  console.log(`ops ${ops} edits ${edits} slots ${slots} alloc ${t.toFixed(1)}ms (${(ops/t/1000).toFixed(2)}M ops/s) check ${tc.toFixed(1)}ms fails ${fails}`);
  if (firstMsg) console.log(firstMsg.slice(0, 3000));
  expect(fails).toBe(0);
});
