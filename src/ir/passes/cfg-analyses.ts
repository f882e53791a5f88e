/**
 * The CFG and dominator tree shared by the passes of one `runPasses` run, computed once and kept until a pass
 * changes the control flow.
 *
 * Most passes never touch the CFG: GVN and DCE only remove or rewrite non-terminator instructions and branch
 * arguments, LICM's hoisting only moves instructions, folding changes the CFG only when it truncates a block at a
 * trap or swaps a brif's destinations. So at optLevel 2 one computation serves folding, LICM, GVN and the second
 * folding, where each used to build its own (or its own reverse postorder).
 *
 * Validity is tracked by the passes, not observed: a pass that edits branch destinations, removes blocks or adds
 * blocks calls `invalidate()` (or recomputes through `get`). A pass run on its own (`runPass`) gets a fresh
 * computation (`freshAnalyses`).
 */
import { ControlFlowGraph } from '../cfg.js';
import { DominatorTree } from '../dominators.js';
import type { IrFunction } from '../function.js';

export class CfgAnalyses {
  readonly cfg = new ControlFlowGraph();
  readonly domtree = new DominatorTree();
  private func: IrFunction | null = null;

  /** The CFG and dominator tree of `func` (recomputed if another function or a CFG change came in between). */
  get(func: IrFunction): this {
    if (this.func !== func) {
      this.cfg.compute(func);
      this.domtree.compute(func, this.cfg);
      this.func = func;
    }
    return this;
  }

  /** Forgets the analyses: the next `get` recomputes. Call after changing branches or blocks. */
  invalidate(): void {
    this.func = null;
  }

  /** True when `get(func)` would answer without recomputing. */
  isValidFor(func: IrFunction): boolean {
    return this.func === func;
  }
}

/** One instance for every pass (passes run synchronously, one function at a time): grow-only arrays, no allocation. */
const shared = new CfgAnalyses();

/**
 * The shared analyses, forgotten first: what a pass run on its own, or a new `runPasses`, starts from. (Function
 * identity alone cannot tell functions apart: the runtime translates every function into one reused IrFunction.)
 */
export function freshAnalyses(): CfgAnalyses {
  shared.invalidate();
  return shared;
}
