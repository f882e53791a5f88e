// The benchmark run end to end: pick programs and engines, run each program on all engines (runner.ts), print rows
// as programs finish, then geomeans; write bench/results/latest.json and latest.svg; fail loudly on any mismatch.
import { performance } from 'node:perf_hooks';
import { BenchError } from './engine-process.js';
import { ENGINE_SPECS, type EngineName, type EngineSpec } from './engine-registry.js';
import { loadManifest, selectPrograms } from './manifest.js';
import type { BenchOptions } from './options.js';
import { defaultProgramsDir, defaultResultsDir } from './paths.js';
import { engineEntries, geomeans, machineInfo, programReport, writeResults, type BenchReport, type ProgramReport } from './report.js';
import { runProgram } from './runner.js';
import { prepareUserModule } from './user-module.js';
import { benchChartSvg } from './svg-chart.js';
import { geomeanRows, programRows, ProgressLine, tableHeader } from './table.js';

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

export interface BenchIo {
  /** The table. */
  readonly out: Stream;
  /** Progress and problems. */
  readonly err: Stream;
}

export interface BenchRun {
  readonly report: BenchReport;
  /** 0 when every checksum and fuel count matched and every engine ran; 1 otherwise. */
  readonly exitCode: number;
  readonly files?: { readonly json: string; readonly svg: string };
}

/** Which engines run: the requested ones (each must be available) or every available one. */
async function chooseEngines(requested: readonly EngineName[] | undefined): Promise<{ selected: EngineSpec[]; unavailable: Map<EngineName, string> }> {
  const unavailable = new Map<EngineName, string>();
  for (const spec of ENGINE_SPECS) {
    const reason = await spec.probe();
    if (reason !== undefined) unavailable.set(spec.name, reason);
  }
  if (requested === undefined) return { selected: ENGINE_SPECS.filter((s) => !unavailable.has(s.name)), unavailable };
  const blocked = requested.filter((name) => unavailable.has(name));
  if (blocked.length > 0) {
    throw new BenchError(`requested engine(s) cannot run here:\n${blocked.map((name) => `  ${name}: ${unavailable.get(name)}`).join('\n')}`);
  }
  return { selected: ENGINE_SPECS.filter((s) => requested.includes(s.name)), unavailable };
}

export async function runBench(options: BenchOptions, io: BenchIo = { out: process.stdout, err: process.stderr }, childScript?: string): Promise<BenchRun> {
  const started = performance.now();
  const machine = machineInfo();
  const red = (text: string): string => (io.err.isTTY ? `\x1b[1;31m${text}\x1b[0m` : text);
  const user = options.userModule !== undefined ? prepareUserModule(options.userModule) : undefined;
  const programsDir = user?.programsDir ?? options.programsDir ?? defaultProgramsDir();
  const programs = selectPrograms(loadManifest(programsDir), user !== undefined ? [user.program] : options.programs);
  const { selected, unavailable } = await chooseEngines(options.engines);
  if (selected.length === 0) throw new BenchError('no engine to run');
  const engineNames = selected.map((s) => s.name);

  io.out.write(`kindling bench: ${programs.length} program(s), ${options.size} sizes, ${options.warmup} warm-up + ${options.runs} measured run(s) per engine\n`);
  io.out.write(`engines: ${engineNames.join(', ')}\n`);
  if (machine.loadAverage[0]! > machine.cores / 2) {
    io.err.write(`note: load average ${machine.loadAverage[0]} on ${machine.cores} cores: other work competes for the CPU, timings will be noisy (latest.json also records CPU time per run)\n`);
  }
  for (const [name, reason] of unavailable) if (options.engines === undefined) io.out.write(`skipped: ${name} (${reason})\n`);
  io.out.write('\n' + tableHeader().join('\n') + '\n');

  const progress = new ProgressLine(io.err, programs.length);
  const reports: ProgramReport[] = [];
  const failures: string[] = [];
  for (const program of programs) {
    const outcome = await runProgram(
      program,
      { engines: selected, size: options.size, warmup: options.warmup, runs: options.runs, programsDir, timeoutMs: options.timeoutMs, ...(childScript ? { childScript } : {}) },
      (event) => progress.update(event),
    );
    progress.clear();
    const report = programReport(outcome);
    reports.push(report);
    io.out.write(programRows(report, engineNames).join('\n') + '\n');
    for (const failure of outcome.failures) io.err.write(red(`FAILED ${failure}`) + '\n');
    failures.push(...outcome.failures);
  }

  const geo = geomeans(reports, engineNames);
  io.out.write('\n' + geomeanRows(geo, engineNames, reports.length).join('\n') + '\n');
  const report: BenchReport = {
    schema: 1,
    createdAt: new Date().toISOString(),
    size: options.size,
    warmup: options.warmup,
    runs: options.runs,
    machine,
    engines: engineEntries(engineNames, unavailable),
    programs: reports,
    geomean: geo,
    failures,
    durationS: Math.round((performance.now() - started) / 100) / 10,
  };
  let files: BenchRun['files'];
  if (options.write) {
    files = writeResults(options.outDir ?? defaultResultsDir(), report, benchChartSvg(report));
    io.out.write(`\nwrote ${files.json} and ${files.svg} (${report.durationS} s)\n`);
  }
  if (failures.length > 0) {
    io.err.write(red(`\n${failures.length} FAILURE(S): the numbers above are not trustworthy`) + '\n');
    for (const failure of failures) io.err.write(red(`  ${failure}`) + '\n');
  }
  return { report, exitCode: failures.length > 0 ? 1 : 0, ...(files ? { files } : {}) };
}
