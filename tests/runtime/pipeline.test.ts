// The compile pipeline (pipeline.ts): what it hands the loader, timings, settings per engine, and compile time that
// stays linear in a huge br_table (the spec suite's br_table.wast has one with ~24,000 targets).
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/index.js';
import { findCodeRange } from '../../src/runtime/code-map.js';
import {
  buildModuleMachineCode, codegenSettings, compileModuleCode, functionName, parseAndValidateModule,
} from '../../src/runtime/pipeline.js';
import { wat } from './wat.js';

describe('compile pipeline', () => {
  it('one code buffer: the raise landing pad at 0, functions 16-byte aligned, calls and trap sites mapped', async () => {
    const info = parseAndValidateModule(
      await wat(`(module (import "env" "f" (func))
        (func $a (export "a") (param i32) (result i32) (i32.div_u (i32.const 7) (local.get 0)))
        (func $b (result i32) (call $a (i32.const 1))))`),
    );
    const compiled = compileModuleCode(info, codegenSettings(new Engine()), 'pipeline-test');
    const { machine, loaded } = compiled;
    expect(Array.from(machine.bytes.subarray(0, 2))).toEqual([0xff, 0x25]);
    expect(machine.functions.map((f) => f.funcIndex)).toEqual([1, 2]);
    for (const f of machine.functions) expect(f.start % 16).toBe(0);
    // The loaded code knows its functions by defined index and is registered with names for backtraces.
    const range = findCodeRange(loaded.functionAddress(0))!;
    expect(range.name).toBe('pipeline-test');
    expect(range.functions!.find(loaded.functionAddress(1) - loaded.start)).toBe(2);
    expect(range.functionNames![1]).toBe('a');
    expect(range.functionNames![2]).toBe('b');
    expect(range.trapTable!.size).toBe(machine.trapTable.length);
    expect(range.callSites!.returnOffsets.length).toBeGreaterThan(0);
    expect(functionName(info, 0)).toBe('f0');
  });

  it('compiles with the engine settings: fuel instrumentation only when the engine consumes fuel', async () => {
    const info = parseAndValidateModule(await wat('(module (func (loop $l (br $l))))'));
    const plain = buildModuleMachineCode(info, codegenSettings(new Engine()));
    const fueled = buildModuleMachineCode(info, codegenSettings(new Engine({ consumeFuel: true, fuelStrategy: 'memory' })));
    const traps = (m: typeof plain) => Array.from(m.machine.trapTable.codes);
    expect(fueled.machine.bytes.length).toBeGreaterThan(plain.machine.bytes.length);
    expect(traps(fueled).length).toBeGreaterThan(traps(plain).length);
  });

  it('fills every timing and size field when asked', async () => {
    const info = parseAndValidateModule(await wat('(module (func (export "f") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0))))'));
    const { timings } = buildModuleMachineCode(info, codegenSettings(new Engine()), { timings: true });
    expect(timings).not.toBeNull();
    expect(timings!.functions).toBe(1);
    expect(timings!.wasmCodeBytes).toBe(info.functions[0]!.bodyEnd - info.functions[0]!.bodyStart);
    expect(timings!.machineBytes).toBeGreaterThan(0);
    expect(timings!.totalMs).toBeGreaterThan(0);
    expect(buildModuleMachineCode(info, codegenSettings(new Engine())).timings).toBeNull();
  });

  it('a br_table with 30,000 targets compiles in well under the time a quadratic pass would take', async () => {
    // (block × 3 (br_table 0 1 2 0 1 2 … (local.get 0)))
    const targets = Array.from({ length: 30_000 }, (_, i) => i % 3).join(' ');
    const info = parseAndValidateModule(
      await wat(`(module (func (export "f") (param i32) (result i32)
        (block (block (block (br_table ${targets} 0 (local.get 0))) (return (i32.const 0))) (return (i32.const 1))) (i32.const 2)))`),
    );
    const started = performance.now();
    buildModuleMachineCode(info, codegenSettings(new Engine()));
    // Linear work is a few seconds at most even on a loaded machine; the O(n²) predecessor scan took minutes.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
