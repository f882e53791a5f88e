/**
 * Fuel instrumentation: wasmtime's cost model, made exact at traps (see fuel.md in this folder for the rules).
 *
 * The store's counter lives at VMInterrupts.fuel (an i64 holding −(fuel remaining)); consuming adds to it and a
 * check sees "out of fuel" when it is ≥ 0. While translating, `pending` collects the cost of the straight-line run
 * being translated; a flush adds it to the counter. Two strategies, with identical counts:
 *
 * - `variable` (wasmtime's): the counter is an SSA variable, loaded at entry and after calls, stored before calls,
 *   returns and traps; a flush is one `iadd_imm`. Checks sit at the function entry and at every loop header.
 * - `memory`: no variable; every flush is `load` + `iadd_imm` + `store` of one address, which instruction selection
 *   turns into `add qword [interrupts+8], imm`. So that the add's flags can feed the check's branch, a loop's check
 *   is placed on each edge into its header (right after that edge's flush) instead of in the header itself — the
 *   counter cannot change between the two points, so the observable behaviour is the same.
 *
 * Trap sites never flush on the fast path: each gets a cold block that adds the site's own pending cost (which
 * includes the trapping operator) and then traps.
 */
import {
  I64,
  IntCC,
  MemFlag,
  NONE,
  TrapCode,
  type Block,
  type Value,
  type Variable,
} from '../ir/index.js';
import { Op, OP_COUNT } from './opcodes.js';
import type { FunctionTranslator } from './translate.js';
import { Builtin, VMINTERRUPTS_FUEL } from './vm-offsets.js';

/** Where the fuel counter lives in generated code. */
export const enum FuelStrategy {
  Off = 0,
  Variable = 1,
  Memory = 2,
}

/** Parses the option value ('off' | 'variable' | 'memory'). */
export function parseFuelStrategy(name: string | undefined): FuelStrategy {
  switch (name ?? 'off') {
    case 'off': return FuelStrategy.Off;
    case 'variable': return FuelStrategy.Variable;
    case 'memory': return FuelStrategy.Memory;
    default: throw new RangeError(`unknown fuel strategy '${name}' (expected 'off', 'variable' or 'memory')`);
  }
}

/**
 * Fuel cost of each operator, indexed by operator id: 0 for nop, drop, block, loop, unreachable, return, else and
 * end (they generate no code of their own, or only control flow), 1 for every other operator (as wasmtime).
 */
export const OPERATOR_FUEL_COST: Uint8Array = (() => {
  const cost = new Uint8Array(OP_COUNT).fill(1);
  for (const op of [Op.NOP, Op.DROP, Op.BLOCK, Op.LOOP, Op.UNREACHABLE, Op.RETURN, Op.ELSE, Op.END]) cost[op] = 0;
  return cost;
})();

/** Kinds of entries in a translator's fuel log (TranslateOptions.recordFuel). */
export const enum FuelLogKind {
  /** A flush: `amount` was added to the counter at the operator at `offset`. */
  Flush = 0,
  /** A trap site: if the operator at `offset` traps, its cold path adds `amount`. */
  TrapSite = 1,
}

/** Counter accesses: trusted, aligned, in the vmctx region, and not readonly (the counter changes). */
const COUNTER_FLAGS = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

export class FuelInstrumentation {
  strategy: FuelStrategy = FuelStrategy.Off;
  /** Cost of the operators translated since the last flush (in the current straight-line run). */
  pending = 0;
  /** The counter's SSA variable (variable strategy). */
  private counter: Variable = -1;
  /**
   * Memory strategy: the block in which the counter is known to have just been checked (the continuation of a check,
   * or a loop header, all of whose incoming edges check), and the `changes` count at that point. A loop entry from
   * there with nothing pending needs no check of its own (the counter is the one just checked).
   */
  private checkedBlock: Block = NONE;
  private checkedAt = 0;
  /** Counts flushes and calls: anything that may change the counter. */
  private changes = 0;
  /**
   * Variable strategy: the block where the variable and the counter in memory were last made equal (by a store or a
   * reload), and the `changes` count then. A sync from there with nothing flushed since needs no store.
   */
  private syncedBlock: Block = NONE;
  private syncedAt = 0;

  constructor(private readonly t: FunctionTranslator) {}

  /** Prepares for a new function (call before any instruction is built). */
  start(strategy: FuelStrategy): void {
    this.strategy = strategy;
    this.pending = 0;
    this.counter = -1;
    this.checkedBlock = NONE;
    this.changes = 0;
    this.syncedBlock = NONE;
  }

  get enabled(): boolean {
    return this.strategy !== FuelStrategy.Off;
  }

  /** True when loop checks go on the edges into a header (memory strategy) rather than in the header. */
  get checksOnEdges(): boolean {
    return this.strategy === FuelStrategy.Memory;
  }

  /** At the function entry, before the first operator: load the counter (variable strategy) and check it. */
  functionEntry(): void {
    if (this.strategy === FuelStrategy.Off) return;
    if (this.strategy === FuelStrategy.Variable) {
      this.counter = this.t.fb.declareVar(I64);
      this.t.writeVar(this.counter, this.loadCounter());
      this.markSynced(this.t.fb.currentBlock);
    }
    this.checkHere();
  }

  /**
   * Adds the pending cost to the counter. Returns the counter's new value when something was added (so an edge
   * check can test it without reloading), else NONE.
   */
  flush(): Value {
    const p = this.pending;
    if (p === 0 || this.strategy === FuelStrategy.Off) {
      this.pending = 0;
      return NONE;
    }
    this.pending = 0;
    this.changes++;
    this.t.logFuel(FuelLogKind.Flush, p);
    const ins = this.t.ins;
    if (this.strategy === FuelStrategy.Variable) {
      const v = ins.iaddImm(this.t.readVar(this.counter), p);
      this.t.writeVar(this.counter, v);
      return v;
    }
    const v = ins.iaddImm(this.loadCounter(), p);
    this.storeCounter(v);
    return v;
  }

