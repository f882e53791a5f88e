// Synthetic benchmark outcomes and reports for the pure parts of the harness (no child processes).
import type { EngineName } from '../../bench/harness/engine-registry.js';
import type { ProgramEntry } from '../../bench/harness/manifest.js';
import { engineEntries, geomeans, programReport, type BenchReport } from '../../bench/harness/report.js';
import type { EngineOutcome, ProgramOutcome } from '../../bench/harness/runner.js';

export function fakeProgram(name: string): ProgramEntry {
  const size = { n: 1, checksum: '0x00000001' };
  return { name, description: `${name} test program`, source: `${name}.c`, wasm: `${name}.wasm`, sha256: '0'.repeat(64), entry: 'run', result: 'i32', sizes: { tiny: size, quick: size, default: size } };
}

/** runMs and compileMs sample lists per engine. */
export type FakeTimes = Partial<Record<EngineName, { run: number[]; compile: number[]; error?: string; fuel?: string }>>;

export function fakeOutcome(name: string, times: FakeTimes): ProgramOutcome {
  const engines: EngineOutcome[] = Object.entries(times).map(([engine, t]) => ({
    engine: engine as EngineName,
    samples: { compileMs: t.compile, instantiateMs: t.compile.map(() => 0.1), runMs: t.run, runCpuMs: t.run },
    checksum: '0x00000001',
    ...(t.error !== undefined ? { error: t.error } : {}),
    ...(t.fuel !== undefined ? { fuel: t.fuel } : {}),
  }));
  return { program: fakeProgram(name), n: 1, expectedChecksum: '0x00000001', engines, failures: [] };
}

export function fakeReport(outcomes: readonly ProgramOutcome[], engines: readonly EngineName[]): BenchReport {
  const programs = outcomes.map(programReport);
  return {
    schema: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    size: 'quick',
    warmup: 1,
    runs: 3,
    machine: { cpu: 'Test CPU <&>', cores: 2, memoryGiB: 8, platform: 'linux-x64', node: 'v20.0.0', v8: '11.3', loadAverage: [0.5, 0.4, 0.3] },
    engines: engineEntries(engines, new Map()),
    programs,
    geomean: geomeans(programs, engines),
    failures: [],
    durationS: 1,
  };
}
