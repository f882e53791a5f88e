/**
 * The eager compile pipeline: wasm bytes → native code loaded and ready to instantiate.
 *
 *   parse (frontend) → validate every body → per defined function: translateFunction (with the engine's fuel and
 *   epoch settings and the process-wide signature ids) → runPasses(optLevel) → ModuleCodeBuilder.addFunction (lower,
 *   allocate registers, emit) into one module code buffer → raise landing pad → loadModuleCode (relocate, seal,
 *   register the code map, trap table, call sites and function names for backtraces).
 *
 * The pieces (`codegenSettings`, `buildFunctionIr`) are exported so that `kindling compile` shows exactly what the
 * runtime compiles.
 */
import { parseModule, validateFunction, CompileError, type ModuleInfo } from '../frontend/index.js';
import { FunctionTranslator, translateFunction } from '../frontend/translate.js';
import type { IrFunction } from '../ir/index.js';
import { runPasses } from '../ir/passes/index.js';
import { IselError, ModuleCodeBuilder, type CompiledModuleCode, type CompileOptions } from '../isel/index.js';
import { VMCTX_BUILTINS, VMCTX_INTERRUPTS, VMINTERRUPTS_STACK_LIMIT } from '../frontend/vm-offsets.js';
import type { Relocation } from '../x64/index.js';
import { loadModuleCode, type LoadedModuleCode } from './code-loader.js';
import type { Engine, OptLevel } from './engine.js';
import { hostCpuFeatures } from './host-cpu.js';
import { TRAP_RAISE_TARGET } from './link-targets.js';
import { emitRaiseLandingPad } from './raise.js';
import { sigIdOf } from './signatures.js';
import { CallSiteTable, TrapTable } from './trap-table.js';

export type FuelMode = 'off' | 'variable' | 'memory';

/** What code generation needs from an Engine. */
export interface CodegenSettings {
  readonly fuel: FuelMode;
  readonly epoch: boolean;
  readonly optLevel: OptLevel;
}

export function codegenSettings(engine: Engine): CodegenSettings {
  return { fuel: engine.consumeFuel ? engine.fuelStrategy : 'off', epoch: engine.epochInterruption, optLevel: engine.optLevel };
}

/** Backend options: the VMContext offsets generated code uses, and the host CPU's features. */
export function backendOptions(checkAllocation = false): CompileOptions {
  return {
    cpu: hostCpuFeatures(),
    interruptsOffset: VMCTX_INTERRUPTS,
    stackLimitOffset: VMINTERRUPTS_STACK_LIMIT,
    builtinsOffset: VMCTX_BUILTINS,
    stackCheck: true,
    checkAllocation,
  };
}

/** The canonical (process-wide) signature id of each type of the module: what VMFuncRef.sigId holds. */
export function moduleSigIds(info: ModuleInfo): Int32Array {
  return Int32Array.from(info.types, (type) => sigIdOf(type));
}

/** Name of a function for IR, code maps and backtraces: the name section's, else `f<index>`. */
export function functionName(info: ModuleInfo, funcIndex: number): string {
  return info.names.functions.get(funcIndex) ?? `f${funcIndex}`;
}

/**
 * How trap sites count their pending fuel. The memory strategy annotates the trapping instruction and lets the
 * backend's out-of-line trap stub add the cost to [interrupts+8] (fuel.md): the same counts as a cold block per
 * site, without splitting the block at every bounds check (about a third fewer blocks, an eighth fewer IR
 * instructions to translate, optimise and lower). The variable strategy keeps cold blocks: its counter lives in an
 * SSA value, which a trap stub cannot reach.
 */
export function trapFuelFor(fuel: FuelMode): 'blocks' | 'annotate' {
  return fuel === 'memory' ? 'annotate' : 'blocks';
}

/** One defined function as optimized IR (what the backend receives). */
export function buildFunctionIr(info: ModuleInfo, funcIndex: number, settings: CodegenSettings, sigIds = moduleSigIds(info)): IrFunction {
  const func = translateFunction(info, funcIndex, {
    fuel: settings.fuel,
    epoch: settings.epoch,
    signatureIds: sigIds,
    name: functionName(info, funcIndex),
    trapFuel: trapFuelFor(settings.fuel),
  });
  runPasses(func, settings.optLevel);
  return func;
}

