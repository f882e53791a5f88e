/**
 * `kindling compile FILE.wasm [--emit ir|vcode|asm] [--func NAME] [--fuel variable|memory] [--epoch] [--opt 0|1|2]
 * [--timings]`: shows what the runtime compiles, stage by stage, with exactly the runtime's settings (pipeline.ts):
 *   ir     the optimized IR of each function (after runPasses)
 *   vcode  the lowered machine code on virtual registers, before register allocation
 *   asm    the final machine code of the whole module, disassembled by capstone, with function names, trap sites
 *          (trap code and wasm offset) and call targets
 * --timings prints the time of each phase and the compile speed (MB/s of module bytes) on stderr.
 * Exit code: 0 ok, 1 the module does not compile, 2 usage error.
 */
import { readFileSync } from 'node:fs';
import type { ModuleInfo } from '../frontend/index.js';
import { printFunction, trapCodeName } from '../ir/index.js';
import { lowerFunction, printVCode, type CompiledModuleCode } from '../isel/index.js';
import {
  backendOptions,
  buildFunctionIr,
  buildModuleMachineCode,
  functionName,
  moduleSigIds,
  newCompileTimings,
  parseAndValidateModule,
  type CodegenSettings,
  type CompileTimings,
  type FuelMode,
  type OptLevel,
} from '../runtime/index.js';
import { disassemble, loadDisassembler, RelocKind } from '../x64/index.js';

export const COMPILE_USAGE = `usage: kindling compile FILE.wasm [options]

Compiles a module the way the runtime does and shows the result of a stage.

options:
  --emit ir|vcode|asm      ir: optimized IR; vcode: machine code before register allocation; asm: final code
                           disassembled, with function names, trap sites and call targets
  --func NAME              only this function (name-section name, export name, or function index)
  --fuel variable|memory   compile with fuel metering (default: none)
  --epoch                  compile with epoch interruption checks
  --opt 0|1|2              IR optimisation level (default 2)
  --timings                print per-phase compile times and MB/s (on stderr)
  --repeat N               with --timings: compile N times and report the last (warm) run beside the first
  -h, --help               this text
`;

/** Where output goes (tests capture it). */
export interface CliOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

type Emit = 'ir' | 'vcode' | 'asm' | null;

interface CompileArgs {
  readonly file: string;
  readonly emit: Emit;
  readonly func: string | null;
  readonly settings: CodegenSettings;
  readonly timings: boolean;
  readonly repeat: number;
}

function parseArgs(argv: readonly string[]): CompileArgs | 'help' | string {
  let file: string | null = null;
  let emit: Emit = null;
  let func: string | null = null;
  let fuel: FuelMode = 'off';
  let epoch = false;
  let optLevel: OptLevel = 2;
  let timings = false;
  let repeat = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--emit': {
        const v = value();
        if (v !== 'ir' && v !== 'vcode' && v !== 'asm') return `--emit must be ir, vcode or asm, got ${String(v)}`;
        emit = v;
        break;
      }
      case '--func': {
        const v = value();
        if (v === undefined) return '--func needs a function name or index';
        func = v;
        break;
      }
      case '--fuel': {
        const v = value();
        if (v !== 'variable' && v !== 'memory') return `--fuel must be variable or memory, got ${String(v)}`;
        fuel = v;
        break;
      }
      case '--epoch':
        epoch = true;
        break;
      case '--opt': {
        const v = value();
        if (v !== '0' && v !== '1' && v !== '2') return `--opt must be 0, 1 or 2, got ${String(v)}`;
        optLevel = Number(v) as OptLevel;
        break;
      }
      case '--timings':
        timings = true;
        break;
      case '--repeat': {
        const v = value();
        if (v === undefined || !/^[1-9]\d*$/.test(v)) return `--repeat needs a positive integer, got ${String(v)}`;
        repeat = Number(v);
        break;
      }
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        if (file !== null) return `only one FILE.wasm, got ${file} and ${arg}`;
        file = arg;
    }
  }
  if (file === null) return 'missing FILE.wasm';
  if (emit === null && !timings) return 'nothing to do: give --emit ir|vcode|asm and/or --timings';
  return { file, emit, func, settings: { fuel, epoch, optLevel }, timings, repeat };
}

