// Fuel metering, epoch interruption and stack overflow with hand-assembled code that follows the conventions the
// compiler will emit: `add qword [interrupts + fuel], cost; jns` + the OutOfFuel builtin, an epoch check calling the
// EpochDeadline builtin, and the prologue stack-limit check.
import { describe, expect, it } from 'vitest';
import { AluOp, Cond, R12, R13, RAX, RBP, RBX, RCX, RDI, RSI, RSP, mem } from '../../src/x64/index.js';
import { parseModule } from '../../src/frontend/index.js';
import {
  Builtin, VMCTX_BUILTINS, VMCTX_INTERRUPTS, VMFUNCTION_IMPORT_CODE, VMFUNCTION_IMPORT_VMCTX, VMINTERRUPTS_EPOCH_COUNTER,
  VMINTERRUPTS_EPOCH_DEADLINE, VMINTERRUPTS_FUEL, VMINTERRUPTS_STACK_LIMIT, VMOffsets,
} from '../../src/frontend/vm-offsets.js';
import { TrapCode } from '../../src/ir/trapcodes.js';
import { nativeStackBounds } from '../../native/index.js';
import { Engine } from '../../src/runtime/engine.js';
import { Store } from '../../src/runtime/store.js';
import { RuntimeError } from '../../src/runtime/errors.js';
import { createVMInstance } from '../../src/runtime/vmcontext.js';
import { resolveImports } from '../../src/runtime/link.js';
import { activation } from '../../src/runtime/activation.js';
import { HandModule } from './helpers.js';
import { wat } from '../frontend/wasm-builder.js';

/** Calls builtins[id](vmctx) with vmctx in rbx; leaves the status in eax. Needs rsp 16-byte aligned. */
function callBuiltin(a: HandModule['a'], id: number): void {
  a.movRR(8, RDI, RBX);
  a.movRM(8, RAX, mem(RBX, VMCTX_BUILTINS));
  a.callM(mem(RAX, id * 8));
}

/**
 * loop(n) -> n: n ≥ 1 iterations, each charging COST fuel with the `memory` strategy's flush-and-check; when the
 * counter reaches ≥ 0 it calls OutOfFuel, traps on a nonzero status and resumes on 0.
 */
const COST = 3;
function fuelLoop(): HandModule {
  const m = new HandModule();
  m.func((a, mod) => {
    const loop = a.newLabel();
    const resume = a.newLabel();
    const outOfFuel = a.newLabel();
    a.push(RBP);
    a.movRR(8, RBP, RSP);
    a.push(RBX);
    a.push(R12);
    a.push(R13);
    a.aluRI(AluOp.Sub, 8, RSP, 8);
    a.movRR(8, RBX, RDI);
    a.movRR(4, R12, RSI);
    a.movRR(4, R13, RSI);
    a.bind(loop);
    a.movRM(8, RAX, mem(RBX, VMCTX_INTERRUPTS));
    a.aluMI(AluOp.Add, 8, mem(RAX, VMINTERRUPTS_FUEL), COST);
    a.jcc(Cond.NS, outOfFuel);
    a.bind(resume);
    a.aluRI(AluOp.Sub, 4, R12, 1);
    a.jcc(Cond.NE, loop);
    a.movRR(4, RAX, R13);
    a.aluRI(AluOp.Add, 8, RSP, 8);
    a.pop(R13);
    a.pop(R12);
    a.pop(RBX);
    a.pop(RBP);
    a.ret();
    a.bind(outOfFuel);
    callBuiltin(a, Builtin.OutOfFuel);
    a.testRR(4, RAX, RAX);
    a.jcc(Cond.E, resume);
    mod.trap(TrapCode.unreachable, 0); // the builtin's recorded trap (out_of_fuel) wins over the site's code
  });
  return m;
}

async function instanceWith(text: string, code: { functionAddress(i: number): number }, store: Store, imports: object = {}) {
  const module = parseModule(await wat(text));
  const instance = createVMInstance(module, store, code, resolveImports(module, imports));
  instance.runActiveSegments();
  return instance;
}

