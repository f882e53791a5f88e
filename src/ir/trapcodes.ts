/**
 * Trap codes carried by `trap`, `trapz`, `trapnz` (and implied by trapping opcodes: `udiv` -> int_divz, a heap
 * `load` -> heap_oob, ...). The runtime maps them to `RuntimeError` messages; the numbers are what the trap stubs
 * return to the entry trampoline, so 0 is kept free for "no trap".
 */
export const TrapCode = {
  /** wasm `unreachable`. */
  unreachable: 1,
  /** Integer division or remainder by zero. */
  int_divz: 2,
  /** Integer overflow (`sdiv` of INT_MIN by -1). */
  int_ovf: 3,
  /** Float to int conversion of NaN or an out-of-range value. */
  bad_conversion: 4,
  /** Linear-memory access out of bounds. */
  heap_oob: 5,
  /** Table access (or segment copy) out of bounds, incl. call_indirect past the table's end. */
  table_oob: 6,
  /** call_indirect through a null table element. */
  indirect_null: 7,
  /** call_indirect whose callee has another signature. */
  bad_sig: 8,
  /** Wasm stack limit reached. */
  stack_overflow: 9,
  /** Fuel exhausted in a synchronous call. */
  out_of_fuel: 10,
  /** Epoch deadline / interrupt request. */
  interrupted: 11,
  /** Misaligned atomic access (reserved for threads). */
  heap_misaligned: 12,
  /** Null reference dereference (reserved for typed references). */
  null_reference: 13,
  /**
   * A runtime builtin reported failure through its status result (`trapnz status, host`); the runtime recorded the
   * real trap (or a host exception) before returning, and reports that one.
   */
  host: 14,
} as const;
export type TrapCode = number;

const TRAP_NAMES: string[] = [];
for (const [name, code] of Object.entries(TrapCode)) TRAP_NAMES[code] = name;

export function trapCodeName(code: TrapCode): string {
  return TRAP_NAMES[code] ?? `trap?${code}`;
}

/** Returns the code for a name, or -1. */
export function parseTrapCode(name: string): TrapCode {
  const code = (TrapCode as Record<string, number>)[name];
  return code === undefined ? -1 : code;
}

export function isValidTrapCode(code: number): boolean {
  return TRAP_NAMES[code] !== undefined;
}