/** Function index for --func: a name-section name, an export name, or a number; -1 when none matches. */
export function findFunction(info: ModuleInfo, key: string): number {
  for (const [index, name] of info.names.functions) if (name === key) return index;
  for (const e of info.exports) if (e.kind === 0 && e.name === key) return e.index;
  if (/^\d+$/.test(key)) {
    const index = Number(key);
    if (index < info.functions.length) return index;
  }
  return -1;
}

/** The defined functions to show: all, or the one --func names. */
function selectFunctions(info: ModuleInfo, key: string | null): number[] | string {
  if (key === null) {
    const all: number[] = [];
    for (let i = info.numImportedFunctions; i < info.functions.length; i++) all.push(i);
    return all;
  }
  const index = findFunction(info, key);
  if (index < 0) return `no function named ${JSON.stringify(key)} (names, export names and indices are accepted)`;
  if (index < info.numImportedFunctions) return `function ${key} (index ${index}) is imported: it has no code`;
  return [index];
}

function emitIr(info: ModuleInfo, funcs: readonly number[], settings: CodegenSettings, out: CliOutput): void {
  const sigIds = moduleSigIds(info);
  for (const f of funcs) out.out(`; function ${f}\n${printFunction(buildFunctionIr(info, f, settings, sigIds))}\n`);
}

function emitVCode(info: ModuleInfo, funcs: readonly number[], settings: CodegenSettings, out: CliOutput): void {
  const sigIds = moduleSigIds(info);
  const options = backendOptions();
  for (const f of funcs) out.out(`; function ${f}\n${printVCode(lowerFunction(buildFunctionIr(info, f, settings, sigIds), options))}\n`);
}

/** `jmp qword [rip + slot]`: the landing pad at offset 0 (pipeline.ts). */
const RAISE_PAD_BYTES = 6;

const hex = (n: number, width = 4): string => n.toString(16).padStart(width, '0');

/** The annotated disassembly of a module's code (or of the functions in `only`). */
export function formatModuleAsm(info: ModuleInfo, machine: CompiledModuleCode, only: ReadonlySet<number> | null): string {
  const lines: string[] = [];
  const traps = new Map<number, string>();
  const t = machine.trapTable;
  for (let i = 0; i < t.length; i++) {
    const wasm = t.wasmOffsets[i]! >= 0 ? ` at wasm 0x${t.wasmOffsets[i]!.toString(16)}` : '';
    traps.set(t.offsets[i]!, `trap ${trapCodeName(t.codes[i]!)}${wasm}`);
  }
  const calls = new Map<number, string>();
  for (const r of machine.relocations) {
    if (r.kind !== RelocKind.CallRel32) continue;
    calls.set(r.offset, r.target < 0 ? 'raise landing pad' : `${functionName(info, r.target)} (function ${r.target})`);
  }
  const data = machine.dataRanges;
  const listRange = (start: number, end: number): void => {
    let pos = start;
    while (pos < end) {
      const table = data.find(([s, e]) => s < end && e > pos && s >= pos);
      const stop = table !== undefined ? table[0] : end;
      for (const insn of disassemble(machine.bytes.subarray(pos, stop), { baseAddress: pos })) {
        const offset = pos + insn.offset;
        const bytes = Array.from(insn.bytes, (b) => hex(b, 2)).join(' ');
        const notes: string[] = [];
        const trap = traps.get(offset + insn.bytes.length);
        if (trap !== undefined) notes.push(trap);
        for (let k = 1; k < insn.bytes.length; k++) {
          const target = calls.get(offset + k);
          if (target !== undefined && trap === undefined) notes.push(`call ${target}`);
        }
        lines.push(`  ${hex(offset)}: ${bytes.padEnd(30)} ${insn.text}${notes.length > 0 ? `    ; ${notes.join('; ')}` : ''}`);
      }
      if (table !== undefined) {
        for (let at = table[0]; at < table[1]; at += 4) {
          const v = new DataView(machine.bytes.buffer, machine.bytes.byteOffset + at, 4).getInt32(0, true);
          lines.push(`  ${hex(at)}: ${'(jump table)'.padEnd(30)} .long ${v}`);
        }
        pos = table[1];
      } else pos = stop;
    }
  };
  if (only === null) {
    lines.push('<raise landing pad>:');
    listRange(0, RAISE_PAD_BYTES);
  }
  for (const f of machine.functions) {
    if (only !== null && !only.has(f.funcIndex)) continue;
    lines.push('', `${functionName(info, f.funcIndex)} (function ${f.funcIndex}): ${f.end - f.start} bytes, frame ${f.frameSize} bytes`);
    listRange(f.start, f.end);
  }
  return `${lines.join('\n')}\n`;
}

