/**
 * Epoch interruption (after wasmtime's `epoch_interruption`): at the function entry and at every loop header, the
 * engine's epoch counter is compared with the store's deadline; once the counter has reached it, a cold path calls
 * `Builtin.EpochDeadline`, which returns 0 to continue (e.g. the deadline was extended after a yield) or a nonzero
 * status, which traps with `interrupted`.
 *
 * Unlike wasmtime, the deadline is not cached in a variable: it is loaded at each check (it lives next to the fuel
 * counter, one cache line that generated code touches anyway), which keeps the check free of loop-carried state.
 */
import { I64, IntCC, MemFlag, TrapCode, type Value } from '../ir/index.js';
import type { FunctionTranslator } from './translate.js';
import { Builtin, VMINTERRUPTS_EPOCH_DEADLINE } from './vm-offsets.js';

/** The counter and the deadline change while wasm runs: trusted accesses, but not readonly. */
const EPOCH_FLAGS = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

const EMPTY: readonly Value[] = [];

/** Emits an epoch check where the translator stands; leaves it in the continuation block. */
export function emitEpochCheck(t: FunctionTranslator): void {
  const { fb, ins } = t;
  const now = ins.load(I64, EPOCH_FLAGS, t.epochCounterPointer(), 0);
  const deadline = ins.load(I64, EPOCH_FLAGS, t.interruptsPointer(), VMINTERRUPTS_EPOCH_DEADLINE);
  const reached = ins.icmp(IntCC.uge, now, deadline);
  const cold = fb.createBlock();
  const cont = fb.createBlock();
  fb.func.dfg.setCold(cold, true);
  ins.brif(reached, cold, [], cont, []);
  fb.sealBlock(cold);
  fb.switchToBlock(cold);
  // The builtin may run host code that reads or refills fuel: the counter must be current around it.
  t.fuel.sync();
  const status = t.callBuiltin(Builtin.EpochDeadline, EMPTY);
  ins.trapnz(status, TrapCode.interrupted);
  t.fuel.reload();
  ins.jump(cont);
  fb.sealBlock(cont);
  fb.switchToBlock(cont);
  t.fuel.afterColdPath();
}