describe('fuel', () => {
  it('traps when the counter reaches zero, reports exact consumption, and runs again after addFuel', async () => {
    const engine = new Engine({ consumeFuel: true });
    const store = new Store(engine);
    const code = fuelLoop().load('fuel');
    const instance = await instanceWith('(module (func (export "loop") (param i32) (result i32) unreachable))', code, store);
    const loop = instance.exports.loop as (n: number) => number;

    expect(store.getFuel()).toBe(0n); // a new store has no fuel: the first check traps
    expect(() => loop(1)).toThrow('all fuel consumed');
    expect(store.fuelConsumed()).toBe(3n);

    store.setFuel(10);
    let error: unknown;
    try {
      loop(100);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).trap).toBe(TrapCode.out_of_fuel);
    // 4 iterations ran (the 4th flush took the counter from -1 to +2): 12 consumed, exactly.
    expect(store.fuelConsumed()).toBe(3n + 12n);
    expect(store.getFuel()).toBe(0n);

    store.addFuel(30n);
    expect(store.getFuel()).toBe(30n);
    expect(loop(5)).toBe(5);
    expect(store.getFuel()).toBe(15n);
    expect(store.fuelConsumed()).toBe(15n + 15n);

    // Exactly enough fuel still traps: a counter of 0 is "out of fuel" (wasmtime's rule).
    store.setFuel(6);
    expect(() => loop(2)).toThrow('all fuel consumed');
    expect(store.fuelConsumed()).toBe(36n);
    store.setFuel(7);
    expect(loop(2)).toBe(2);
    expect(store.getFuel()).toBe(1n);
    expect(store.fuelConsumed()).toBe(42n);
    expect(activation().entrySp).toBe(0);
  });

  it('checks arguments and refuses fuel calls on an engine without consumeFuel', () => {
    const store = new Store(new Engine({ consumeFuel: true }));
    expect(() => store.setFuel(-1)).toThrow(RangeError);
    expect(() => store.setFuel(1.5)).toThrow(RangeError);
    expect(() => store.setFuel(2n ** 63n)).toThrow(RangeError);
    expect(() => store.setFuel('5' as never)).toThrow(TypeError);
    store.setFuel(2n ** 63n - 1n);
    expect(() => store.addFuel(1)).toThrow(RangeError);
    expect(store.getFuel()).toBe(2n ** 63n - 1n);
    const plain = new Store(new Engine());
    expect(() => plain.getFuel()).toThrow(/consumeFuel: true/);
    expect(() => plain.setFuel(1)).toThrow(/consumeFuel: true/);
    expect(() => plain.fuelConsumed()).toThrow(/consumeFuel: true/);
  });
});

