/**
 * What JS callbacks (import dispatcher, builtins) leave for the JS side of the entry trampoline when they make
 * machine code trap: they cannot unwind machine-code frames themselves (koffi returns to the code that called them),
 * so they record the reason here and return a nonzero status; the code then reaches raise, the trampoline returns 1,
 * and trap-handling.ts picks the reason up. Between the record and the pickup no other JS runs, so one slot of each
 * kind is enough at any nesting depth.
 */

let hasException = false;
let exception: unknown = undefined;
let trapCode = 0;

/** A JS exception thrown by an imported function: rethrown unchanged to the JS caller of the wasm. */
export function setPendingHostException(error: unknown): void {
  hasException = true;
  exception = error;
}

/** A trap decided by a builtin (e.g. out of bounds memory.fill): reported instead of the trap site's own code. */
export function setPendingTrap(code: number): void {
  trapCode = code;
}

export interface PendingOutcome {
  readonly hasException: boolean;
  readonly exception: unknown;
  /** 0 when no builtin recorded a trap. */
  readonly trapCode: number;
}

/** Takes (and clears) what was recorded. */
export function takePending(): PendingOutcome {
  const outcome = { hasException, exception, trapCode };
  hasException = false;
  exception = undefined;
  trapCode = 0;
  return outcome;
}
