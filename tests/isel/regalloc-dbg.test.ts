import { test } from 'vitest';
import { formatAllocation } from '../../src/isel/regalloc-testing.js';
import { randomFunction } from '../../src/isel/regalloc-random.js';
import { allocateRegisters } from '../../src/isel/regalloc.js';
import { checkAllocation } from '../../src/isel/regalloc-checker.js';
import { sysvMachineEnv } from '../../src/isel/regalloc-env.js';

test('dbg', () => {
  const env = sysvMachineEnv();
  const seed = Number(process.env.SEED ?? 1);
  const fn = randomFunction(seed, JSON.parse(process.env.OPTS ?? '{}'));
  const dummy = { allocs: new Int32Array(fn.operands.length), numEdits: 0, editPoint: new Int32Array(0), editFrom: new Int32Array(0), editTo: new Int32Array(0), editClass: new Uint8Array(0), editKind: new Uint8Array(0), numSpillSlots: 0, usedCalleeSaved: 0 };
  try {
    const out = allocateRegisters(fn, env);
    const errs = checkAllocation(fn, env, out);
    console.log(formatAllocation(fn, out).split('\n').slice(0, Number(process.env.LINES ?? 400)).join('\n'));
    console.log(JSON.stringify(errs.slice(0, 5), null, 0));
  } catch (e) {
    console.log(formatAllocation(fn, dummy).split('\n').slice(0, Number(process.env.LINES ?? 400)).join('\n'));
    console.log((e as Error).message);
  }
});
