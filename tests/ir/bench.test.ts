/**
 * Micro-benchmark of the IR core (prints numbers; asserts only sanity). Shapes: one large function (nested
 * loops, 8 variables, arithmetic/memory mix) and many small functions built by reusing one IrFunction and one
 * FunctionBuilder (the translator's pattern).
 */
import { describe, expect, it } from 'vitest';
import {
  ControlFlowGraph,
  DominatorTree,
  FunctionBuilder,
  I32,
  I64,
  IntCC,
  IrFunction,
  LoopAnalysis,
  MemFlag,
  Signature,
  parseFunction,
  printFunction,
  verifyFunction,
  type Value,
} from '../../src/ir/index.js';

/** Builds `loops` consecutive loops, each with a body of ~`bodyOps` instructions over 8 i32 variables. */
function buildLoops(func: IrFunction, fb: FunctionBuilder, loops: number, bodyOps: number): void {
  const ins = fb.ins;
  const entry = fb.createBlock();
  fb.appendFunctionParams(entry);
  fb.switchToBlock(entry);
  fb.sealBlock(entry);
  const heap = fb.blockParam(entry, 0);
  const NV = 8;
  for (let x = 0; x < NV; x++) fb.declareVar(I32);
  for (let x = 0; x < NV; x++) fb.defVar(x, x === 0 ? fb.blockParam(entry, 1) : ins.iconst(I32, x));
  const counter = fb.declareVar(I32);
  for (let l = 0; l < loops; l++) {
    const header = fb.createBlock();
    const body = fb.createBlock();
    const exit = fb.createBlock();
    fb.defVar(counter, ins.iconst(I32, 0));
    ins.jump(header);
    fb.switchToBlock(header);
    const more = ins.icmpImm(IntCC.ult, fb.useVar(counter), 100);
    ins.brif(more, body, [], exit, []);
    fb.switchToBlock(body);
    fb.sealBlock(body);
    for (let k = 0; k < bodyOps; k++) {
      const x = k % NV;
      const y = (k * 3 + 1) % NV;
      let v: Value;
      switch (k % 6) {
        case 0: v = ins.iadd(fb.useVar(x), fb.useVar(y)); break;
        case 1: v = ins.imul(fb.useVar(x), fb.useVar(y)); break;
        case 2: v = ins.bxor(fb.useVar(x), fb.useVar(y)); break;
        case 3: {
          const addr = ins.iadd(heap, ins.uextend(I64, fb.useVar(y)));
          v = ins.load(I32, MemFlag.notrap | MemFlag.heap, addr, 16);
          break;
        }
        case 4: {
          const addr = ins.iadd(heap, ins.uextend(I64, fb.useVar(x)));
          ins.store(MemFlag.notrap | MemFlag.heap, fb.useVar(y), addr, 8);
          v = fb.useVar(x);
          break;
        }
        default: v = ins.ishlImm(fb.useVar(x), 3);
      }
      fb.defVar(x, v);
    }
    fb.defVar(counter, ins.iaddImm(fb.useVar(counter), 1));
    ins.jump(header);
    fb.sealBlock(header);
    fb.switchToBlock(exit);
    fb.sealBlock(exit);
  }
  ins.return_([fb.useVar(0)]);
}

function time(fn: () => void, reps = 3): number {
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const rate = (n: number, ms: number) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M inst/s`;

describe('IR micro-benchmark', () => {
  it('one large function: build (with SSA), verify, analyses, print, parse', () => {
    const sig = new Signature([I64, I32], [I32]);
    let func = new IrFunction('big', sig);
    const build = time(() => {
      func = new IrFunction('big', sig);
      const fb = new FunctionBuilder(func);
      buildLoops(func, fb, 2000, 48);
      fb.finalize();
    });
    const n = func.countInsts();
    const blocks = func.countBlocks();
    let errors: string[] = [];
    const verify = time(() => {
      errors = verifyFunction(func);
    });
    expect(errors).toEqual([]);
    let loops = 0;
    const analyses = time(() => {
      const cfg = ControlFlowGraph.compute(func);
      const dom = DominatorTree.compute(func, cfg);
      loops = LoopAnalysis.compute(func, cfg, dom).numLoops;
    });
    expect(loops).toBe(2000);
    let text = '';
    const print = time(() => {
      text = printFunction(func);
    });
    let parsed!: IrFunction;
    const parse = time(() => {
      parsed = parseFunction(text);
    }, 2);
    expect(parsed.countInsts()).toBe(n);
    console.log(
      `[ir bench] large function: ${n} insts, ${blocks} blocks, ${(text.length / 1e6).toFixed(1)} MB text\n` +
        `  build+SSA ${build.toFixed(1)} ms (${rate(n, build)}), verify ${verify.toFixed(1)} ms (${rate(n, verify)}),\n` +
        `  cfg+domtree+loops ${analyses.toFixed(1)} ms (${rate(n, analyses)}), print ${print.toFixed(1)} ms ` +
        `(${rate(n, print)}), parse ${parse.toFixed(1)} ms (${rate(n, parse)})`,
    );
    expect(n).toBeGreaterThan(150_000);
  });

  it('many small functions, reusing one IrFunction and FunctionBuilder', () => {
    const sig = new Signature([I64, I32], [I32]);
    const func = new IrFunction('small', sig);
    const fb = new FunctionBuilder(func);
    let total = 0;
    const COUNT = 5000;
    const ms = time(() => {
      total = 0;
      for (let i = 0; i < COUNT; i++) {
        func.clear('small', sig);
        fb.reset();
        buildLoops(func, fb, 1, 12);
        fb.finalize();
        total += func.dfg.numInsts;
      }
    });
    expect(verifyFunction(func)).toEqual([]);
    console.log(`[ir bench] ${COUNT} small functions (${total / COUNT} insts each): build+SSA ${ms.toFixed(1)} ms ` +
      `(${rate(total, ms)}, ${((ms * 1000) / COUNT).toFixed(1)} us/function)`);
    expect(total).toBe(COUNT * func.dfg.numInsts);
  });
});