/** Milliseconds per phase, and sizes, of one compilation (`kindling compile --timings`). */
export interface CompileTimings {
  parseMs: number;
  validateMs: number;
  translateMs: number;
  optimizeMs: number;
  lowerMs: number;
  regallocMs: number;
  emitMs: number;
  loadMs: number;
  totalMs: number;
  /** Bytes of function bodies (the code section's payload, roughly). */
  wasmCodeBytes: number;
  /** Bytes of machine code and constants produced. */
  machineBytes: number;
  functions: number;
  irInsts: number;
  vcodeInsts: number;
}

export interface CompileModuleOptions {
  /** Measure each phase (performance.now around each; off by default since it costs a little). */
  readonly timings?: boolean;
  /** Run the register-allocation checker on every function (tests). */
  readonly checkAllocation?: boolean;
}

export interface CompiledModuleArtifacts {
  readonly info: ModuleInfo;
  readonly machine: CompiledModuleCode;
  readonly loaded: LoadedModuleCode;
  /** Offset of the raise landing pad in the module's code. */
  readonly raisePad: number;
  readonly timings: CompileTimings | null;
}

/** A zeroed CompileTimings. */
export function newCompileTimings(): CompileTimings {
  return {
    parseMs: 0, validateMs: 0, translateMs: 0, optimizeMs: 0, lowerMs: 0, regallocMs: 0, emitMs: 0, loadMs: 0, totalMs: 0,
    wasmCodeBytes: 0, machineBytes: 0, functions: 0, irInsts: 0, vcodeInsts: 0,
  };
}

/** Parses and validates every function body (CompileError on the first problem). */
export function parseAndValidateModule(bytes: Uint8Array, timings: CompileTimings | null = null): ModuleInfo {
  const t0 = timings !== null ? performance.now() : 0;
  const info = parseModule(bytes);
  const t1 = timings !== null ? performance.now() : 0;
  const n = info.numDefinedFunctions;
  for (let i = 0; i < n; i++) validateFunction(info, i);
  if (timings !== null) {
    timings.parseMs += t1 - t0;
    timings.validateMs += performance.now() - t1;
  }
  return info;
}

/** A backend or translator failure on valid input: reported as a CompileError naming the function. */
function internalError(info: ModuleInfo, funcIndex: number, error: unknown): CompileError {
  if (error instanceof CompileError) return error;
  const what = error instanceof IselError ? 'code generation' : 'compilation';
  const message = error instanceof Error ? error.message : String(error);
  const compileError = new CompileError(`${what} failed for function ${funcIndex} (${functionName(info, funcIndex)}): ${message}`);
  (compileError as { cause?: unknown }).cause = error;
  return compileError;
}

/** A module's machine code before loading (what `kindling compile --emit asm` disassembles). */
export interface ModuleMachineCode {
  readonly info: ModuleInfo;
  readonly machine: CompiledModuleCode;
  /** Offset of the raise landing pad (always 0: it is emitted first). */
  readonly raisePad: number;
  readonly timings: CompileTimings | null;
}

