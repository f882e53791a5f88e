// Messages between the harness (parent) and an engine's child process, over Node's IPC channel (JSON).

import type { ResultType } from './manifest.js';

/** Parent → child. The child is started with its engine name as argv[2]. */
export type ParentMessage =
  | { readonly type: 'setup'; readonly wasmBase64: string; readonly entry: string; readonly result: ResultType }
  | { readonly type: 'iterate'; readonly index: number; readonly n: number }
  | { readonly type: 'exit' };

export type ChildPhase = 'startup' | 'setup' | 'compile' | 'instantiate' | 'run' | 'fuel' | 'check';

/** One compile + instantiate + run, timed in milliseconds. */
export interface SampleMessage {
  readonly type: 'sample';
  readonly index: number;
  readonly compileMs: number;
  readonly instantiateMs: number;
  readonly runMs: number;
  /** CPU time of the child process (all its threads) during the run: on a shared machine, far less than runMs means
   * the run waited for a core. */
  readonly runCpuMs: number;
  /** The entry's result, formatted like the manifest's checksums. */
  readonly checksum: string;
  /** Fuel consumed by the run (decimal string: exact beyond 2^53), or null for engines without fuel. */
  readonly fuel: string | null;
  /** From Engine.check on the first iteration: what is wrong with the engine's setup, if anything. */
  readonly checkProblem?: string;
}

/** Child → parent. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly engine: string; readonly node: string; readonly v8: string; readonly execArgv: readonly string[] }
  | { readonly type: 'setup-done' }
  | SampleMessage
  | { readonly type: 'error'; readonly phase: ChildPhase; readonly message: string };
