/**
 * Fuel counts, statically: the costs the translator flushes per straight-line run and gives each trap site must be
 * what the cost model says (fuel.md). Three views:
 * - hand-counted functions (the amounts written out below);
 * - every function of the spec suite against an independent reference model (fuel-reference.ts);
 * - the IR itself: the amounts added to the counter in the generated code are exactly the logged ones, and both
 *   strategies log the same.
 */
import { describe, expect, it } from 'vitest';
import { CompileError, parseAndValidate, type ModuleInfo } from '../../src/frontend/index.js';
import { FuelLogKind, FunctionTranslator, OPERATOR_FUEL_COST } from '../../src/frontend/translate.js';
import { Op } from '../../src/frontend/opcodes.js';
import { NONE, Opcode, type IrFunction } from '../../src/ir/index.js';
import { VMCTX_INTERRUPTS, VMINTERRUPTS_FUEL } from '../../src/frontend/vm-offsets.js';
import { referenceFuel } from './fuel-reference.js';
import { allValidSpecModules, SPEC_AVAILABLE } from './spec-dir.js';
import { wat } from './wasm-builder.js';

const translator = new FunctionTranslator();

interface Logged {
  flushes: [number, number][];
  traps: [number, number][];
  ir: IrFunction;
}

function translateLogged(module: ModuleInfo, f: number, fuel: 'variable' | 'memory'): Logged {
  const ir = translator.translate(module, f, { fuel, recordFuel: true });
  const log = translator.fuelLog!;
  const flushes: [number, number][] = [];
  const traps: [number, number][] = [];
  for (let i = 0; i < log.length; i += 3) {
    (log[i] === FuelLogKind.Flush ? flushes : traps).push([log[i + 1], log[i + 2]]);
  }
  return { flushes, traps, ir };
}

/**
 * The immediates of the `iadd_imm`s that add to the fuel counter in `ir` (memory strategy: an iadd_imm of a load
 * of [interrupts+8]), sorted.
 */
function counterIncrements(ir: IrFunction): number[] {
  const { dfg, layout } = ir;
  const out: number[] = [];
  for (let b = layout.firstBlock; b !== NONE; b = layout.nextBlock(b)) {
    for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) {
      if (dfg.opcode(i) !== Opcode.iadd_imm) continue;
      const src = dfg.valueInst(dfg.arg(i, 0));
      if (src === NONE || dfg.opcode(src) !== Opcode.load || dfg.offset(src) !== VMINTERRUPTS_FUEL) continue;
      // The counter's address is the interrupts pointer, itself loaded from [vmctx + VMCTX_INTERRUPTS]; a memory's
      // length is at the same offset of a memory definition (loaded from elsewhere in the vmctx).
      const pointer = dfg.valueInst(dfg.arg(src, 0));
      if (pointer === NONE || dfg.opcode(pointer) !== Opcode.load || dfg.offset(pointer) !== VMCTX_INTERRUPTS) continue;
      out.push(dfg.immLo(i));
    }
  }
  return out.sort((a, b) => a - b);
}

async function moduleOf(text: string): Promise<ModuleInfo> {
  return parseAndValidate(await wat(text));
}

describe('the cost model', () => {
  it('charges 0 for nop, drop, block, loop, unreachable, return, else, end and 1 for everything else', () => {
    const free = [Op.NOP, Op.DROP, Op.BLOCK, Op.LOOP, Op.UNREACHABLE, Op.RETURN, Op.ELSE, Op.END];
    for (const op of free) expect(OPERATOR_FUEL_COST[op]).toBe(0);
    for (const op of [Op.IF, Op.BR, Op.BR_IF, Op.BR_TABLE, Op.CALL, Op.LOCAL_GET, Op.I32_ADD, Op.SELECT, Op.MEMORY_GROW,
      Op.I32_TRUNC_SAT_F32_S, Op.TABLE_FILL]) {
      expect(OPERATOR_FUEL_COST[op]).toBe(1);
    }
  });
});