/** Compiles every defined function of a validated module into one code buffer (not loaded). */
export function buildModuleMachineCode(info: ModuleInfo, settings: CodegenSettings, options: CompileModuleOptions = {}): ModuleMachineCode {
  const timings = options.timings === true ? newCompileTimings() : null;
  const tStart = timings !== null ? performance.now() : 0;
  const builder = new ModuleCodeBuilder(backendOptions(options.checkAllocation === true), Math.max(4096, info.bytes.length * 4));
  builder.timing = timings !== null;
  // The landing pad goes first, so its offset is 0 whatever branch relaxation does later; functions start aligned.
  emitRaiseLandingPad(builder.assembler);
  builder.assembler.align(16);
  const sigIds = moduleSigIds(info);
  const first = info.numImportedFunctions;
  const total = info.functions.length;
  let translateMs = 0;
  let optimizeMs = 0;
  // One translator and one IR function for the whole module: their columns stay allocated from function to function
  // (the backend has emitted a function before the next is translated, so nothing holds the previous IR).
  const translator = new FunctionTranslator();
  const trapFuel = trapFuelFor(settings.fuel);
  let reused: IrFunction | undefined;
  for (let funcIndex = first; funcIndex < total; funcIndex++) {
    try {
      const t0 = timings !== null ? performance.now() : 0;
      const func = translator.translate(info, funcIndex, { fuel: settings.fuel, epoch: settings.epoch, signatureIds: sigIds, name: functionName(info, funcIndex), trapFuel }, reused);
      reused = func;
      const t1 = timings !== null ? performance.now() : 0;
      runPasses(func, settings.optLevel);
      if (timings !== null) {
        translateMs += t1 - t0;
        optimizeMs += performance.now() - t1;
      }
      builder.addFunction(func, funcIndex);
    } catch (error) {
      throw internalError(info, funcIndex, error);
    }
  }
  const tFinish = timings !== null ? performance.now() : 0;
  const machine = builder.finish();
  // The pad was emitted first: `jmp [rip + slot]` (FF 25) at offset 0.
  if (machine.bytes[0] !== 0xff || machine.bytes[1] !== 0x25) throw new Error('buildModuleMachineCode: the raise landing pad is not at offset 0');
  if (timings !== null) {
    const s = builder.stats;
    timings.translateMs = translateMs;
    timings.optimizeMs = optimizeMs;
    timings.lowerMs = s.lowerMs;
    timings.regallocMs = s.regallocMs + s.checkMs;
    timings.emitMs = s.emitMs + (performance.now() - tFinish);
    timings.totalMs = performance.now() - tStart;
    timings.functions = s.functions;
    timings.irInsts = s.irInsts;
    timings.vcodeInsts = s.vcodeInsts;
    timings.machineBytes = machine.bytes.length;
    for (let i = first; i < total; i++) timings.wasmCodeBytes += info.functions[i]!.bodyEnd - info.functions[i]!.bodyStart;
  }
  return { info, machine, raisePad: 0, timings };
}

/**
 * Compiles every defined function of a validated module into one code region and loads it. `name` labels the code
 * in backtraces.
 */
export function compileModuleCode(info: ModuleInfo, settings: CodegenSettings, name: string, options: CompileModuleOptions = {}): CompiledModuleArtifacts {
  const built = buildModuleMachineCode(info, settings, options);
  const t0 = built.timings !== null ? performance.now() : 0;
  const loaded = loadMachineCode(info, built.machine, built.raisePad, name);
  if (built.timings !== null) {
    built.timings.loadMs = performance.now() - t0;
    built.timings.totalMs += built.timings.loadMs;
  }
  return { info, machine: built.machine, loaded, raisePad: built.raisePad, timings: built.timings };
}

/** Maps backend relocations (function index space) to the loader's (defined-function index space). */
function loaderRelocations(relocations: readonly Relocation[], numImported: number): Relocation[] {
  return relocations.map((r) => (r.target === TRAP_RAISE_TARGET ? r : { ...r, target: r.target - numImported }));
}

function loadMachineCode(info: ModuleInfo, machine: CompiledModuleCode, raisePad: number, name: string): LoadedModuleCode {
  const defined = info.numDefinedFunctions;
  const first = info.numImportedFunctions;
  const starts = new Array<number>(defined);
  const ends = new Array<number>(defined);
  for (const f of machine.functions) {
    starts[f.funcIndex - first] = f.start;
    ends[f.funcIndex - first] = f.end;
  }
  const t = machine.trapTable;
  const trapTable = new TrapTable(Uint32Array.from(t.offsets), t.codes, t.funcIndices, t.wasmOffsets, t.fuel);
  const c = machine.callSites;
  const callSites = new CallSiteTable(Uint32Array.from(c.offsets), c.wasmOffsets);
  const names: string[] = [];
  for (let i = first; i < info.functions.length; i++) names[i] = functionName(info, i);
  return loadModuleCode(
    { bytes: machine.bytes, relocations: loaderRelocations(machine.relocations, first) },
    { name, functionStarts: starts, functionEnds: ends, firstFunctionIndex: first, raisePad, trapTable, callSites, functionNames: names },
  );
}
