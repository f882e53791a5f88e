/**
 * IR optimisation passes. Each pass takes an IrFunction, rewrites it in place and leaves it valid (the
 * verifier stays green after every single pass). `runPasses` is the pipeline per optimisation level:
 *
 * - 0: nothing.
 * - 1 (cheap): CFG cleanup, constant folding / simplification, dead-code elimination, CFG cleanup, DCE.
 * - 2 (all):   CFG cleanup, folding, LICM, GVN, folding, DCE, CFG cleanup, DCE.
 *
 * LICM runs before GVN: copies of one invariant (the heap base loaded in several loop blocks) all land in the
 * preheader, where GVN then keeps one.
 *
 * The trailing DCE collects what CFG cleanup leaves unused (the conditions of branches it folded, values only
 * unreachable blocks used); it is linear and cheap.
 *
 * The passes leave aliases behind (replaced values); `runPasses` ends by rewriting operands to the resolved
 * values so later stages can read raw operand columns.
 */
import type { IrFunction } from '../function.js';
import { freshAnalyses, type CfgAnalyses } from './cfg-analyses.js';
import { cleanupCfg, type CfgCleanupStats } from './cfg-cleanup.js';
import { eliminateDeadCode, type DceStats } from './dce.js';
import { foldConstants } from './fold.js';
import { globalValueNumbering, type GvnStats } from './gvn.js';
import { hoistLoopInvariants, type LicmStats } from './licm.js';
import { resolveOperandAliases } from './resolve-aliases.js';

export { cleanupCfg, type CfgCleanupStats } from './cfg-cleanup.js';
export { eliminateDeadCode, type DceStats } from './dce.js';
export { foldConstants } from './fold.js';
export { globalValueNumbering, type GvnStats } from './gvn.js';
export { hoistLoopInvariants, type LicmStats } from './licm.js';
export { removeUnreachableBlocks } from './unreachable.js';
export { MemoryVersions, MemCategory, memCategory, clobberedCategories } from './memory-state.js';

/** What a pipeline run changed (summed over repeated passes). */
export interface PassStats {
  folded: number;
  dce: DceStats;
  gvn: GvnStats;
  licm: LicmStats;
  cfg: CfgCleanupStats;
}

export function emptyPassStats(): PassStats {
  return {
    folded: 0,
    dce: { insts: 0, params: 0 },
    gvn: { pure: 0, loads: 0, forwarded: 0, traps: 0 },
    licm: { hoisted: 0, preheaders: 0 },
    cfg: { branches: 0, unreachable: 0, threaded: 0, merged: 0 },
  };
}

/** A pass by name, for tests and golden files (`; passes: fold dce`). */
export type PassName = 'fold' | 'dce' | 'gvn' | 'licm' | 'cfg';

export const PASS_NAMES: readonly PassName[] = ['fold', 'dce', 'gvn', 'licm', 'cfg'];

/**
 * Runs one pass by name, adding what it did to `stats`. `analyses`: the CFG and dominator tree handed from pass to
 * pass by `runPasses` (each pass keeps them valid or invalidates them); on its own a pass computes them afresh.
 */
export function runPass(func: IrFunction, name: PassName, stats: PassStats = emptyPassStats(),
  analyses: CfgAnalyses = freshAnalyses()): PassStats {
  switch (name) {
    case 'fold':
      stats.folded += foldConstants(func, analyses);
      break;
    case 'dce': {
      const s = eliminateDeadCode(func);
      stats.dce.insts += s.insts;
      stats.dce.params += s.params;
      break;
    }
    case 'gvn': {
      const s = globalValueNumbering(func, analyses);
      stats.gvn.pure += s.pure;
      stats.gvn.loads += s.loads;
      stats.gvn.forwarded += s.forwarded;
      stats.gvn.traps += s.traps;
      break;
    }
    case 'licm': {
      const s = hoistLoopInvariants(func, analyses);
      stats.licm.hoisted += s.hoisted;
      stats.licm.preheaders += s.preheaders;
      break;
    }
    case 'cfg': {
      const s = cleanupCfg(func, analyses);
      stats.cfg.branches += s.branches;
      stats.cfg.unreachable += s.unreachable;
      stats.cfg.threaded += s.threaded;
      stats.cfg.merged += s.merged;
      break;
    }
    default:
      throw new Error(`runPass: unknown pass '${name as string}' (known: ${PASS_NAMES.join(', ')})`);
  }
  return stats;
}

const PIPELINES: readonly (readonly PassName[])[] = [
  [],
  ['cfg', 'fold', 'dce', 'cfg', 'dce'],
  ['cfg', 'fold', 'licm', 'gvn', 'fold', 'dce', 'cfg', 'dce'],
];

/** The pass sequence of an optimisation level (levels above 2 run level 2). */
export function pipelineFor(optLevel: number): readonly PassName[] {
  if (!(optLevel >= 0)) throw new Error(`runPasses: bad optimisation level ${optLevel}`);
  return PIPELINES[Math.min(Math.floor(optLevel), PIPELINES.length - 1)]!;
}

/** Total of every counter in `s`: it changes exactly when a pass changed something. */
function changeCount(s: PassStats): number {
  return s.folded + s.dce.insts + s.dce.params + s.gvn.pure + s.gvn.loads + s.gvn.forwarded + s.gvn.traps +
    s.licm.hoisted + s.licm.preheaders + s.cfg.branches + s.cfg.unreachable + s.cfg.threaded + s.cfg.merged;
}

/** Optimises `func` in place at `optLevel` (0 none, 1 cheap, 2 all); returns what changed. */
export function runPasses(func: IrFunction, optLevel: number, stats: PassStats = emptyPassStats()): PassStats {
  const pipeline = pipelineFor(optLevel);
  if (pipeline.length === 0) return stats;
  // The analyses carry over from pass to pass: computed once, recomputed only after a pass changed the CFG.
  const analyses = freshAnalyses();
  // DCE is idempotent (after a run every remaining instruction and parameter is live), so a DCE with nothing
  // changed since the last one is skipped: the trailing DCE runs only when the CFG cleanup before it did something.
  let dceClean = false;
  // The last folding also resolves aliased operands as it walks; a final walk is needed only when a pass after it
  // (other than DCE, which makes no alias) changed something, e.g. CFG cleanup merging blocks.
  const resolvingFold = pipeline.lastIndexOf('fold');
  let aliasesLeft = resolvingFold < 0;
  for (let i = 0; i < pipeline.length; i++) {
    const name = pipeline[i]!;
    if (name === 'dce' && dceClean) continue;
    const before = changeCount(stats);
    if (i === resolvingFold) stats.folded += foldConstants(func, analyses, true);
    else runPass(func, name, stats, analyses);
    if (name === 'dce') dceClean = true;
    else if (changeCount(stats) !== before) {
      dceClean = false;
      if (i > resolvingFold) aliasesLeft = true;
    }
  }
  if (aliasesLeft) resolveOperandAliases(func);
  return stats;
}
