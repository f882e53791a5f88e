/**
 * Store: the unit of execution state, after wasmtime's: it owns the VMInterrupts block every VMContext of its
 * instances points to (stack limit, fuel counter, epoch deadline, pointer to the engine's epoch counter) and the fuel
 * accounting.
 *
 * Fuel (only with an engine created with { consumeFuel: true }; the methods throw otherwise):
 *   setFuel(n)      sets the fuel remaining to n
 *   addFuel(n)      adds n to the fuel remaining
 *   getFuel()       the fuel remaining (never negative)
 *   fuelConsumed()  fuel consumed over the store's whole life (not just since the last set)
 * n may be a non-negative Number (safe integer) or BigInt below 2^63; getFuel and fuelConsumed return BigInt, like
 * wasmtime's u64 (fuel counts can exceed 2^53). A new store has 0 fuel: its first metered call traps with "all fuel
 * consumed" until fuel is given. Costs are charged per straight-line run and checked at function entries and loop
 * headers, so a trap can leave the counter past zero: fuelConsumed() then exceeds the fuel given by the overdraft
 * (it counts exactly the operators that ran), getFuel() reports 0, and addFuel starts from 0.
 *
 * Epochs (engine created with { epochInterruption: true }): setEpochDeadline(ticks) makes wasm trap with
 * "interrupted" once the engine's epoch reaches current epoch + ticks. The default deadline is "never".
 */
import { nativeStackBounds } from '../../native/index.js';
import {
  VMINTERRUPTS_EPOCH_COUNTER, VMINTERRUPTS_EPOCH_DEADLINE, VMINTERRUPTS_FUEL, VMINTERRUPTS_RUNTIME_PRIVATE, VMINTERRUPTS_STACK_LIMIT,
} from '../frontend/vm-offsets.js';
import { Engine, STACK_RESERVE, getDefaultEngine } from './engine.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';

const VMINTERRUPTS_SIZE = VMINTERRUPTS_RUNTIME_PRIVATE + 32;
const MAX_FUEL = (1n << 63n) - 1n;
const NEVER = (1n << 64n) - 1n;

function toFuel(n: unknown, what: string): bigint {
  if (typeof n === 'bigint') {
    if (n >= 0n && n <= MAX_FUEL) return n;
  } else if (typeof n === 'number') {
    if (Number.isSafeInteger(n) && n >= 0) return BigInt(n);
  } else {
    throw new TypeError(`${what}: fuel must be a number or a bigint, got ${typeof n}`);
  }
  throw new RangeError(`${what}: fuel must be an integer in [0, 2^63 - 1], got ${String(n)}`);
}

export class Store {
  readonly engine: Engine;
  /** The VMInterrupts block (vm-offsets.ts). */
  readonly interrupts: NativeBlock;
  /** Fuel consumed before the last setFuel/addFuel. */
  private consumedBefore = 0n;
  /** Fuel remaining as of the last setFuel/addFuel: consumption since then is this minus what remains now. */
  private fuelAtLastSet = 0n;

  constructor(engine: Engine = getDefaultEngine()) {
    if (!(engine instanceof Engine)) throw new TypeError('Store: expected an Engine');
    this.engine = engine;
    this.interrupts = allocateBlock(VMINTERRUPTS_SIZE, 64);
    const { low, high } = nativeStackBounds();
    // Wasm may use maxWasmStack bytes below the top of the native stack (where JS first calls in), and never the last
    // STACK_RESERVE bytes, which koffi, builtins and nested JS calls need.
    const limit = Math.max(Number(low) + STACK_RESERVE, Number(high) - engine.maxWasmStack);
    this.interrupts.setU64(VMINTERRUPTS_STACK_LIMIT, limit);
    this.writeCounter(0n);
    this.interrupts.view.setBigUint64(this.interrupts.at + VMINTERRUPTS_EPOCH_DEADLINE, NEVER, true);
    this.interrupts.setU64(VMINTERRUPTS_EPOCH_COUNTER, engine.epochCounterAddress);
  }

