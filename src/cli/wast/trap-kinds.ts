/**
 * Trap kinds: what an `assert_trap` text means, and what an engine's RuntimeError message says.
 *
 * Engines word traps differently (V8: "divide by zero", "memory access out of bounds"; kindling and wasmtime use the
 * spec interpreter's texts), so the runner compares kinds, not strings. Policy (see runner.ts): any RuntimeError
 * satisfies an assert_trap; a kind mismatch or an unrecognised message is reported as a note, never a failure.
 * Kind names follow kindling's trap codes (src/ir/trapcodes.ts).
 */

export type TrapKind =
  | 'unreachable'
  | 'int_divz'
  | 'int_ovf'
  | 'bad_conversion'
  | 'heap_oob'
  | 'table_oob'
  | 'indirect_null'
  | 'bad_sig'
  | 'stack_overflow';

/** The spec interpreter's texts (prefixes: "uninitialized element 2" names which one). */
const SPEC_TEXTS: readonly (readonly [string, TrapKind])[] = [
  ['unreachable', 'unreachable'],
  ['integer divide by zero', 'int_divz'],
  ['integer overflow', 'int_ovf'],
  ['invalid conversion to integer', 'bad_conversion'],
  ['out of bounds memory access', 'heap_oob'],
  ['out of bounds table access', 'table_oob'],
  // call_indirect with an index past the table's end.
  ['undefined element', 'table_oob'],
  // call_indirect through a null entry.
  ['uninitialized element', 'indirect_null'],
  ['indirect call type mismatch', 'bad_sig'],
  ['call stack exhausted', 'stack_overflow'],
];

/** The kind an assert_trap / assert_exhaustion / assert_uninstantiable text names, or null if unknown. */
export function trapKindOfSpecText(text: string): TrapKind | null {
  for (const [prefix, kind] of SPEC_TEXTS) if (text.startsWith(prefix)) return kind;
  return null;
}

/**
 * Engine messages → the kinds they may stand for. V8 merges some traps in one message (a null entry and a signature
 * mismatch both read "null function or function signature mismatch"), so a message may stand for several kinds.
 */
const ENGINE_MESSAGES: readonly (readonly [RegExp, readonly TrapKind[]])[] = [
  [/unreachable/i, ['unreachable']],
  [/divide by zero|remainder by zero|division by zero/i, ['int_divz']],
  [/integer overflow|divide result unrepresentable/i, ['int_ovf']],
  // V8 words NaN and out-of-range truncation alike; the spec calls the second "integer overflow".
  [/float unrepresentable in integer range/i, ['bad_conversion', 'int_ovf']],
  [/invalid conversion to integer|bad conversion/i, ['bad_conversion']],
  [/null function or function signature mismatch/i, ['indirect_null', 'bad_sig']],
  [/memory access out of bounds|out of bounds memory access|data segment .*out of bounds/i, ['heap_oob']],
  [
    /table index is out of bounds|out of bounds table access|table access .*out of bounds|element segment .*out of bounds|table initializer is out of bounds|undefined element|invalid index into function table/i,
    ['table_oob'],
  ],
  [/uninitialized element|indirect call to null/i, ['indirect_null']],
  [/signature mismatch|indirect call type mismatch|function signature/i, ['bad_sig']],
  [/call stack exhausted|maximum call stack size exceeded|stack overflow/i, ['stack_overflow']],
];

const NO_KINDS: readonly TrapKind[] = [];

/** The kinds an engine's trap message may stand for; empty when the message is not recognised. */
export function trapKindsOfMessage(message: string): readonly TrapKind[] {
  for (const [pattern, kinds] of ENGINE_MESSAGES) if (pattern.test(message)) return kinds;
  return NO_KINDS;
}
