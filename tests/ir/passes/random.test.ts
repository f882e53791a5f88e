/**
 * Randomized differential tests: random valid functions (random-program.ts) are interpreted before and after
 * optimisation on several argument sets; results, trap codes and final memory must agree, and the verifier must
 * accept the function after every single pass.
 *
 * More seeds for a longer local run: PASSES_RANDOM_SEEDS=3000 npx vitest run tests/ir/passes/random.test.ts
 */
import { describe, expect, it } from 'vitest';
import { ControlFlowGraph, DominatorTree, NONE, printFunction, type IrFunction } from '../../../src/ir/index.js';
import { PASS_NAMES, emptyPassStats, pipelineFor, runPass, runPasses, type PassName } from '../../../src/ir/passes/index.js';
import { assertValid } from './helpers.js';
import { argumentSets, generateFunction, rng, runProgram } from './random-program.js';

const SEEDS = Number(process.env.PASSES_RANDOM_SEEDS ?? 0) || 0;

function outcomes(func: IrFunction, seed: number): string[] {
  return argumentSets(seed).map((args, i) => runProgram(func, args, seed + i));
}

function compare(seed: number, before: string[], func: IrFunction, what: string, original: string): void {
  const after = outcomes(func, seed);
  for (let i = 0; i < before.length; i++) {
    if (after[i] !== before[i]) {
      throw new Error(`seed ${seed} (${what}), argument set ${i}: before ${before[i]}, after ${after[i]}\n` +
        `--- before\n${original}--- after\n${printFunction(func)}`);
    }
  }
}

describe('passes keep the meaning of random functions', () => {
  it('opt level 2 pipeline: 150 functions, verifier green after every pass, same results, traps and memory', () => {
    const stats = emptyPassStats();
    let before = 0;
    let after = 0;
    const kinds = { return: 0, trap: 0 };
    for (let seed = 1; seed <= (SEEDS || 150); seed++) {
      const func = generateFunction(seed);
      assertValid(func, `seed ${seed} input`);
      const original = printFunction(func);
      const want = outcomes(func, seed);
      for (const w of want) {
        expect(w).not.toBe('timeout');
        if (w.startsWith('trap')) kinds.trap++;
        else kinds.return++;
      }
      before += func.countInsts();
      // The level-2 pipeline, pass by pass, verifying each step.
      for (const p of pipelineFor(2)) {
        runPass(func, p, stats);
        assertValid(func, `seed ${seed} after ${p}`);
      }
      after += func.countInsts();
      compare(seed, want, func, 'opt 2', original);
    }
    console.log(`opt2 on ${SEEDS || 150} random functions: ${before} -> ${after} instructions; ${JSON.stringify(stats)}; ` +
      `outcomes: ${kinds.return} returns, ${kinds.trap} traps`);
    // The optimiser really worked on these functions, and they really ran both ways out.
    expect(stats.folded).toBeGreaterThan(900);
    expect(stats.dce.insts).toBeGreaterThan(1500);
    expect(stats.dce.params).toBeGreaterThan(50);
    expect(stats.gvn.pure).toBeGreaterThan(800);
    expect(stats.gvn.loads).toBeGreaterThan(150);
    expect(stats.licm.hoisted).toBeGreaterThan(600);
    expect(stats.licm.preheaders).toBeGreaterThan(20);
    expect(stats.cfg.branches).toBeGreaterThan(50);
    expect(stats.cfg.merged).toBeGreaterThan(50);
    expect(stats.cfg.threaded).toBeGreaterThan(200);
    expect(after).toBeLessThan(before * 0.6);
    expect(kinds.trap).toBeGreaterThan(100);
    expect(kinds.return).toBeGreaterThan(300);
  });

  it('each pass alone and random pass orders keep the meaning (120 functions)', () => {
    for (let seed = 1001; seed <= 1000 + (SEEDS || 120); seed++) {
      const r = rng(seed);
      const order: PassName[] = [];
      for (let i = 0; i < 6; i++) order.push(PASS_NAMES[Math.floor(r() * PASS_NAMES.length)]!);
      const func = generateFunction(seed);
      const original = printFunction(func);
      const want = outcomes(func, seed);
      for (const p of order) {
        runPass(func, p);
        assertValid(func, `seed ${seed} after ${p} (order ${order.join(' ')})`);
      }
      compare(seed, want, func, order.join(' '), original);
    }
  });

  it('opt level 1 and 2 via runPasses agree with the unoptimised function (60 functions)', () => {
    for (let seed = 5001; seed <= 5000 + (SEEDS || 60); seed++) {
      for (const level of [1, 2]) {
        const func = generateFunction(seed);
        const original = printFunction(func);
        const want = outcomes(func, seed);
        runPasses(func, level);
        assertValid(func, `seed ${seed} level ${level}`);
        compare(seed, want, func, `level ${level}`, original);
      }
    }
  });

  it('functions that keep unreachable blocks (dead predecessors of joins and loop headers): 100 functions', () => {
    let unreachableKept = 0;
    for (let seed = 9001; seed <= 9000 + (SEEDS || 100); seed++) {
      const r = rng(seed);
      const func = generateFunction(seed, { deadBlocks: true });
      assertValid(func, `seed ${seed} input`);
      const original = printFunction(func);
      const want = outcomes(func, seed);
      const domtree = DominatorTree.compute(func, ControlFlowGraph.compute(func));
      for (let b = func.layout.firstBlock; b !== NONE; b = func.layout.nextBlock(b)) {
        if (!domtree.isReachable(b)) unreachableKept++;
      }
      // Every pass but CFG cleanup (which would just delete the dead blocks) first, in a random order.
      const order: PassName[] = ['fold', 'gvn', 'licm', 'dce'];
      order.sort(() => r() - 0.5);
      for (const p of [...order, 'cfg', 'fold', 'dce'] as PassName[]) {
        runPass(func, p);
        assertValid(func, `seed ${seed} after ${p} (order ${order.join(' ')})`);
      }
      compare(seed, want, func, `dead blocks, ${order.join(' ')}`, original);
    }
    expect(unreachableKept).toBeGreaterThan(100);
  });

  it('a second optimisation run finds little left to do (the pipeline does not iterate to a fixpoint)', () => {
    let once = 0;
    let twice = 0;
    let unchanged = 0;
    for (let seed = 7001; seed <= 7050; seed++) {
      const func = generateFunction(seed);
      runPasses(func, 2);
      const text = printFunction(func);
      once += func.countInsts();
      runPasses(func, 2);
      twice += func.countInsts();
      if (printFunction(func) === text) unchanged++;
    }
    expect(unchanged).toBeGreaterThanOrEqual(35);
    expect(twice).toBeGreaterThan(once * 0.97);
  });
});
