// Compile throughput of the backend (lower + register allocation + emission) on generated IR: loops, diamonds,
// heap loads and stores, compares, calls and float math. Prints the figure; asserts only a very loose floor.

import { expect, it } from 'vitest';
import { parseFunctions, verifyFunction, type IrFunction } from '../../src/ir/index.js';
import { ModuleCodeBuilder } from '../../src/isel/index.js';
import { MODERN_CPU } from './helpers.js';

/** A deterministic pseudo-random IR function with a loop around a diamond (about 60 instructions). */
export function genFunction(index: number, seed: number): string {
  let s = seed >>> 0;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  let v = 10;
  const lines: string[] = [];
  let ints: string[] = ['v4', 'v5'];
  const pick = (): string => ints[ints.length - 1 - rnd(Math.min(ints.length, 6))];
  const body = (count: number): void => {
    for (let k = 0; k < count; k++) {
      const d = `v${v++}`;
      switch (rnd(9)) {
        case 0: lines.push(`    ${d} = iadd ${pick()}, ${pick()}`); break;
        case 1: lines.push(`    ${d} = imul ${pick()}, ${pick()}`); break;
        case 2: lines.push(`    ${d} = bxor_imm ${pick()}, ${rnd(1000)}`); break;
        case 3: lines.push(`    ${d} = ishl_imm ${pick()}, ${1 + rnd(5)}`); break;
        case 4: {
          const a = `v${v++}`;
          lines.push(`    ${a} = band_imm ${pick()}, 0xfff8`);
          lines.push(`    ${d} = iadd v3, ${a}`);
          const l = `v${v++}`;
          lines.push(`    ${l} = load.i64 heap ${d}+${8 * rnd(16)}`);
          ints.push(l);
          continue;
        }
        case 5: {
          const a = `v${v++}`;
          lines.push(`    ${a} = band_imm ${pick()}, 0xfff8`);
          lines.push(`    ${d} = iadd v3, ${a}`);
          lines.push(`    store heap ${pick()}, ${d}+${8 * rnd(16)}`);
          continue;
        }
        case 6: lines.push(`    ${d} = isub ${pick()}, ${pick()}`); break;
        case 7: {
          const c = `v${v++}`;
          lines.push(`    ${c} = icmp slt ${pick()}, ${pick()}`);
          lines.push(`    ${d} = select ${c}, ${pick()}, ${pick()}`);
          break;
        }
        default: {
          const f = `v${v++}`;
          const g = `v${v++}`;
          lines.push(`    ${f} = fcvt_from_sint.f64 ${pick()}`);
          lines.push(`    ${g} = fmul ${f}, ${f}`);
          lines.push(`    ${d} = fcvt_to_sint_sat.i64 ${g}`);
        }
      }
      ints.push(d);
    }
  };
  lines.push(`function %g${index}(i64 vmctx, i64, i64) -> i64 {`);
  lines.push('    sig0 = (i64 vmctx, i64, i64) -> i64');
  lines.push(`    fn0 = func ${Math.max(0, index - 1)} sig0`);
  lines.push('block0(v0: i64, v1: i64, v2: i64):');
  lines.push('    v3 = load.i64 notrap aligned readonly vmctx v0+32');
  lines.push('    jump block1(v1, v2)');
  lines.push('');
  lines.push('block1(v4: i64, v5: i64):');
  body(12);
  const c1 = `v${v++}`;
  lines.push(`    ${c1} = icmp_imm sgt ${pick()}, 100`);
  lines.push(`    brif ${c1}, block2, block3`);
  const afterHeader = ints.slice();
  lines.push('');
  lines.push('block2:');
  body(8);
  const r2 = pick();
  lines.push(`    jump block4(${r2})`);
  lines.push('');
  ints = afterHeader.slice();
  lines.push('block3:');
  const call = `v${v++}`;
  lines.push(`    ${call} = call fn0(v0, ${pick()}, ${pick()})`);
  ints.push(call);
  body(8);
  lines.push(`    jump block4(${pick()})`);
  lines.push('');
  const z = `v${v++}`;
  lines.push(`block4(${z}: i64):`);
  ints = afterHeader.slice();
  ints.push(z);
  const n = `v${v++}`;
  const c2 = `v${v++}`;
  lines.push(`    ${n} = iadd_imm v4, -1`);
  lines.push(`    ${c2} = icmp_imm ne ${n}, 0`);
  lines.push(`    brif ${c2}, block1(${n}, ${z}), block5`);
  lines.push('');
  lines.push('block5:');
  lines.push(`    return ${z}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

it('compile throughput (lower + regalloc + emit)', () => {
  let text = '';
  for (let i = 0; i < 150; i++) text += genFunction(i, 1000 + i);
  const funcs: IrFunction[] = parseFunctions(text);
  for (const f of funcs) expect(verifyFunction(f), f.name).toEqual([]);
  // Warm up the JIT, then measure.
  const run = (timing: boolean): ModuleCodeBuilder => {
    const b = new ModuleCodeBuilder({ cpu: MODERN_CPU });
    b.timing = timing;
    funcs.forEach((f, i) => b.addFunction(f, i));
    b.finish();
    return b;
  };
  for (let k = 0; k < 2; k++) run(false);
  // Best of two (the machine is shared; the best run is the least disturbed).
  let ms = Infinity;
  let b = run(false);
  for (let k = 0; k < 2; k++) {
    const t0 = performance.now();
    b = run(false);
    ms = Math.min(ms, performance.now() - t0);
  }
  const phases = run(true).stats;
  const perSec = (b.stats.irInsts / ms) * 1000;
  console.log(
    `isel throughput: ${b.stats.functions} functions, ${b.stats.irInsts} IR insts → ${b.stats.vcodeInsts} VCode insts ` +
      `in ${ms.toFixed(1)} ms = ${(perSec / 1e6).toFixed(2)} M IR insts/s ` +
      `(lower ${phases.lowerMs.toFixed(1)} ms, regalloc ${phases.regallocMs.toFixed(1)} ms, emit+finish ${phases.emitMs.toFixed(1)} ms)`,
  );
  expect(b.stats.irInsts).toBeGreaterThan(5_000);
  // Only a floor against pathological (e.g. quadratic) slowdowns: the test machine is shared and very noisy; see the
  // README / report for figures measured standalone.
  expect(perSec).toBeGreaterThan(2_000);
});