  /** Before control leaves the function's code (call, return, trap): the counter in memory must be current. */
  sync(): void {
    if (this.strategy !== FuelStrategy.Variable) return;
    const block = this.t.fb.currentBlock;
    if (this.syncedBlock === block && this.syncedAt === this.changes) return;
    this.storeCounter(this.t.readVar(this.counter));
    this.markSynced(block);
  }

  /** After a call (the callee, or a builtin, may have changed the counter). */
  reload(): void {
    this.changes++;
    if (this.strategy !== FuelStrategy.Variable) return;
    this.t.writeVar(this.counter, this.loadCounter());
    this.markSynced(this.t.fb.currentBlock);
  }

  private markSynced(block: Block): void {
    this.syncedBlock = block;
    this.syncedAt = this.changes;
  }

  /** Flush, then sync: what a call or a return needs. */
  leave(): void {
    this.flush();
    this.sync();
  }

  /**
   * A check where the translator stands (function entry; loop headers in the variable strategy): when the counter
   * is ≥ 0, call the out-of-fuel builtin on a cold path. Leaves the translator in the continuation block.
   */
  checkHere(): void {
    if (this.strategy === FuelStrategy.Off) return;
    const fb = this.t.fb;
    const value = this.strategy === FuelStrategy.Variable ? this.t.readVar(this.counter) : this.loadCounter();
    const exhausted = this.t.ins.icmpImm(IntCC.sge, value, 0);
    const cold = fb.createBlock();
    const cont = fb.createBlock();
    fb.func.dfg.setCold(cold, true);
    this.t.ins.brif(exhausted, cold, [], cont, []);
    fb.sealBlock(cold);
    fb.switchToBlock(cold);
    this.outOfFuelPath();
    this.t.ins.jump(cont);
    fb.sealBlock(cont);
    fb.switchToBlock(cont);
    this.afterColdPath();
    this.markChecked(cont);
  }

  /** After a cold path that reloaded the counter rejoined: the two paths bring different counter values. */
  afterColdPath(): void {
    if (this.strategy === FuelStrategy.Variable) this.t.forgetVar(this.counter);
  }

  /** The counter variable's value here (variable strategy), else NONE. */
  counterValue(): Value {
    return this.strategy === FuelStrategy.Variable ? this.t.readVar(this.counter) : NONE;
  }

  /** Memory strategy: the counter has just been checked on every path into `block` (see `checkedBlock`). */
  markChecked(block: Block): void {
    this.checkedBlock = block;
    this.checkedAt = this.changes;
  }

  /**
   * At a loop header, once the translator stands in it: the variable strategy checks here; in the memory strategy
   * every edge into the header has checked, so the header counts as just checked.
   */
  loopHeader(header: Block): void {
    if (this.strategy === FuelStrategy.Variable) this.checkHere();
    else if (this.strategy === FuelStrategy.Memory) this.markChecked(header);
  }

  /**
   * Ends the current block with a branch into loop header `header`, passing `count` values of the operand stack
   * from `start`. In the memory strategy the loop's check goes here, testing `flushed` (the value the preceding
   * flush produced) or, when nothing was flushed, a fresh load of the counter.
   */
  jumpToLoop(header: Block, start: number, count: number, flushed: Value): void {
    const t = this.t;
    if (this.strategy !== FuelStrategy.Memory) {
      t.ins.jump(header, t.stack, start, count);
      return;
    }
    const fb = t.fb;
    if (flushed === NONE && this.checkedBlock === fb.currentBlock && this.checkedAt === this.changes) {
      t.ins.jump(header, t.stack, start, count);
      return;
    }
    const value = flushed !== NONE ? flushed : this.loadCounter();
    const exhausted = t.ins.icmpImm(IntCC.sge, value, 0);
    const cold = fb.createBlock();
    fb.func.dfg.setCold(cold, true);
    t.ins.brif(exhausted, cold, [], header, t.stack.subarray(start, start + count));
    fb.sealBlock(cold);
    fb.switchToBlock(cold);
    this.outOfFuelPath();
    t.ins.jump(header, t.stack, start, count);
  }

  /**
   * In a cold trap block: make the counter exact, counting `pending` more, before the trap. `atSite` is the
   * counter's value at the trap site (variable strategy; `counterValue()` there).
   */
  trapPath(pending: number, atSite: Value): void {
    const ins = this.t.ins;
    if (this.strategy === FuelStrategy.Variable) {
      let v = atSite;
      if (pending > 0) v = ins.iaddImm(v, pending);
      this.storeCounter(v);
    } else if (this.strategy === FuelStrategy.Memory && pending > 0) {
      this.storeCounter(ins.iaddImm(this.loadCounter(), pending));
    }
  }

  /** The out-of-fuel builtin: 0 = continue (fuel was added), else trap. The counter is synced around it. */
  private outOfFuelPath(): void {
    const t = this.t;
    this.sync();
    const status = t.callBuiltin(Builtin.OutOfFuel, EMPTY);
    t.ins.trapnz(status, TrapCode.out_of_fuel);
    this.reload();
  }

  private loadCounter(): Value {
    return this.t.ins.load(I64, COUNTER_FLAGS, this.t.interruptsPointer(), VMINTERRUPTS_FUEL);
  }

  private storeCounter(v: Value): void {
    this.t.ins.store(COUNTER_FLAGS, v, this.t.interruptsPointer(), VMINTERRUPTS_FUEL);
  }
}

const EMPTY: readonly Value[] = [];
