// The differential harness proven on V8: V8 against itself must agree on every trace entry, and a namespace broken
// on purpose (one channel at a time) must be caught. kindling against V8 runs once its namespace exists.
import { describe, expect, it } from 'vitest';
import { runDifferential, summarizeReport, type DifferentialReport } from './differential.js';
import { faultyNamespace, type Fault } from './faulty-namespace.js';
import { findWasmOpt } from './fuzz-module.js';
import { KINDLING_PENDING, kindlingNamespace } from './kindling-namespace.js';

const wasmOpt = findWasmOpt();
const NO_WASM_OPT = 'skipped: wasm-opt (binaryen) not on PATH; scripts/install-system-deps.sh installs it';

describe.skipIf(wasmOpt === null)('runDifferential', () => {
  it('finds V8 and V8 identical over 30 random modules, which exercise results, traps and host calls', () => {
    // The budget bounds the run on a loaded machine (~5 s when idle); a shortened run must still be substantial.
    const report = runDifferential(WebAssembly, WebAssembly, { count: 30, seed: 2024, timeBudgetMs: 20_000 });
    console.log(summarizeReport(report));
    expect(report.divergences.map((d) => d.message)).toEqual([]);
    const m = report.modulesRun;
    if (report.stoppedEarly === null) {
      expect(m).toBe(30);
      expect(report.traps).toBeGreaterThanOrEqual(10); // the traps come late: none in the first 13 modules
    } else {
      expect(report.stoppedEarly === 'time budget' && m >= 10).toBe(true);
    }
    expect(report.modulesSkipped).toEqual([]);
    expect(report.setupFailures).toBe(0);
    expect(report.unparsed).toBe(0);
    // The comparison means something only if the modules do things. Measured on binaryen 108, seed 2024, 30 modules:
    // 454 calls, 246 returning values, 24 traps, 367 host calls; the bounds below hold for every prefix of them.
    expect(report.calls).toBeGreaterThanOrEqual(7 * m);
    expect(report.valueReturns).toBeGreaterThanOrEqual(4 * m);
    expect(report.hostCalls).toBeGreaterThanOrEqual(4 * m);
  });

  const faults: ReadonlyArray<readonly [Fault, RegExp, RegExp]> = [
    // [fault, what A's first differing entry looks like, what B's looks like]
    ['i32-result-plus-one', /^=> .*i32:/, /^=> .*i32:/],
    ['memory-bit-flip', /^state memory=/, /^state memory=/],
    ['drop-host-call', /^host fuzzing-support\.log-/, /./],
  ];
  for (const [fault, aPattern, bPattern] of faults) {
    it(`catches a namespace with the fault '${fault}'`, () => {
      const broken = faultyNamespace(WebAssembly, fault);
      const report = runDifferential(WebAssembly, broken, { count: 10, seed: 7, maxDivergences: 1, nameB: fault });
      expect(report.divergences.length).toBe(1);
      const d = report.divergences[0];
      expect(d.a?.key).toMatch(aPattern);
      expect(d.b?.key).toMatch(bPattern);
      expect(d.a?.key).not.toBe(d.b?.key);
      expect(d.message).toContain(`seed ${d.moduleSeed}`);
      expect(d.message).toContain(`${fault}: `);
      if (fault === 'i32-result-plus-one') {
        const [x, y] = [d.a!.key, d.b!.key].map((k) => Number(/i32:(-?\d+)/.exec(k)![1]));
        expect(y).toBe((x + 1) | 0);
      }
      expect(report.stoppedEarly === 'max divergences' || report.modulesRun === 10).toBe(true);
      // The replay recipe in the message reproduces exactly this divergence.
      const replay = runDifferential(WebAssembly, broken, { count: 1, seed: 7, firstIndex: d.moduleIndex });
      expect(replay.divergences.map((r) => [r.moduleSeed, r.index, r.a, r.b])).toEqual([[d.moduleSeed, d.index, d.a, d.b]]);
    });
  }

  it('stops starting modules when the time budget is spent', () => {
    const report: DifferentialReport = runDifferential(WebAssembly, WebAssembly, { count: 50, seed: 3, timeBudgetMs: 0 });
    expect(report.stoppedEarly).toBe('time budget');
    expect(report.modulesRun).toBeLessThanOrEqual(1);
  });
});

describe('kindling against V8', () => {
  if (wasmOpt === null || kindlingNamespace === null) {
    it.skip(wasmOpt === null ? NO_WASM_OPT : `skipped: ${KINDLING_PENDING}`, () => {});
    return;
  }
  const kindling = kindlingNamespace;
  // KINDLING_DIFF_COUNT=500 runs a longer campaign locally.
  const count = Number(process.env.KINDLING_DIFF_COUNT ?? 30);
  it(`agrees with V8 over ${count} random modules`, () => {
    const report = runDifferential(WebAssembly, kindling, {
      count,
      seed: 2024,
      timeBudgetMs: process.env.KINDLING_DIFF_COUNT ? undefined : 20_000,
      nameA: 'V8',
      nameB: 'kindling',
    });
    console.log(summarizeReport(report));
    expect(report.divergences.map((d) => d.message)).toEqual([]);
  });
});

if (wasmOpt === null) it.skip(NO_WASM_OPT, () => {});