describe('epoch interruption', () => {
  it('traps with "interrupted" once the engine epoch reaches the store deadline', async () => {
    const engine = new Engine({ epochInterruption: true });
    const store = new Store(engine);
    const module = parseModule(await wat('(module (import "env" "tick" (func)) (func (export "spin") (param i32)))'));
    const importOffset = new VMOffsets(module).importedFunction(0);
    expect(importOffset).toBeGreaterThan(0);
    // spin(n): n iterations, each checking the epoch deadline, then calling import 0 ("tick").
    const m = new HandModule();
    m.func((a, mod) => {
      const loop = a.newLabel();
      const done = a.newLabel();
      const deadline = a.newLabel();
      const resume = a.newLabel();
      a.push(RBP);
      a.movRR(8, RBP, RSP);
      a.push(RBX);
      a.push(R12);
      a.movRR(8, RBX, RDI);
      a.movRR(4, R12, RSI);
      a.bind(loop);
      a.testRR(4, R12, R12);
      a.jcc(Cond.E, done);
      a.movRM(8, RAX, mem(RBX, VMCTX_INTERRUPTS));
      a.movRM(8, RCX, mem(RAX, VMINTERRUPTS_EPOCH_COUNTER));
      a.movRM(8, RCX, mem(RCX, 0));
      a.aluRM(AluOp.Cmp, 8, RCX, mem(RAX, VMINTERRUPTS_EPOCH_DEADLINE));
      a.jcc(Cond.AE, deadline);
      a.bind(resume);
      a.movRM(8, RDI, mem(RBX, importOffset + VMFUNCTION_IMPORT_VMCTX));
      a.callM(mem(RBX, importOffset + VMFUNCTION_IMPORT_CODE));
      a.aluRI(AluOp.Sub, 4, R12, 1);
      a.jmp(loop);
      a.bind(done);
      a.pop(R12);
      a.pop(RBX);
      a.pop(RBP);
      a.ret();
      a.bind(deadline);
      callBuiltin(a, Builtin.EpochDeadline);
      a.testRR(4, RAX, RAX);
      a.jcc(Cond.E, resume);
      mod.trap(TrapCode.unreachable, 1);
    });
    const code = m.load('epoch');
    let ticks = 0;
    const instance = createVMInstance(module, store, code, resolveImports(module, {
      env: { tick: () => { ticks++; engine.incrementEpoch(); } },
    }));
    const spin = instance.exports.spin as (n: number) => void;
    spin(10); // default deadline: never
    expect(ticks).toBe(10);
    store.setEpochDeadline(3);
    expect(store.epochDeadline).toBe(engine.epoch + 3n);
    expect(() => spin(10)).toThrow('interrupted');
    expect(ticks).toBe(13);
    store.setEpochDeadline(100);
    spin(5);
    expect(ticks).toBe(18);
    expect(() => new Store(new Engine()).setEpochDeadline(1)).toThrow(/epochInterruption: true/);
  });
});

describe('stack overflow', () => {
  it('unbounded recursion with the prologue stack check traps instead of crashing; calls work afterwards', async () => {
    const store = new Store(new Engine());
    const { high } = nativeStackBounds();
    expect(store.stackLimit).toBe(Number(high) - 1024 * 1024);
    const m = new HandModule();
    // depth(n) = n == 0 ? 0 : depth(n - 1) + 1, with the prologue check against VMInterrupts.stackLimit.
    m.func((a, mod) => {
      const overflow = a.newLabel();
      const bottom = a.newLabel();
      a.movRM(8, RAX, mem(RDI, VMCTX_INTERRUPTS));
      a.aluRM(AluOp.Cmp, 8, RSP, mem(RAX, VMINTERRUPTS_STACK_LIMIT));
      a.jcc(Cond.B, overflow);
      a.testRR(4, RSI, RSI);
      a.jcc(Cond.E, bottom);
      a.push(RBP);
      a.movRR(8, RBP, RSP);
      a.aluRI(AluOp.Sub, 4, RSI, 1);
      a.callExternal(0);
      a.aluRI(AluOp.Add, 4, RAX, 1);
      a.pop(RBP);
      a.ret();
      a.bind(bottom);
      a.aluRR(AluOp.Xor, 4, RAX, RAX);
      a.ret();
      a.bind(overflow);
      mod.trap(TrapCode.stack_overflow, 0);
    });
    const code = m.load('recursion');
    const instance = await instanceWith('(module (func (export "depth") (param i32) (result i32) unreachable))', code, store);
    const depth = instance.exports.depth as (n: number) => number;
    expect(depth(10_000)).toBe(10_000); // 16 bytes a level: 160 KB, well inside the 1 MiB budget
    for (let round = 0; round < 3; round++) {
      let error: unknown;
      try {
        depth(1_000_000_000);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuntimeError);
      expect((error as RuntimeError).message).toBe('call stack exhausted');
      expect((error as RuntimeError).wasmFrames.length).toBe(65); // the site + 64 return addresses (the cap)
      expect(new Set((error as RuntimeError).wasmFrames.map((f) => f.funcIndex))).toEqual(new Set([0]));
      expect(activation().entrySp).toBe(0);
      expect(depth(1000)).toBe(1000);
    }
    // About maxWasmStack / 16 levels fit: 60 000 do, 70 000 do not.
    expect(depth(60_000)).toBe(60_000);
    expect(() => depth(70_000)).toThrow('call stack exhausted');
  });
});
