/**
 * `kindling run FILE.wasm [--invoke NAME ARGS…] [--fuel N] [--fuel-strategy variable|memory] [--wasi] [--dir DIR]…
 * [--env NAME=VALUE]… [-- PROGRAM-ARGS…]`
 *
 * Instantiates the module with kindling and
 *   - with --invoke: calls the export NAME with ARGS (parsed by the parameter types: integers in decimal or 0x hex,
 *     floats incl. nan/inf, `null` references) and prints each result on its own line;
 *   - with --wasi: runs it as a WASI preview1 command under node:wasi (`_start`); the exit code is the program's;
 *   - otherwise: instantiates it (running its start function) and calls `_start` when exported.
 * With --fuel N the store gets N fuel and `fuel consumed: X` is printed on stderr, also after a trap. A trap prints
 * the RuntimeError with its wasm frames on stderr and exits with 1. Exit code 2: usage error or unreadable file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseModule, ValType, type ModuleInfo } from '../frontend/index.js';
import { Engine, Instance, Module, Store, type FuelStrategy } from '../runtime/index.js';
import { PROCESS_OUTPUT, type CliOutput } from './compile.js';

export const RUN_USAGE = `usage: kindling run FILE.wasm [options] [-- PROGRAM-ARGS…]

Runs a module with kindling.

options:
  --invoke NAME ARGS…            call export NAME with ARGS and print its results (one per line)
  --fuel N                       meter fuel: the store gets N; prints "fuel consumed: X" on stderr
  --fuel-strategy variable|memory  where generated code keeps the fuel counter (default memory; same counts)
  --wasi                         run as a WASI preview1 command (node:wasi); PROGRAM-ARGS become argv[1…]
  --dir DIR[:GUEST]              WASI: preopen host directory DIR (as GUEST, default DIR); repeatable
  --env NAME=VALUE               WASI: an environment variable; repeatable
  -h, --help                     this text
`;

/** Output of the runner; `stdoutFd`/`stderrFd` are the descriptors a WASI program writes to (default 1 and 2). */
export interface RunOutput extends CliOutput {
  readonly stdoutFd?: number;
  readonly stderrFd?: number;
}

interface RunArgs {
  readonly file: string;
  readonly invoke: string | null;
  readonly invokeArgs: string[];
  readonly fuel: bigint | null;
  readonly strategy: FuelStrategy;
  readonly wasi: boolean;
  readonly dirs: string[];
  readonly env: Record<string, string>;
  readonly programArgs: string[];
}

function parseArgs(argv: readonly string[]): RunArgs | 'help' | string {
  let file: string | null = null;
  let invoke: string | null = null;
  const invokeArgs: string[] = [];
  let fuel: bigint | null = null;
  let strategy: FuelStrategy = 'memory';
  let wasi = false;
  const dirs: string[] = [];
  const env: Record<string, string> = {};
  let programArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    switch (arg) {
      case '-h':
      case '--help':
        return 'help';
      case '--':
        programArgs = argv.slice(i + 1);
        i = argv.length;
        break;
      case '--invoke': {
        const name = argv[++i];
        if (name === undefined) return '--invoke needs an export name';
        invoke = name;
        // Everything up to the next --option is an argument (so negative numbers like -5 work).
        while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) invokeArgs.push(argv[++i]!);
        break;
      }
      case '--fuel': {
        const v = argv[++i];
        if (v === undefined || !/^\d+$/.test(v)) return `--fuel needs a non-negative integer, got ${String(v)}`;
        fuel = BigInt(v);
        if (fuel >= 1n << 63n) return '--fuel must be below 2^63';
        break;
      }
      case '--fuel-strategy': {
        const v = argv[++i];
        if (v !== 'variable' && v !== 'memory') return `--fuel-strategy must be variable or memory, got ${String(v)}`;
        strategy = v;
        break;
      }
      case '--wasi':
        wasi = true;
        break;
      case '--dir': {
        const v = argv[++i];
        if (v === undefined) return '--dir needs a directory';
        dirs.push(v);
        break;
      }
      case '--env': {
        const v = argv[++i];
        if (v === undefined || !v.includes('=')) return `--env needs NAME=VALUE, got ${String(v)}`;
        env[v.slice(0, v.indexOf('='))] = v.slice(v.indexOf('=') + 1);
        break;
      }
      default:
        if (arg.startsWith('-')) return `unknown option ${arg}`;
        if (file !== null) return `only one FILE.wasm, got ${file} and ${arg} (program arguments go after --)`;
        file = arg;
    }
  }
  if (file === null) return 'missing FILE.wasm';
  if (wasi && invoke !== null) return '--wasi runs the command (_start); it cannot be combined with --invoke';
  return { file, invoke, invokeArgs, fuel, strategy, wasi, dirs, env, programArgs };
}

const TYPE_NAMES = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'];

