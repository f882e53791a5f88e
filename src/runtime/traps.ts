/**
 * Trap codes (src/ir/trapcodes.ts) → RuntimeError messages. The texts are the spec test suite's (and wasmtime's), so
 * `assert_trap` expectations compare directly.
 */
import { TrapCode, trapCodeName } from '../ir/trapcodes.js';
import { RuntimeError, type WasmFrame } from './errors.js';

const MESSAGES: string[] = [];
MESSAGES[TrapCode.unreachable] = 'unreachable';
MESSAGES[TrapCode.int_divz] = 'integer divide by zero';
MESSAGES[TrapCode.int_ovf] = 'integer overflow';
MESSAGES[TrapCode.bad_conversion] = 'invalid conversion to integer';
MESSAGES[TrapCode.heap_oob] = 'out of bounds memory access';
MESSAGES[TrapCode.table_oob] = 'out of bounds table access';
MESSAGES[TrapCode.indirect_null] = 'indirect call to null';
MESSAGES[TrapCode.bad_sig] = 'indirect call signature mismatch';
MESSAGES[TrapCode.stack_overflow] = 'call stack exhausted';
MESSAGES[TrapCode.out_of_fuel] = 'all fuel consumed';
MESSAGES[TrapCode.interrupted] = 'interrupted';
MESSAGES[TrapCode.heap_misaligned] = 'unaligned atomic';
MESSAGES[TrapCode.null_reference] = 'null reference';
// `host` sites report the trap the builtin recorded; this text shows only if a builtin failed without recording one.
MESSAGES[TrapCode.host] = 'host trap';

/** The RuntimeError message for a trap code. */
export function trapMessage(code: number): string {
  return MESSAGES[code] ?? `trap (${trapCodeName(code)})`;
}

/** A RuntimeError for `code`, carrying the code and backtrace. */
export function trapError(code: number, frames: readonly WasmFrame[] = []): RuntimeError {
  return new RuntimeError(trapMessage(code), code, frames);
}
