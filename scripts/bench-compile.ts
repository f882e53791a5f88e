/**
 * Compile throughput of the whole pipeline (issue #5): MB/s of code-section bytes per phase and in total, IR
 * instructions per second and peak memory, next to V8 TurboFan and Liftoff measured in the same run.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench-compile.js [FILE.wasm] [options]
 *
 * options:
 *   --functions N      size of the generated default module (clang -O2 over N generated C functions; default 3000)
 *   --runs N           measured runs per configuration after one warm-up run (default 3; the best run is reported)
 *   --fuel LIST        fuel modes to measure, comma-separated from off,variable,memory (default all three)
 *   --opt N            IR optimisation level (default 2)
 *   --no-v8            skip the V8 child processes
 *   --no-programs      skip the bench/programs/*.wasm aggregate
 *   --no-module        skip the end-to-end `new Module` measurement (needs native code memory)
 *   --phase-cpu        also measure CPU time per phase (one getrusage per phase call: adds a few % overhead)
 *   --fresh-ir         phase table: translate every function into a new IrFunction (the runtime pipeline, and by
 *                      default this table, reuse one IrFunction and one FunctionTranslator per module)
 *   --json FILE        also write every number as JSON
 *
 * What is measured:
 * - Phases: the pipeline run function by function, each phase timed separately (wall: performance.now; with
 *   --phase-cpu also CPU: process.cpuUsage, i.e. all threads of this process, so concurrent GC work is included):
 *   parse, validate, translate, passes, lower, regalloc, emit (per function), finish (branch relaxation, constants,
 *   labels). The `sum of phases` row has the whole instrumented run's CPU; the `pipeline` row is the runtime's own
 *   pipeline (compileModuleCode, performance.now only) and adds link/load; `new Module` is end to end.
 * - V8: one child `node --no-liftoff --no-wasm-lazy-compilation --single-threaded` timing `new WebAssembly.Module`
 *   (TurboFan), one with `--liftoff --no-wasm-tier-up --no-wasm-lazy-compilation --single-threaded` (Liftoff). Each
 *   run gets a distinct custom section appended so V8's native-module cache cannot serve a repeat compile.
 * - Peak memory: this process's peak RSS (getrusage maxrss), and the largest V8 heap in use sampled every 64
 *   functions and at phase ends.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parseModule, validateFunction, type ModuleInfo } from '../src/frontend/index.js';
import { FunctionTranslator, translateFunction } from '../src/frontend/translate.js';
import { IrFunction } from '../src/ir/index.js';
import { runPasses } from '../src/ir/passes/index.js';
import { Emitter } from '../src/isel/emit.js';
import { Lowerer } from '../src/isel/lower.js';
import { sysvMachineEnv } from '../src/isel/regalloc-env.js';
import { allocateRegisters } from '../src/isel/regalloc.js';
import { backendOptions, compileModuleCode, functionName, moduleSigIds, trapFuelFor, type FuelMode } from '../src/runtime/pipeline.js';
import { Assembler } from '../src/x64/index.js';
import { generateBenchC } from './frontend-bench-c.js';
import { codeSectionBytes } from './frontend-bench-module.js';

// ---------------------------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1]! : fallback;
}
const flag = (name: string): boolean => argv.includes(`--${name}`);
const VALUE_OPTIONS = new Set(['--functions', '--runs', '--fuel', '--opt', '--json']);
const positional = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && VALUE_OPTIONS.has(argv[i - 1]!)));

const functionsOption = Number(option('functions', '3000'));
const runs = Math.max(1, Number(option('runs', '3')));
const optLevel = Number(option('opt', '2')) as 0 | 1 | 2;
const fuelModes = option('fuel', 'off,variable,memory').split(',') as FuelMode[];
for (const f of fuelModes) {
  if (f !== 'off' && f !== 'variable' && f !== 'memory') fail(`--fuel: unknown mode '${f}' (off, variable, memory)`);
}
const jsonFile = option('json', '');
/** CPU time per phase costs a getrusage per phase call (2–50 µs here, more under load or a profiler): opt-in. */
const phaseCpu = flag('phase-cpu');
/**
 * Translate into one reused IrFunction with one FunctionTranslator (FunctionTranslator.translate's `into`), as the
 * runtime pipeline does; --fresh-ir shows the cost of a new IrFunction per function instead.
 */