  /** Address of the VMInterrupts block. */
  get interruptsAddress(): number {
    return this.interrupts.address;
  }

  /** The lowest native stack address wasm may reach (VMInterrupts.stackLimit). */
  get stackLimit(): number {
    return this.interrupts.getU64(VMINTERRUPTS_STACK_LIMIT);
  }

  private readCounter(): bigint {
    return this.interrupts.view.getBigInt64(this.interrupts.at + VMINTERRUPTS_FUEL, true);
  }

  private writeCounter(value: bigint): void {
    this.interrupts.view.setBigInt64(this.interrupts.at + VMINTERRUPTS_FUEL, value, true);
  }

  private checkFuelEnabled(what: string): void {
    if (!this.engine.consumeFuel) {
      throw new Error(`Store.${what}: fuel is not enabled; create the Engine with { consumeFuel: true }`);
    }
  }

  setFuel(n: number | bigint): void {
    this.checkFuelEnabled('setFuel');
    this.assign(toFuel(n, 'Store.setFuel'));
  }

  addFuel(n: number | bigint): void {
    this.checkFuelEnabled('addFuel');
    const total = this.remaining() + toFuel(n, 'Store.addFuel');
    if (total > MAX_FUEL) throw new RangeError(`Store.addFuel: fuel remaining would exceed 2^63 - 1`);
    this.assign(total);
  }

  getFuel(): bigint {
    this.checkFuelEnabled('getFuel');
    return this.remaining();
  }

  fuelConsumed(): bigint {
    this.checkFuelEnabled('fuelConsumed');
    return this.consumedBefore + this.fuelAtLastSet + this.readCounter();
  }

  setEpochDeadline(ticks: number | bigint): void {
    if (!this.engine.epochInterruption) {
      throw new Error('Store.setEpochDeadline: epoch interruption is not enabled; create the Engine with { epochInterruption: true }');
    }
    const delta = toFuel(ticks, 'Store.setEpochDeadline');
    const deadline = this.engine.epoch + delta;
    this.interrupts.view.setBigUint64(this.interrupts.at + VMINTERRUPTS_EPOCH_DEADLINE, deadline > NEVER ? NEVER : deadline, true);
  }

  /** The epoch at which wasm in this store traps. */
  get epochDeadline(): bigint {
    return this.interrupts.view.getBigUint64(this.interrupts.at + VMINTERRUPTS_EPOCH_DEADLINE, true);
  }

  /**
   * Adds `amount` to the counter (fuel a trap site reports as still pending when it traps, see TrapTable.fuel), so
   * counts stay exact at traps. Internal to the runtime.
   */
  chargePendingFuel(amount: number): void {
    if (amount !== 0 && this.engine.consumeFuel) this.writeCounter(this.readCounter() + BigInt(amount));
  }

  private remaining(): bigint {
    const counter = this.readCounter();
    return counter < 0n ? -counter : 0n;
  }

  private assign(fuel: bigint): void {
    // The counter is −(fuel remaining); what was consumed since the last assignment is fuelAtLastSet − remaining,
    // i.e. fuelAtLastSet + counter (the counter may be positive after an overdraft).
    this.consumedBefore += this.fuelAtLastSet + this.readCounter();
    this.fuelAtLastSet = fuel;
    this.writeCounter(-fuel);
  }
}

const defaultStores = new WeakMap<Engine, Store>();

/** The store used when none is given (default engine). */
export function getDefaultStore(): Store {
  return defaultStoreFor(getDefaultEngine());
}

/** The store instances of `engine`'s modules use when none is given: one per engine. */
export function defaultStoreFor(engine: Engine): Store {
  let store = defaultStores.get(engine);
  if (store === undefined) {
    store = new Store(engine);
    defaultStores.set(engine, store);
  }
  return store;
}
