/** Shared helpers for the translator tests. */
import { Op, OperatorReader, type ModuleInfo } from '../../src/frontend/index.js';

/**
 * Functions with a br_table of more than this many targets are left out of the whole-suite tests (and counted):
 * FunctionBuilder.declareBranchPredecessors (src/ir/builder.ts) checks a branch's destinations for duplicates
 * pairwise, so one br_table of n targets costs O(n²) — the spec's 24,000-target br_table takes ~100 s. Reported to
 * the IR's owner; remove this limit once that is linear.
 */
export const MAX_BR_TABLE_TARGETS = 4096;

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