const reuseIr = !flag('fresh-ir');

function fail(message: string): never {
  console.error(`bench-compile: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// The module

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The default module: generated C compiled by clang -O2 to wasm32 (no SIMD: kindling has none yet); cached. */
function generatedModule(functions: number): { bytes: Uint8Array; source: string } {
  const dir = join(tmpdir(), 'kindling-bench-compile');
  mkdirSync(dir, { recursive: true });
  const wasmPath = join(dir, `bench-${functions}.wasm`);
  if (!existsSync(wasmPath)) {
    const cPath = join(dir, `bench-${functions}.c`);
    writeFileSync(cPath, generateBenchC(functions));
    console.log(`compiling ${functions} generated C functions with clang (cached in ${dir}) …`);
    try {
      execFileSync('clang', ['--target=wasm32', '-O2', '-nostdlib', '-Wl,--no-entry', '-Wl,--export-all', '-o', wasmPath, cPath], {
        stdio: 'inherit',
      });
    } catch (e) {
      fail(`clang failed (${e instanceof Error ? e.message : String(e)}); pass a .wasm file instead`);
    }
  }
  return { bytes: new Uint8Array(readFileSync(wasmPath)), source: `${wasmPath} (clang -O2, ${functions} generated C functions)` };
}

function loadModuleFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    return fail(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Timing

const PHASES = ['parse', 'validate', 'translate', 'passes', 'lower', 'regalloc', 'emit', 'finish'] as const;
type Phase = (typeof PHASES)[number];
const P_PARSE = 0, P_VALIDATE = 1, P_TRANSLATE = 2, P_PASSES = 3, P_LOWER = 4, P_REGALLOC = 5, P_EMIT = 6, P_FINISH = 7;

interface PhasedRun {
  /** Per phase, ms. */
  wall: Float64Array;
  cpu: Float64Array;
  /** Wall and CPU of the whole instrumented run. */
  totalWall: number;
  totalCpu: number;
  functions: number;
  irInstsTranslated: number;
  irInstsOptimized: number;
  vcodeInsts: number;
  machineBytes: number;
  /** FNV-1a of the machine code: equal across runs, fuel-mode aside, unless the compiler's output changed. */
  machineHash: number;
  peakHeap: number;
}

function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/** Phase clock: wall via performance.now, CPU via process.cpuUsage (user + system, all threads). */
class PhaseClock {
  readonly wall = new Float64Array(PHASES.length);
  readonly cpu = new Float64Array(PHASES.length);
  private w = 0;
  private c = process.cpuUsage();

  constructor(private readonly withCpu: boolean) {}

  start(): void {
    if (this.withCpu) this.c = process.cpuUsage();
    this.w = performance.now();
  }

  stop(phase: number): void {
    const w = performance.now();
    this.wall[phase] += w - this.w;
    if (this.withCpu) {
      const c = process.cpuUsage(this.c);
      this.cpu[phase] += (c.user + c.system) / 1000;
    }
  }
}

let peakHeap = 0;
function sampleHeap(): void {
  const used = getHeapStatistics().used_heap_size;
  if (used > peakHeap) peakHeap = used;
}

/** One instrumented compilation of `bytes`, phase by phase and function by function. */
function phasedRun(bytes: Uint8Array, fuel: FuelMode): PhasedRun {
  peakHeap = 0;
  const clock = new PhaseClock(phaseCpu);
  const c0 = process.cpuUsage();
  const t0 = performance.now();

  clock.start();
  const info: ModuleInfo = parseModule(bytes);
  clock.stop(P_PARSE);
  clock.start();
  for (let i = 0; i < info.numDefinedFunctions; i++) validateFunction(info, i);
  clock.stop(P_VALIDATE);
  sampleHeap();

  const options = backendOptions(false);
  const env = sysvMachineEnv();
  const lowerer = new Lowerer(options);
  const assembler = new Assembler(Math.max(4096, info.bytes.length * 4));
  const sigIds = moduleSigIds(info);
  const translator = reuseIr ? new FunctionTranslator() : null;
  const reused = reuseIr ? new IrFunction() : undefined;
  let irInstsTranslated = 0;
  let irInstsOptimized = 0;
  let vcodeInsts = 0;
  const first = info.numImportedFunctions;
  const total = info.functions.length;
  for (let funcIndex = first; funcIndex < total; funcIndex++) {
    clock.start();
    const translateOptions = { fuel, epoch: false, signatureIds: sigIds, name: functionName(info, funcIndex), trapFuel: trapFuelFor(fuel) };
    const func = translator !== null ? translator.translate(info, funcIndex, translateOptions, reused) : translateFunction(info, funcIndex, translateOptions);
    clock.stop(P_TRANSLATE);
    irInstsTranslated += func.dfg.numInsts;
    clock.start();
    runPasses(func, optLevel);
    clock.stop(P_PASSES);
    clock.start();
    const vcode = lowerer.run(func);
    clock.stop(P_LOWER);
    irInstsOptimized += vcode.numIrInsts;
    vcodeInsts += vcode.numInsts;
    clock.start();
    const alloc = allocateRegisters(vcode, env);
    clock.stop(P_REGALLOC);
    clock.start();
    if (funcIndex > first) assembler.align(16);
    new Emitter(assembler, vcode, alloc, options).emitFunction(assembler.newLabel());
    clock.stop(P_EMIT);
    if ((funcIndex & 63) === 0) sampleHeap();
  }
  sampleHeap();
  clock.start();
  const code = assembler.finish();
  clock.stop(P_FINISH);
  const c = process.cpuUsage(c0);
  return {
    wall: clock.wall,
    cpu: clock.cpu,
    totalWall: performance.now() - t0,
    totalCpu: (c.user + c.system) / 1000,
    functions: total - first,
    irInstsTranslated,
    irInstsOptimized,
    vcodeInsts,
    machineBytes: code.bytes.length,
    machineHash: fnv1a(code.bytes),
    peakHeap,
  };
}

interface PipelineRun {
  wall: number;
  cpu: number;
  loadMs: number;
}

/** The runtime's own pipeline (parse, validate, compileModuleCode with loading), as `new Module` runs it. */
function pipelineRun(bytes: Uint8Array, fuel: FuelMode, name: string): PipelineRun {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const info = parseModule(bytes);
  for (let i = 0; i < info.numDefinedFunctions; i++) validateFunction(info, i);
  const artifacts = compileModuleCode(info, { fuel, epoch: false, optLevel }, name, { timings: true });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, loadMs: artifacts.timings!.loadMs };
}

interface Timing {
  wall: number;
  cpu: number;
}

function timeIt(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

function bestBy<T>(xs: T[], key: (x: T) => number): T {
  let best = xs[0] as T;
  for (const x of xs) if (key(x) < key(best)) best = x;
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// V8 in child processes

const V8_CHILD = `
const { readFileSync } = require('node:fs');
const bytes = readFileSync(process.argv[1]);
const runs = Number(process.argv[2]);
const out = [];
for (let r = 0; r < runs; r++) {
  // A distinct custom section per run: V8 caches native modules by their bytes.
  const name = Buffer.from('bench-run-' + r + '-' + process.pid);
  const tag = Buffer.concat([Buffer.from([0, name.length + 1, name.length]), name]);
  const copy = Buffer.concat([bytes, tag]);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  new WebAssembly.Module(copy);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  out.push({ wall, cpu: (c.user + c.system) / 1000 });
}
process.stdout.write(JSON.stringify({ runs: out, maxRssKb: process.resourceUsage().maxRSS }));
`;

const V8_CONFIGS = [
  { label: 'V8 TurboFan', flags: ['--no-liftoff', '--no-wasm-lazy-compilation', '--single-threaded'] },
  { label: 'V8 Liftoff', flags: ['--liftoff', '--no-wasm-tier-up', '--no-wasm-lazy-compilation', '--single-threaded'] },
] as const;

interface V8Result {
  label: string;
  flags: readonly string[];
  runs: Timing[];
  maxRssKb: number;
  error?: string;
}

function runV8(label: string, flags: readonly string[], file: string, n: number): V8Result {
  const child = spawnSync(process.execPath, [...flags, '-e', V8_CHILD, file, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) {
    return { label, flags, runs: [], maxRssKb: 0, error: `exit ${child.status}: ${(child.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
  const parsed = JSON.parse(child.stdout) as { runs: Timing[]; maxRssKb: number };
  return { label, flags, runs: parsed.runs, maxRssKb: parsed.maxRssKb };
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const fileArg = positional[0];
const { bytes, source } = fileArg !== undefined ? { bytes: loadModuleFile(fileArg), source: fileArg } : generatedModule(functionsOption);
const codeBytes = codeSectionBytes(bytes);
if (codeBytes === 0) fail(`${source} has no code section`);
const mb = codeBytes / 1e6;
const mbps = (ms: number): number => mb / (ms / 1000);
const fmtRate = (ms: number): string => (ms > 0 ? mbps(ms).toFixed(2) : '-').padStart(8);

const fmtMs = (ms: number): string => ms.toFixed(1).padStart(9);

// The module file the V8 children read (a generated module is already a file; so is a given one).
const moduleFile = fileArg !== undefined ? resolve(fileArg) : join(tmpdir(), 'kindling-bench-compile', `bench-${functionsOption}.wasm`);

console.log(`module:  ${source}${reuseIr ? '' : '  [--fresh-ir: phase table translates every function into a new IrFunction]'}`);
console.log(`         ${(bytes.length / 1e6).toFixed(2)} MB total, ${mb.toFixed(3)} MB code section; optLevel ${optLevel}; ${runs} runs after 1 warm-up, best reported`);

const report: Record<string, unknown> = { module: source, moduleBytes: bytes.length, codeBytes, optLevel, runs };

// Cold (first, unwarmed) run, then the measured runs, per fuel mode.
const phased: Record<string, PhasedRun> = {};
const pipelines: Record<string, PipelineRun> = {};
let coldMs = 0;
for (const fuel of fuelModes) {
  const warm = phasedRun(bytes, fuel);
  if (coldMs === 0) coldMs = warm.totalWall;
  const measured: PhasedRun[] = [];
  for (let r = 0; r < runs; r++) measured.push(phasedRun(bytes, fuel));
  phased[fuel] = bestBy(measured, (m) => m.totalWall);
  const pipe: PipelineRun[] = [];
  for (let r = 0; r < runs; r++) pipe.push(pipelineRun(bytes, fuel, `bench-${fuel}-${r}`));
  pipelines[fuel] = bestBy(pipe, (p) => p.wall);
}

// End to end through the public API, uninstrumented, per fuel mode (engines alternate run by run).
const moduleTimings: Record<string, Timing> = {};
let moduleError = '';
if (!flag('no-module')) {
  try {
    const { Module, Engine } = await import('../src/runtime/index.js');
    const engines = { off: new Engine(), variable: new Engine({ consumeFuel: true, fuelStrategy: 'variable' }), memory: new Engine({ consumeFuel: true, fuelStrategy: 'memory' }) };
    for (const fuel of fuelModes) new Module(bytes, { engine: engines[fuel] });
    const ts: Record<string, Timing[]> = {};
    for (const fuel of fuelModes) ts[fuel] = [];
    for (let r = 0; r < runs; r++) for (const fuel of fuelModes) ts[fuel]!.push(timeIt(() => new Module(bytes, { engine: engines[fuel] })));
    for (const fuel of fuelModes) moduleTimings[fuel] = bestBy(ts[fuel]!, (t) => t.wall);
  } catch (e) {
    moduleError = e instanceof Error ? e.message : String(e);
  }
}

// V8, same bytes, same run.
const v8: V8Result[] = flag('no-v8') ? [] : V8_CONFIGS.map((c) => runV8(c.label, c.flags, moduleFile, runs + 1));

// ---- table: phases × fuel modes
const first = phased[fuelModes[0]!]!;
console.log(`         ${first.functions} functions, ${first.irInstsTranslated} IR insts translated (fuel ${fuelModes[0]}), ` +
  `${first.irInstsOptimized} after passes, ${first.vcodeInsts} vcode insts, ${(first.machineBytes / 1e6).toFixed(2)} MB machine code ` +
  `(fnv1a ${fuelModes.map((f) => `${f} ${phased[f]!.machineHash.toString(16)}`).join(', ')})`);
console.log();
let header = 'phase'.padEnd(22);
for (const fuel of fuelModes) header += `| fuel ${fuel}`.padEnd(32);
console.log(header);
let sub = ''.padEnd(22);
for (const _ of fuelModes) sub += '|  wall ms   cpu ms     MB/s  ';
console.log(sub);
console.log('-'.repeat(header.length));
for (let p = 0; p < PHASES.length; p++) {
  let line = PHASES[p]!.padEnd(22);
  for (const fuel of fuelModes) {
    const r = phased[fuel]!;
    line += `|${fmtMs(r.wall[p]!)}${phaseCpu ? fmtMs(r.cpu[p]!) : '        -'}${fmtRate(r.wall[p]!)}  `;
  }
  console.log(line);
}
{
  let line = 'sum of phases'.padEnd(22);
  for (const fuel of fuelModes) {
    const r = phased[fuel]!;
    const w = r.wall.reduce((a, b) => a + b, 0);
    line += `|${fmtMs(w)}${fmtMs(r.totalCpu)}${fmtRate(w)}  `;
  }
  console.log(line);
  line = 'pipeline (+link/load)'.padEnd(22);
  for (const fuel of fuelModes) {
    const r = pipelines[fuel]!;
    line += `|${fmtMs(r.wall)}${fmtMs(r.cpu)}${fmtRate(r.wall)}  `;
  }
  console.log(line);
  line = '  of which link/load'.padEnd(22);
  for (const fuel of fuelModes) line += `|${fmtMs(pipelines[fuel]!.loadMs)}${''.padStart(9)}${fmtRate(pipelines[fuel]!.loadMs)}  `;
  console.log(line);
  line = 'IR insts/s (M)'.padEnd(22);
  for (const fuel of fuelModes) {
    const r = phased[fuel]!;
    const w = r.wall.reduce((a, b) => a + b, 0);
    line += `|${(r.irInstsTranslated / (w / 1000) / 1e6).toFixed(2).padStart(27)}  `;
  }
  console.log(line);
}

// ---- headline: kindling vs V8
console.log();
console.log('compiler'.padEnd(48) + 'wall ms'.padStart(10) + 'cpu ms'.padStart(10) + 'MB/s'.padStart(9) + ' MB/s cpu' + '  vs TurboFan  vs Liftoff (wall | cpu)');
const turbofan = v8.find((r) => r.label === 'V8 TurboFan' && r.runs.length > 0);
const liftoff = v8.find((r) => r.label === 'V8 Liftoff' && r.runs.length > 0);
// V8's first run is its warm-up too (the child's own JS start-up is not in it, but caches are cold): best of the rest.
const v8Best = (r: V8Result | undefined): Timing | null => (r ? bestBy(r.runs.length > 1 ? r.runs.slice(1) : r.runs, (t) => t.wall) : null);
const tf = v8Best(turbofan);
const lo = v8Best(liftoff);
const headline = (label: string, t: Timing): void => {
  const ratio = (ref: Timing | null) =>
    (ref ? `${(ref.wall / t.wall).toFixed(2)}x | ${Number.isNaN(t.cpu) ? '-' : (ref.cpu / t.cpu).toFixed(2) + 'x'}` : '-').padStart(16);
  console.log(label.padEnd(48) + fmtMs(t.wall).padStart(10) + fmtMs(t.cpu).padStart(10) + fmtRate(t.wall).padStart(9) + fmtRate(t.cpu).padStart(9) + ratio(tf) + ratio(lo));
};
for (const fuel of fuelModes) headline(`kindling pipeline, fuel ${fuel}`, pipelines[fuel]!);
for (const fuel of fuelModes) {
  const t = moduleTimings[fuel];
  if (t) headline(`kindling new Module (fuel ${fuel}, end to end)`, t);
}
if (moduleError) console.log(`kindling new Module: not measured (${moduleError})`);
headline(`kindling cold first run (fuel ${fuelModes[0]}, instrumented)`, { wall: coldMs, cpu: NaN });
for (const r of v8) {
  if (r.runs.length === 0) console.log(`${r.label}: failed (${r.error})`);
  else headline(`${r.label} (${r.flags.length} flags, single-threaded)`, v8Best(r)!);
}
console.log('(ratio = reference time / this time: above 1 means faster than the reference. The machine may be shared:\n CPU time (all threads of the process) is the steadier figure when wall ≫ cpu.)');

// ---- memory
const rssKb = process.resourceUsage().maxRSS;
console.log();
console.log(`peak memory: kindling process RSS ${(rssKb / 1024).toFixed(0)} MB (whole run), largest V8 heap in use during a compile ` +
  `${(Math.max(...Object.values(phased).map((p) => p.peakHeap)) / 1048576).toFixed(0)} MB; ` +
  v8.map((r) => `${r.label} child RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`).join(', '));

// ---- bench/programs aggregate (small modules: compile cost dominated by per-module and per-function overheads)
if (!flag('no-programs')) {
  const dir = join(repoRoot, 'bench', 'programs');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wasm')).sort() : [];
  if (files.length > 0) {
    const modules = files.map((f) => new Uint8Array(readFileSync(join(dir, f))));
    let code = 0;
    for (const m of modules) code += codeSectionBytes(m);
    for (const m of modules) pipelineRun(m, 'off', 'warm-up');
    const totals: number[] = [];
    for (let r = 0; r < runs; r++) {
      let ms = 0;
      for (let i = 0; i < modules.length; i++) ms += pipelineRun(modules[i]!, 'off', files[i]!).wall;
      totals.push(ms);
    }
    const ms = Math.min(...totals);
    console.log();
    console.log(`bench/programs: ${files.length} modules, ${(code / 1e3).toFixed(1)} kB code in all; kindling pipeline (fuel off) ` +
      `${ms.toFixed(1)} ms = ${(code / 1e6 / (ms / 1000)).toFixed(2)} MB/s (warm, sum over modules)`);
    report.programs = { files, codeBytes: code, bestMs: ms };
  }
}

if (jsonFile) {
  const plain = (r: PhasedRun) => ({ ...r, wall: Object.fromEntries(PHASES.map((p, i) => [p, r.wall[i]])), cpu: Object.fromEntries(PHASES.map((p, i) => [p, r.cpu[i]])) });
  Object.assign(report, {
    phased: Object.fromEntries(Object.entries(phased).map(([k, v]) => [k, plain(v)])),
    pipelines,
    newModule: moduleTimings,
    coldMs,
    v8,
    maxRssKb: rssKb,
  });
  writeFileSync(jsonFile, JSON.stringify(report, null, 2));
}

export type { Phase };
