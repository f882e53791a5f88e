/**
 * Engine: compilation and execution settings shared by the stores and modules made with it (wasmtime's Config +
 * Engine), plus the epoch counter that epoch interruption compares deadlines against.
 *
 *   new Engine({ consumeFuel, fuelStrategy, epochInterruption, maxWasmStack, optLevel })
 *
 * - consumeFuel (false): generated code meters fuel (ARCHITECTURE.md "Fuel"); stores then start with 0 fuel.
 * - fuelStrategy ('memory'): 'memory' (counter read-modify-written in VMInterrupts at each flush) or 'variable'
 *   (wasmtime's: counter in an SSA variable, spilled around calls). Same counts either way.
 * - epochInterruption (false): generated code checks the engine's epoch against the store's deadline.
 * - maxWasmStack (1 MiB): bytes of native stack wasm may use below the point where JS first calls in.
 * - optLevel (2): 0 = no IR optimisation, 1 = cheap passes, 2 = all passes.
 */
import { nativeStackSize } from '../../native/index.js';
import type { FuncType } from '../frontend/module-info.js';
import { allocateBlock, type NativeBlock } from './native-blocks.js';
import { sigIdOf } from './signatures.js';

export type FuelStrategy = 'variable' | 'memory';
export type OptLevel = 0 | 1 | 2;

export interface EngineOptions {
  consumeFuel?: boolean;
  fuelStrategy?: FuelStrategy;
  epochInterruption?: boolean;
  maxWasmStack?: number;
  optLevel?: OptLevel;
}

export const DEFAULT_MAX_WASM_STACK = 1024 * 1024;
/** Native stack kept free below the wasm stack limit for koffi's frames, builtins, JS callbacks and raise. */
export const STACK_RESERVE = 128 * 1024;

function optionError(message: string): TypeError {
  return new TypeError(`Engine: ${message}`);
}

export class Engine {
  readonly consumeFuel: boolean;
  readonly fuelStrategy: FuelStrategy;
  readonly epochInterruption: boolean;
  readonly maxWasmStack: number;
  readonly optLevel: OptLevel;
  /** The epoch counter (u64) in native memory; VMInterrupts.epochCounter points here. */
  private readonly epochCell: NativeBlock;

  constructor(options: EngineOptions = {}) {
    if (options === null || typeof options !== 'object') throw optionError('options must be an object');
    const { consumeFuel = false, fuelStrategy = 'memory', epochInterruption = false, maxWasmStack = DEFAULT_MAX_WASM_STACK, optLevel = 2 } = options;
    if (typeof consumeFuel !== 'boolean') throw optionError(`consumeFuel must be a boolean, got ${String(consumeFuel)}`);
    if (fuelStrategy !== 'variable' && fuelStrategy !== 'memory') {
      throw optionError(`fuelStrategy must be 'variable' or 'memory', got ${String(fuelStrategy)}`);
    }
    if (typeof epochInterruption !== 'boolean') throw optionError(`epochInterruption must be a boolean, got ${String(epochInterruption)}`);
    if (optLevel !== 0 && optLevel !== 1 && optLevel !== 2) throw optionError(`optLevel must be 0, 1 or 2, got ${String(optLevel)}`);
    const available = nativeStackSize() - STACK_RESERVE;
    if (!Number.isSafeInteger(maxWasmStack) || maxWasmStack < 64 * 1024 || maxWasmStack > available) {
      throw new RangeError(
        `Engine: maxWasmStack must be an integer in [65536, ${available}] bytes (the native stack is ${nativeStackSize()} bytes; ` +
          `see configureNativeStack), got ${String(maxWasmStack)}`,
      );
    }
    this.consumeFuel = consumeFuel;
    this.fuelStrategy = fuelStrategy;
    this.epochInterruption = epochInterruption;
    this.maxWasmStack = maxWasmStack;
    this.optLevel = optLevel;
    this.epochCell = allocateBlock(8, 8);
  }

  /** Address of the epoch counter. */
  get epochCounterAddress(): number {
    return this.epochCell.address;
  }

  /** The current epoch. */
  get epoch(): bigint {
    return this.epochCell.view.getBigUint64(this.epochCell.at, true);
  }

  /** Advances the epoch by one; wasm in stores whose deadline is reached traps at its next epoch check. */
  incrementEpoch(): void {
    const { view, at } = this.epochCell;
    view.setBigUint64(at, view.getBigUint64(at, true) + 1n, true);
  }

  /** The canonical signature id of a function type (process-wide registry, see signatures.ts). */
  signatureId(type: FuncType): number {
    return sigIdOf(type);
  }
}

let defaultEngine: Engine | null = null;

/** The engine used when none is given: no fuel, no epochs. */
export function getDefaultEngine(): Engine {
  defaultEngine ??= new Engine();
  return defaultEngine;
}
