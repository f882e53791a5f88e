/**
 * `runPasses` shares one CFG / dominator tree between passes, skips a DCE when nothing changed since the last one
 * and resolves aliases inside the last folding. None of that may change the result: the pipeline must print
 * exactly what running each pass on its own (fresh analyses, every DCE, a full alias walk) prints, and leave no
 * aliased operand in the layout.
 */
import { describe, expect, it } from 'vitest';
import {
  ControlFlowGraph, DominatorTree, LoopAnalysis, NONE, ValueKind, parseFunction, printFunction, type IrFunction,
} from '../../../src/ir/index.js';
import { emptyPassStats, foldConstants, pipelineFor, runPass, runPasses } from '../../../src/ir/passes/index.js';
import { CfgAnalyses } from '../../../src/ir/passes/cfg-analyses.js';
import { resolveOperandAliases } from '../../../src/ir/passes/resolve-aliases.js';
import { generateFunction } from './random-program.js';

/** Number of operands and branch arguments in the layout that still name an alias. */
function aliasedOperands(func: IrFunction): number {
  const { dfg, layout } = func;
  let n = 0;
  for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      for (let i = 0; i < dfg.numArgs(inst); i++) if (dfg.valueKind(dfg.rawArg(inst, i)) === ValueKind.Alias) n++;
      for (let k = 0; k < dfg.numDests(inst); k++) {
        const bc = dfg.dest(inst, k);
        for (let i = 1; i < dfg.pool.len(bc); i++) if (dfg.valueKind(dfg.pool.get(bc, i)) === ValueKind.Alias) n++;
      }
    }
  }
  return n;
}

describe('runPasses with shared analyses', () => {
  for (const level of [1, 2]) {
    it(`level ${level}: same IR and stats as the passes run one by one, on 120 random functions`, () => {
      let aliasesMade = 0;
      for (let seed = 1; seed <= 120; seed++) {
        const piped = generateFunction(seed);
        const alone = generateFunction(seed);
        const pipedStats = runPasses(piped, level);
        const aloneStats = emptyPassStats();
        for (const p of pipelineFor(level)) runPass(alone, p, aloneStats);
        for (let v = 0; v < alone.dfg.numValues; v++) if (alone.dfg.valueKind(v) === ValueKind.Alias) aliasesMade++;
        resolveOperandAliases(alone);
        expect(printFunction(piped), `seed ${seed}`).toBe(printFunction(alone));
        expect(pipedStats, `seed ${seed}`).toEqual(aloneStats);
        expect(aliasedOperands(piped), `seed ${seed}`).toBe(0);
      }
      expect(aliasesMade).toBeGreaterThan(100); // the alias resolution had work to do
    });
  }

  it('folding that swaps a brif invalidates the shared analyses; one that does not keeps them', () => {
    const swapping = parseFunction(`function %f(i32) -> i32 {
block0(v0: i32):
  v1 = icmp_imm eq v0, 0
  brif v1, block1, block2
block1:
  v2 = iconst.i32 1
  return v2
block2:
  v3 = iconst.i32 2
  return v3
}`);
    const analyses = new CfgAnalyses();
    expect(Array.from(analyses.get(swapping).domtree.rpo)).toEqual([0, 2, 1]);
    expect(analyses.isValidFor(swapping)).toBe(true);
    foldConstants(swapping, analyses);
    expect(printFunction(swapping)).toContain('brif v0, block2, block1');
    expect(analyses.isValidFor(swapping)).toBe(false);
    // After the swap, the recomputed reverse postorder follows the new successor order.
    expect(Array.from(analyses.get(swapping).domtree.rpo)).toEqual([0, 1, 2]);
    foldConstants(swapping, analyses);
    expect(analyses.isValidFor(swapping)).toBe(true);
  });
});

describe('analyses recomputed into the same objects', () => {
  it('CFG, dominator tree and loops of one function do not depend on what was computed before', () => {
    const cfg = new ControlFlowGraph();
    const dom = new DominatorTree();
    const loops = new LoopAnalysis();
    const describeAll = (f: IrFunction, c: ControlFlowGraph, d: DominatorTree, l: LoopAnalysis): string => {
      const parts: string[] = [];
      for (let b = 0; b < f.dfg.numBlocks; b++) {
        parts.push(`${b}: s${c.succs(b).join(',')} p${c.preds(b).join(',')}/${Array.from({ length: c.numPreds(b) }, (_, i) => c.predInst(b, i)).join(',')}` +
          ` idom${d.idom(b)} loop${l.loopOf(b)}`);
      }
      for (let i = 0; i < l.numLoops; i++) parts.push(`L${i}: h${l.header(i)} p${l.parent(i)} d${l.depth(i)}`);
      return `${Array.from(d.rpo).join(',')} | ${parts.join(' ; ')}`;
    };
    // Big functions first, then small ones: stale entries of the grown arrays must not leak into small results.
    for (const seed of [7, 3, 11, 1, 5, 2]) {
      const f = generateFunction(seed);
      cfg.compute(f);
      dom.compute(f, cfg);
      loops.compute(f, cfg, dom);
      const fresh = ControlFlowGraph.compute(f);
      const freshDom = DominatorTree.compute(f, fresh);
      const freshLoops = LoopAnalysis.compute(f, fresh, freshDom);
      expect(describeAll(f, cfg, dom, loops), `seed ${seed}`).toBe(describeAll(f, fresh, freshDom, freshLoops));
    }
  });
});
