/**
 * Process-wide map of the machine code kindling has mapped: pc → what the code is (a module's functions, an entry
 * trampoline, an import stub, the raise routine). Trap handling uses it to turn a trap pc and return addresses into
 * trap codes and backtrace frames. Registrations happen when code is loaded; lookups only when a trap is reported.
 */
import type { CallSiteTable, FunctionMap, TrapTable } from './trap-table.js';

export const enum CodeKind {
  /** Compiled wasm functions of one module. */
  Wasm = 0,
  EntryTrampoline = 1,
  ImportStub = 2,
  Raise = 3,
}

export interface CodeRange {
  /** First byte (absolute address). */
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  readonly kind: CodeKind;
  /** For messages and backtraces: the module's name, or a description of the runtime code. */
  readonly name: string;
  /** Wasm code only: trap sites (offsets relative to start). */
  readonly trapTable: TrapTable | null;
  /** Wasm code only: function ranges (offsets relative to start). */
  readonly functions: FunctionMap | null;
  /** Wasm code only, optional: call return offsets → wasm offsets of the calls (outer backtrace frames). */
  readonly callSites?: CallSiteTable | null;
  /** Wasm code only, optional: names per function index (the name section's, for backtraces). */
  readonly functionNames?: readonly (string | undefined)[] | null;
}

const ranges: CodeRange[] = [];

export function registerCodeRange(range: CodeRange): void {
  if (!(range.start < range.end)) throw new RangeError(`registerCodeRange: empty range for ${range.name}`);
  let at = ranges.length;
  while (at > 0 && ranges[at - 1]!.start > range.start) at--;
  const before = ranges[at - 1];
  const after = ranges[at];
  if ((before !== undefined && before.end > range.start) || (after !== undefined && range.end > after.start)) {
    throw new RangeError(`registerCodeRange: ${range.name} overlaps code already registered`);
  }
  ranges.splice(at, 0, range);
}

/** Forgets a range (when its code is freed). */
export function unregisterCodeRange(range: CodeRange): void {
  const at = ranges.indexOf(range);
  if (at >= 0) ranges.splice(at, 1);
}

/** The range containing `pc`, or null. */
export function findCodeRange(pc: number): CodeRange | null {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid]!;
    if (pc < r.start) hi = mid - 1;
    else if (pc >= r.end) lo = mid + 1;
    else return r;
  }
  return null;
}
