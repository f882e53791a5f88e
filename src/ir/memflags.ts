/**
 * Flags of a load or store, one small integer (bit set).
 *
 * - `notrap`: the access is known to be in bounds (VMContext fields, an explicitly bounds-checked heap access).
 *   Without it the access may trap with `heap_oob` (guard-page heap mode), so it is never removed or hoisted.
 * - `aligned`: the address is a multiple of the access width.
 * - `readonly`: the memory never changes while the function runs (e.g. a VMContext's heap base of a
 *   non-growable memory, a table's base); loads may be merged or hoisted freely.
 * - One alias region at most: `heap` (linear memory), `table` (table storage), `vmctx` (VMContext and
 *   the structures it points to). Accesses to different regions never alias; no region = may alias anything.
 */
export type MemFlags = number;

export const MemFlag = {
  notrap: 1,
  aligned: 2,
  readonly: 4,
  heap: 8,
  table: 16,
  vmctx: 32,
} as const;

/** The bits that select the alias region. */
export const MEM_REGION_MASK = MemFlag.heap | MemFlag.table | MemFlag.vmctx;
/** All defined bits. */
export const MEM_FLAGS_MASK = 63;

/** Flags for trusted accesses to VMContext data: cannot trap, aligned, in the vmctx region. */
export const TRUSTED_VMCTX: MemFlags = MemFlag.notrap | MemFlag.aligned | MemFlag.vmctx;

const FLAG_ORDER: [string, number][] = [
  ['notrap', MemFlag.notrap],
  ['aligned', MemFlag.aligned],
  ['readonly', MemFlag.readonly],
  ['heap', MemFlag.heap],
  ['table', MemFlag.table],
  ['vmctx', MemFlag.vmctx],
];

/** Flag words in canonical order, e.g. `['notrap', 'aligned', 'heap']`. */
export function memFlagNames(flags: MemFlags): string[] {
  const out: string[] = [];
  for (const [name, bit] of FLAG_ORDER) if (flags & bit) out.push(name);
  return out;
}

/** The bit for a flag word, or 0 when the word is not a flag. */
export function parseMemFlag(word: string): number {
  for (const [name, bit] of FLAG_ORDER) if (name === word) return bit;
  return 0;
}

/** True when the bits are known and at most one region is set. */
export function isValidMemFlags(flags: MemFlags): boolean {
  if ((flags & ~MEM_FLAGS_MASK) !== 0) return false;
  const region = flags & MEM_REGION_MASK;
  return (region & (region - 1)) === 0;
}
