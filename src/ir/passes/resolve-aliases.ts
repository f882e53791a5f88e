/**
 * The pipeline's last step: operands that name an alias (a value a pass replaced) are rewritten to the value the
 * alias stands for, so later stages can read raw operand columns.
 *
 * Unlike `DataFlowGraph.resolveAllAliases`, which rewrites every instruction id ever created, this walks only the
 * instructions in the layout: after the passes about half the ids are removed instructions, which no later stage
 * reads (a used value's definition is always in the layout). The pipeline's last folding resolves as it walks
 * (`resolveInstAliases`), so this full walk runs only when a pass after it made aliases.
 */
import { ValueKind, type DataFlowGraph } from '../dfg.js';
import type { IrFunction } from '../function.js';
import { NONE, type Inst } from '../ids.js';

/** Rewrites every aliased operand and branch argument of the instructions in the layout; returns how many. */
export function resolveOperandAliases(func: IrFunction): number {
  const { dfg, layout } = func;
  if (!dfg.hasAliases) return 0;
  let rewritten = 0;
  for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      rewritten += resolveInstAliases(dfg, inst);
    }
  }
  return rewritten;
}

/** Rewrites the aliased operands and branch arguments of one instruction; returns how many. */
export function resolveInstAliases(dfg: DataFlowGraph, inst: Inst): number {
  let rewritten = 0;
  const n = dfg.numArgs(inst);
  for (let i = 0; i < n; i++) {
    const raw = dfg.rawArg(inst, i);
    if (dfg.valueKind(raw) === ValueKind.Alias) {
      dfg.setArg(inst, i, dfg.resolve(raw));
      rewritten++;
    }
  }
  const nd = dfg.numDests(inst);
  if (nd === 0) return rewritten;
  const pool = dfg.pool;
  for (let k = 0; k < nd; k++) {
    // Branch arguments live in the block call's list after the destination block (slot 0).
    const bc = dfg.dest(inst, k);
    const na = pool.len(bc);
    for (let i = 1; i < na; i++) {
      const raw = pool.get(bc, i);
      if (dfg.valueKind(raw) === ValueKind.Alias) {
        pool.set(bc, i, dfg.resolve(raw));
        rewritten++;
      }
    }
  }
  return rewritten;
}