/** A command-line argument as the JS value for a parameter of type `type`. */
export function parseArgument(text: string, type: number): unknown {
  const bad = (): never => {
    throw new RangeError(`cannot read ${JSON.stringify(text)} as ${TYPE_NAMES[type] ?? 'a value'}`);
  };
  switch (type) {
    case ValType.I32:
    case ValType.I64: {
      if (!/^[-+]?(0x[0-9a-f]+|\d+)$/i.test(text)) bad();
      const negative = text.startsWith('-');
      const magnitude = BigInt(text.replace(/^[-+]/, ''));
      const value = negative ? -magnitude : magnitude;
      if (type === ValType.I32) {
        if (value < -(1n << 31n) || value >= 1n << 32n) bad();
        return Number(BigInt.asIntN(32, value));
      }
      if (value < -(1n << 63n) || value >= 1n << 64n) bad();
      return BigInt.asIntN(64, value);
    }
    case ValType.F32:
    case ValType.F64: {
      const t = text.toLowerCase();
      if (t === 'nan' || t === '+nan') return NaN;
      if (t === '-nan') return -NaN;
      if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
      if (t === '-inf' || t === '-infinity') return -Infinity;
      const n = Number(text);
      if (text.trim() === '' || Number.isNaN(n)) bad();
      return n;
    }
    case ValType.EXTERNREF:
      return text === 'null' ? null : text;
    case ValType.FUNCREF:
      if (text === 'null') return null;
      return bad();
    default:
      return bad();
  }
}

/** A result as printed: integers in decimal, floats as JS prints them (nan, inf spelled out), references by kind. */
export function formatResult(value: unknown, type: number): string {
  if (type === ValType.F32 || type === ValType.F64) {
    const n = value as number;
    if (Number.isNaN(n)) return 'nan';
    if (n === Infinity) return 'inf';
    if (n === -Infinity) return '-inf';
    return Object.is(n, -0) ? '-0' : String(n);
  }
  if (type === ValType.FUNCREF) return value === null ? 'null' : `funcref ${String((value as { name?: string }).name)}`;
  if (type === ValType.EXTERNREF) return value === null ? 'null' : String(value);
  return String(value);
}

function exportedFunctionType(info: ModuleInfo, name: string): { params: Uint8Array; results: Uint8Array } | null {
  const e = info.exports.find((x) => x.name === name && x.kind === 0);
  return e === undefined ? null : info.functionType(e.index);
}

/** Preopens from --dir DIR[:GUEST]. */
function preopens(dirs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of dirs) {
    const colon = d.indexOf(':');
    const host = colon >= 0 ? d.slice(0, colon) : d;
    const guest = colon >= 0 ? d.slice(colon + 1) : d;
    out[guest] = resolve(host);
  }
  return out;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `uncaught exception: ${String(error)}`;
}

export async function runMain(argv: readonly string[], output: RunOutput = PROCESS_OUTPUT): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    output.out(RUN_USAGE);
    return 0;
  }
  if (typeof args === 'string') {
    output.err(`kindling run: ${args}\n${RUN_USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(args.file);
  } catch (error) {
    output.err(`kindling run: cannot read ${args.file}: ${(error as Error).message}\n`);
    return 2;
  }
  const metered = args.fuel !== null;
  const engine = new Engine(metered ? { consumeFuel: true, fuelStrategy: args.strategy } : {});
  const store = new Store(engine);
  if (args.fuel !== null) store.setFuel(args.fuel);
  const reportFuel = (): void => {
    if (metered) output.err(`fuel consumed: ${store.fuelConsumed()}\n`);
  };
  let module: Module;
  try {
    module = new Module(bytes, { engine });
  } catch (error) {
    output.err(`kindling run: ${args.file}: ${describeError(error)}\n`);
    return 1;
  }
  try {
    if (args.wasi) {
      // Loaded on demand: importing node:wasi prints an experimental-feature warning.
      const { WASI } = await import('node:wasi');
      const wasi = new WASI({
        version: 'preview1',
        args: [args.file, ...args.programArgs],
        env: args.env,
        preopens: preopens(args.dirs),
        returnOnExit: true,
        stdout: output.stdoutFd ?? 1,
        stderr: output.stderrFd ?? 2,
      });
      const instance = new Instance(module, wasi.getImportObject() as Record<string, Record<string, unknown>>, { store });
      const code = wasi.start(instance as unknown as WebAssembly.Instance);
      reportFuel();
      return code;
    }
    const instance = new Instance(module, {}, { store });
    const name = args.invoke ?? (Object.hasOwn(instance.exports, '_start') ? '_start' : null);
    if (name !== null) {
      const fn = instance.exports[name];
      const type = exportedFunctionType(parseModule(bytes), name);
      if (typeof fn !== 'function' || type === null) {
        output.err(`kindling run: ${args.file} exports no function named ${JSON.stringify(name)}\n`);
        return 2;
      }
      if (args.invokeArgs.length !== type.params.length) {
        output.err(`kindling run: ${name} takes ${type.params.length} arguments, got ${args.invokeArgs.length}\n`);
        return 2;
      }
      let jsArgs: unknown[];
      try {
        jsArgs = args.invokeArgs.map((text, i) => parseArgument(text, type.params[i]!));
      } catch (error) {
        output.err(`kindling run: ${name}: ${(error as Error).message}\n`);
        return 2;
      }
      const result = (fn as (...a: unknown[]) => unknown)(...jsArgs);
      const results = type.results.length === 1 ? [result] : type.results.length === 0 ? [] : (result as unknown[]);
      for (let k = 0; k < type.results.length; k++) output.out(`${formatResult(results[k], type.results[k]!)}\n`);
    }
    reportFuel();
    return 0;
  } catch (error) {
    output.err(`${describeError(error)}\n`);
    reportFuel();
    return 1;
  }
}