function formatTimings(file: string, t: CompileTimings, moduleBytes: number): string {
  const ms = (n: number): string => `${n.toFixed(2).padStart(9)} ms`;
  const mbps = (bytes: number): string => (t.totalMs > 0 ? (bytes / 1e6 / (t.totalMs / 1000)).toFixed(2) : '∞');
  return [
    `compile ${file}: ${t.functions} functions, ${moduleBytes} module bytes (${t.wasmCodeBytes} in function bodies) → ${t.machineBytes} bytes of machine code`,
    `  parse     ${ms(t.parseMs)}`,
    `  validate  ${ms(t.validateMs)}`,
    `  translate ${ms(t.translateMs)}   (${t.irInsts} IR instructions after optimisation)`,
    `  optimize  ${ms(t.optimizeMs)}`,
    `  lower     ${ms(t.lowerMs)}   (${t.vcodeInsts} vcode instructions)`,
    `  regalloc  ${ms(t.regallocMs)}`,
    `  emit      ${ms(t.emitMs)}`,
    `  total     ${ms(t.totalMs)}   ${mbps(moduleBytes)} MB/s of module, ${mbps(t.wasmCodeBytes)} MB/s of function bodies`,
    '',
  ].join('\n');
}

export async function compileMain(argv: readonly string[], output: CliOutput = PROCESS_OUTPUT): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    output.out(COMPILE_USAGE);
    return 0;
  }
  if (typeof args === 'string') {
    output.err(`kindling compile: ${args}\n${COMPILE_USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(args.file);
  } catch (error) {
    output.err(`kindling compile: cannot read ${args.file}: ${(error as Error).message}\n`);
    return 2;
  }
  try {
    const front = newCompileTimings();
    const info = parseAndValidateModule(bytes, front);
    const funcs = selectFunctions(info, args.func);
    if (typeof funcs === 'string') {
      output.err(`kindling compile: ${funcs}\n`);
      return 2;
    }
    if (args.emit === 'ir') emitIr(info, funcs, args.settings, output);
    else if (args.emit === 'vcode') emitVCode(info, funcs, args.settings, output);
    if (args.emit === 'asm') {
      const built = buildModuleMachineCode(info, args.settings);
      await loadDisassembler();
      output.out(formatModuleAsm(info, built.machine, args.func === null ? null : new Set(funcs)));
    }
    if (args.timings) {
      let first: CompileTimings | null = null;
      let last: CompileTimings | null = null;
      for (let round = 0; round < args.repeat; round++) {
        // Each round is a whole compilation: parse, validate and all functions.
        const timings = newCompileTimings();
        const again = round === 0 ? info : parseAndValidateModule(bytes, timings);
        const built = buildModuleMachineCode(again, args.settings, { timings: true });
        const t = built.timings!;
        t.parseMs = round === 0 ? front.parseMs : timings.parseMs;
        t.validateMs = round === 0 ? front.validateMs : timings.validateMs;
        t.totalMs += t.parseMs + t.validateMs;
        first ??= t;
        last = t;
      }
      if (args.repeat > 1) output.err(`first of ${args.repeat} compilations (cold: includes JIT warm-up of the compiler):\n${formatTimings(args.file, first!, bytes.length)}last:\n`);
      output.err(formatTimings(args.file, last!, bytes.length));
    }
    return 0;
  } catch (error) {
    output.err(`kindling compile: ${args.file}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return 1;
  }
}
