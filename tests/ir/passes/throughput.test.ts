/**
 * Throughput of the passes (prints numbers; asserts only sanity and the absence of super-linear blow-up).
 * Instructions per second count the instructions of the functions *before* optimisation, per second of
 * process CPU time (wall time is meaningless on a shared machine), best of three batches.
 *
 * A longer standalone run: PASSES_BENCH=1 npx vitest run tests/ir/passes/throughput.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { IrFunction } from '../../../src/ir/index.js';
import { pipelineFor, runPass, runPasses, type PassName } from '../../../src/ir/passes/index.js';
import { generateFunction } from './random-program.js';

const LONG = process.env.PASSES_BENCH === '1';

function batch(firstSeed: number, count: number, statements: number): { funcs: IrFunction[]; insts: number } {
  const funcs: IrFunction[] = [];
  let insts = 0;
  for (let i = 0; i < count; i++) {
    const f = generateFunction(firstSeed + i, { statements });
    insts += f.countInsts();
    funcs.push(f);
  }
  return { funcs, insts };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best instructions/s over `reps` fresh batches, optimised at `level`. */
function measure(level: number, count: number, statements: number, reps: number): { rate: number; insts: number } {
  let best = 0;
  let insts = 0;
  for (let r = 0; r < reps; r++) {
    const b = batch(40000 + r * 1000, count, statements);
    const t0 = cpuMs();
    for (const f of b.funcs) runPasses(f, level);
    const ms = Math.max(cpuMs() - t0, 0.001);
    best = Math.max(best, (b.insts / ms) * 1000);
    insts = b.insts;
  }
  return { rate: best, insts };
}

const fmt = (n: number) => `${(n / 1e6).toFixed(2)}M`;

describe('pass throughput', () => {
  it('optimises at a useful rate, linear in function size', () => {
    const reps = LONG ? 8 : 3;
    // Warm up the JIT.
    for (const f of batch(100, 40, 150).funcs) runPasses(f, 2);
    const small = measure(2, LONG ? 150 : 50, 150, reps);
    const big = measure(2, 1, LONG ? 12000 : 4000, reps);
    const level1 = measure(1, LONG ? 150 : 50, 150, reps);

    // Share of each pass in the level-2 pipeline.
    const perPass = new Map<PassName, number>();
    for (const f of batch(50000, LONG ? 150 : 50, 150).funcs) {
      for (const p of pipelineFor(2)) {
        const t = cpuMs();
        runPass(f, p);
        perPass.set(p, (perPass.get(p) ?? 0) + cpuMs() - t);
      }
    }
    const total = [...perPass.values()].reduce((a, b) => a + b, 0);
    const parts = [...perPass].map(([p, ms]) => `${p} ${((ms / total) * 100).toFixed(0)}%`).join(', ');
    console.log(
      `IR passes (CPU time, best of ${reps}): opt2 ${fmt(small.rate)} inst/s on functions of ~` +
      `${Math.round(small.insts / (LONG ? 150 : 50))} insts, ${fmt(big.rate)} inst/s on one of ${big.insts} insts; ` +
      `opt1 ${fmt(level1.rate)} inst/s. Time per pass in opt2: ${parts}`,
    );
    expect(small.insts).toBeGreaterThan(10000);
    expect(big.insts).toBeGreaterThan(8000);
    expect(small.rate).toBeGreaterThan(30_000);
    // A quadratic pass would make the 25x bigger function ~25x slower per instruction; noise stays well below 8x.
    expect(big.rate).toBeGreaterThan(small.rate / 8);
  });
});