describe('fuel per straight-line run, hand counted', () => {
  const amounts = (pairs: [number, number][]) => pairs.map((p) => p[1]);

  it('straight-line code is one run, flushed at the return', async () => {
    const m = await moduleOf(`(module (func (param i32 i32) (result i32)
      nop (local.get 0) (local.get 1) i32.add (i32.const 3) i32.mul (block (drop (i32.const 1))) nop))`);
    for (const fuel of ['variable', 'memory'] as const) {
      const log = translateLogged(m, 0, fuel);
      // local.get, local.get, add, const, mul, const = 6 (nop, block, drop, end free)
      expect(amounts(log.flushes)).toEqual([6]);
      expect(log.traps).toEqual([]);
    }
  });

  it('a loop: the run before it, one per iteration (br_if counted on both paths), the tail', async () => {
    const m = await moduleOf(`(module (func (param i32) (result i32)
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 0)))`);
    const log = translateLogged(m, 0, 'variable');
    // before: get, const, add, set = 4; body: get, const, sub, tee, br_if = 5; after: get = 1
    expect(amounts(log.flushes)).toEqual([4, 5, 1]);
  });

  it('if/else: the condition run includes the if; each arm is a run; the merge starts a new one', async () => {
    const m = await moduleOf(`(module (func (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 1))
        (else (i32.add (local.get 0) (i32.const 2))))
      (i32.const 5) i32.mul))`);
    const log = translateLogged(m, 0, 'memory');
    // get, eqz, if = 3; then: const = 1; else: get, const, add = 3; merge: const, mul = 2
    expect(amounts(log.flushes)).toEqual([3, 1, 3, 2]);
  });

  it('calls flush before the call; the callee counts its own', async () => {
    const m = await moduleOf(`(module
      (func $id (param i32) (result i32) (local.get 0))
      (func (param i32) (result i32) (i32.add (call $id (local.get 0)) (i32.const 1))))`);
    const log = translateLogged(m, 1, 'variable');
    // get, call = 2; const, add = 2
    expect(amounts(log.flushes)).toEqual([2, 2]);
    expect(amounts(translateLogged(m, 0, 'variable').flushes)).toEqual([1]);
  });

  it('trap sites carry the pending cost, including the trapping operator itself', async () => {
    const m = await moduleOf(`(module (memory 1) (table 1 funcref)
      (func (param i32 i32) (result i32)
        (i32.store (local.get 0) (i32.const 7))
        (i32.div_u (local.get 0) (local.get 1))
        (i32.load offset=4 (local.get 1))
        i32.add
        (call_indirect (param i32) (result i32) (local.get 0))))`);
    const log = translateLogged(m, 0, 'memory');
    // store: get, const, store = 3; div_u: +get, get, div = 6; load: +get, load = 8;
    // call_indirect (after add, get): 8 + add, get, call_indirect = 11 (three sites: bounds, null, signature)
    expect(amounts(log.traps)).toEqual([3, 6, 8, 11, 11, 11]);
    // one run, flushed at the call (11), then nothing after it but end
    expect(amounts(log.flushes)).toEqual([11]);
  });

  it('unreachable flushes what ran before it, and dead code after it costs nothing', async () => {
    const m = await moduleOf(`(module (func (param i32) (result i32)
      (drop (local.get 0)) unreachable (i32.add (i32.const 1) (i32.const 2))))`);
    expect(amounts(translateLogged(m, 0, 'variable').flushes)).toEqual([1]);
  });

  it('a block nobody branches to is not a join point: its run continues past end', async () => {
    const m = await moduleOf(`(module (func (param i32) (result i32)
      (block (result i32) (local.get 0)) (block (result i32) (i32.const 2)) i32.add))`);
    // get, const, add = 3 in one run (the blocks and their ends are free and are no flush points)
    expect(amounts(translateLogged(m, 0, 'memory').flushes)).toEqual([3]);
  });

  it('br_table flushes once; a constant divisor needs no trap site', async () => {
    const m = await moduleOf(`(module (func (param i32) (result i32)
      (block (block (br_table 0 1 (i32.div_s (local.get 0) (i32.const 3)))) (return (i32.const 1)))
      (i32.const 2)))`);
    const log = translateLogged(m, 0, 'variable');
    // get, const, div_s, br_table = 4; inner end → const, return = 1; outer end → const = 1
    expect(amounts(log.flushes)).toEqual([4, 1, 1]);
    expect(log.traps).toEqual([]);
  });
});

describe.skipIf(!SPEC_AVAILABLE)('fuel of every spec function against the reference model', () => {
  it('matches per flush and per trap site, and both strategies agree', () => {
    const problems: string[] = [];
    let functions = 0;
    let flushes = 0;
    let traps = 0;
    for (const { name, bytes } of allValidSpecModules()) {
      const m = parseAndValidate(bytes);
      for (let f = m.numImportedFunctions; f < m.functions.length; f++) {
        if (m.functions[f].bodyEnd - m.functions[f].bodyStart > 8192) continue; // see translate-spec.test.ts
        let variable: Logged;
        let memory: Logged;
        try {
          variable = translateLogged(m, f, 'variable');
          memory = translateLogged(m, f, 'memory');
        } catch (e) {
          if (e instanceof CompileError && /SIMD/.test(e.message)) break;
          throw e;
        }
        functions++;
        const where = `${name} function ${f}`;
        const ref = referenceFuel(m, f);
        if (JSON.stringify(variable.flushes) !== JSON.stringify(ref.flushes)) {
          problems.push(`${where}: flushes ${JSON.stringify(variable.flushes)} expected ${JSON.stringify(ref.flushes)}`);
        }
        // Trap sites: the same list, except that division guards a constant divisor made unnecessary may be gone.
        const expectedTraps = ref.traps.filter(([at]) => !ref.divisions.has(at));
        const actualTraps = variable.traps.filter(([at]) => !ref.divisions.has(at));
        if (JSON.stringify(actualTraps) !== JSON.stringify(expectedTraps)) {
          problems.push(`${where}: trap sites ${JSON.stringify(actualTraps)} expected ${JSON.stringify(expectedTraps)}`);
        }
        for (const site of variable.traps) {
          if (ref.divisions.has(site[0]) && !ref.traps.some((t) => t[0] === site[0] && t[1] === site[1])) {
            problems.push(`${where}: division trap site ${JSON.stringify(site)} not in the reference`);
          }
        }
        if (JSON.stringify(memory.flushes) !== JSON.stringify(variable.flushes) ||
          JSON.stringify(memory.traps) !== JSON.stringify(variable.traps)) {
          problems.push(`${where}: the memory strategy logs differently from the variable strategy`);
        }
        // The memory strategy's IR adds exactly the logged amounts (flushes, and trap paths with something pending).
        const logged = [...memory.flushes, ...memory.traps].map((p) => p[1]).filter((a) => a > 0).sort((a, b) => a - b);
        const inIr = counterIncrements(memory.ir);
        if (JSON.stringify(inIr) !== JSON.stringify(logged)) {
          problems.push(`${where}: IR adds ${JSON.stringify(inIr)}, log says ${JSON.stringify(logged)}`);
        }
        flushes += variable.flushes.length;
        traps += variable.traps.length;
        if (problems.length > 20) break;
      }
      if (problems.length > 20) break;
    }
    console.log(`fuel reference: ${functions} spec functions, ${flushes} flushes and ${traps} trap sites matched`);
    expect(problems).toEqual([]);
    expect(functions).toBeGreaterThan(4000);
  });
});
