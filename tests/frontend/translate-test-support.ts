/** Shared helpers for the translator tests. */
import { Op, OperatorReader, type ModuleInfo } from '../../src/frontend/index.js';

/**
 * Functions with a br_table of more than this many targets are left out of the whole-suite tests (and counted).
 * FunctionBuilder.declareBranchPredecessors is linear now (it was O(n²): the spec's 24,000-target br_table took
 * ~100 s), so no spec function is left out; the limit stays as a guard for generated giants.
 */
export const MAX_BR_TABLE_TARGETS = 1 << 20;

/** True when function `f` (a defined function) has a br_table with more than MAX_BR_TABLE_TARGETS targets. */
export function hasHugeBrTable(module: ModuleInfo, f: number): boolean {
  const decl = module.functions[f];
  if (decl.bodyEnd - decl.bodyStart < MAX_BR_TABLE_TARGETS) return false;
  const r = new OperatorReader(module.bytes);
  r.reset(module.bytes, decl.bodyStart, decl.bodyEnd, f);
  r.readLocals(module.types[decl.typeIndex].params);
  while (r.pos < decl.bodyEnd) {
    if (r.next() === Op.BR_TABLE && r.brTableCount > MAX_BR_TABLE_TARGETS) return true;
  }
  return false;
}
