// The results document (bench/results/latest.json): per program and engine the timing summaries and raw samples,
// ratios against V8 TurboFan and against kindling without fuel, the agreed fuel count; geomeans per engine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { ENGINE_SPECS, KINDLING_BASELINE, TURBOFAN_BASELINE, type EngineName } from './engine-registry.js';
import type { SizeClass } from './manifest.js';
import type { EngineSamples, ProgramOutcome } from './runner.js';
import { geomean, ratio, summarize, type Summary } from './stats.js';

export interface EngineReport {
  readonly ok: boolean;
  readonly error?: string;
  readonly compileMs?: Summary;
  readonly instantiateMs?: Summary;
  readonly runMs?: Summary;
  readonly runCpuMs?: Summary;
  /** Median run time / the baseline's median run time (same for compile). */
  readonly runVsTurbofan?: number;
  readonly compileVsTurbofan?: number;
  readonly runVsKindling?: number;
  readonly checksum?: string;
  readonly fuel?: string | null;
  readonly samples: EngineSamples;
}

export interface ProgramReport {
  readonly name: string;
  readonly description: string;
  readonly n: number;
  readonly expectedChecksum: string;
  readonly engines: Partial<Record<EngineName, EngineReport>>;
}

export interface EngineGeomean {
  readonly programs: number;
  readonly runVsTurbofan?: number;
  readonly compileVsTurbofan?: number;
  readonly runVsKindling?: number;
}

export interface EngineEntry {
  readonly name: EngineName;
  readonly description: string;
  readonly nodeFlags: readonly string[];
  readonly selected: boolean;
  /** Why the engine cannot run here, for unavailable engines. */
  readonly unavailable?: string;
}

export interface BenchReport {
  readonly schema: 1;
  readonly createdAt: string;
  readonly size: SizeClass;
  readonly warmup: number;
  readonly runs: number;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly platform: string;
    readonly node: string;
    readonly v8: string;
    /** 1, 5 and 15 minute load averages when the run started: above the core count, timings are noisy. */
    readonly loadAverage: readonly number[];
  };
  readonly engines: readonly EngineEntry[];
  readonly programs: readonly ProgramReport[];
  readonly geomean: Partial<Record<EngineName, EngineGeomean>>;
  readonly failures: readonly string[];
  readonly durationS: number;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Summaries and ratios of one program's outcome. */
export function programReport(outcome: ProgramOutcome): ProgramReport {
  const summaries = new Map<EngineName, { compile?: Summary; instantiate?: Summary; run?: Summary; runCpu?: Summary }>();
  for (const e of outcome.engines) {
    const ok = e.error === undefined && e.samples.runMs.length > 0;
    summaries.set(
      e.engine,
      ok
        ? { compile: summarize(e.samples.compileMs), instantiate: summarize(e.samples.instantiateMs), run: summarize(e.samples.runMs), runCpu: summarize(e.samples.runCpuMs) }
        : {},
    );
  }
  const tf = summaries.get(TURBOFAN_BASELINE);
  const kindling = summaries.get(KINDLING_BASELINE);
  const engines: Partial<Record<EngineName, EngineReport>> = {};
  for (const e of outcome.engines) {
    const s = summaries.get(e.engine)!;
    engines[e.engine] = {
      ok: e.error === undefined,
      ...optional('error', e.error),
      ...optional('compileMs', s.compile),
      ...optional('instantiateMs', s.instantiate),
      ...optional('runMs', s.run),
      ...optional('runCpuMs', s.runCpu),
      ...optional('runVsTurbofan', ratio(s.run?.median, tf?.run?.median)),
      ...optional('compileVsTurbofan', ratio(s.compile?.median, tf?.compile?.median)),
      ...optional('runVsKindling', ratio(s.run?.median, kindling?.run?.median)),
      ...optional('checksum', e.checksum),
      ...optional('fuel', e.fuel),
      samples: e.samples,
    };
  }
  return { name: outcome.program.name, description: outcome.program.description, n: outcome.n, expectedChecksum: outcome.expectedChecksum, engines };
}

/** Geomean of each ratio per engine, over the programs where that ratio exists. */
export function geomeans(programs: readonly ProgramReport[], engines: readonly EngineName[]): Partial<Record<EngineName, EngineGeomean>> {
  const result: Partial<Record<EngineName, EngineGeomean>> = {};
  for (const engine of engines) {
    const pick = (key: 'runVsTurbofan' | 'compileVsTurbofan' | 'runVsKindling'): number | undefined =>
      geomean(programs.map((p) => p.engines[engine]?.[key]).filter((v): v is number => v !== undefined));
    result[engine] = {
      programs: programs.filter((p) => p.engines[engine]?.runMs !== undefined).length,
      ...optional('runVsTurbofan', pick('runVsTurbofan')),
      ...optional('compileVsTurbofan', pick('compileVsTurbofan')),
      ...optional('runVsKindling', pick('runVsKindling')),
    };
  }
  return result;
}

export function machineInfo(): BenchReport['machine'] {
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()}-${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function engineEntries(selected: readonly EngineName[], unavailable: ReadonlyMap<EngineName, string>): EngineEntry[] {
  return ENGINE_SPECS.map((spec) => ({
    name: spec.name,
    description: spec.description,
    nodeFlags: spec.nodeFlags,
    selected: selected.includes(spec.name),
    ...optional('unavailable', unavailable.get(spec.name)),
  }));
}

/** Writes latest.json and latest.svg into `dir` (created if needed); returns their paths. */
export function writeResults(dir: string, report: BenchReport, svg: string): { json: string; svg: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const chart = join(dir, 'latest.svg');
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(chart, svg);
  return { json, svg: chart };
}
