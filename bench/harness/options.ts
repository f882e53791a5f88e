// Command-line options of the benchmark harness (also used by `kindling bench`).
import { isEngineName, type EngineName } from './engine-registry.js';
import { SIZE_CLASSES, type SizeClass } from './manifest.js';

export interface BenchOptions {
  readonly size: SizeClass;
  /** undefined: every engine available here. */
  readonly engines: readonly EngineName[] | undefined;
  /** undefined: every program in the manifest. */
  readonly programs: readonly string[] | undefined;
  readonly runs: number;
  readonly warmup: number;
  /** undefined: bench/results and bench/programs of the enclosing checkout. */
  readonly outDir: string | undefined;
  readonly programsDir: string | undefined;
  /** Per child request (start-up, one iteration). */
  readonly timeoutMs: number;
  /** Write latest.json and latest.svg (off with --no-write). */
  readonly write: boolean;
  /** A user's module to benchmark instead of the bundled programs (`FILE.wasm --invoke NAME [--arg N]`). */
  readonly userModule: { readonly file: string; readonly entry: string; readonly arg: number } | undefined;
}

export const USAGE = `usage: node dist/bench/harness/main.js [options] [FILE.wasm --invoke NAME [--arg N]]

  --quick              quick sizes (~5-10x smaller; the whole suite in about a minute)
  --size S             size class: tiny | quick | default (default: default)
  --engines a,b        engines to run (default: all available): v8-liftoff, v8-turbofan, kindling,
                       kindling+fuel:variable, kindling+fuel:memory, v8+injected-metering
  --programs x,y       programs to run (default: all in bench/programs/manifest.json)
  --runs N             measured runs per engine and program (default: 5, quick: 3)
  --warmup N           unmeasured runs first (default: 1)
  --out DIR            where latest.json and latest.svg go (default: bench/results)
  --programs-dir DIR   where manifest.json and the .wasm files are (default: bench/programs)
  --timeout S          seconds allowed per child request (default: 300)
  --no-write           print the table only
  FILE.wasm            benchmark your own module instead: --invoke NAME (an export taking at most one i32 and
                       returning i32/i64, no imports), --arg N (default 0); every engine must return V8's result
  --help               this text`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function positiveInt(value: string | undefined, flag: string, allowZero = false): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1)) {
    throw new UsageError(`${flag} needs a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value === undefined ? 'nothing' : `"${value}"`}`);
  }
  return n;
}

function list(value: string | undefined, flag: string): string[] {
  const items = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`${flag} needs a comma-separated list`);
  return items;
}

/** Parses argv (without node and script); returns 'help' for --help. Throws UsageError on anything unknown. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | 'help' {
  let size: SizeClass = 'default';
  let engines: EngineName[] | undefined;
  let programs: string[] | undefined;
  let runs: number | undefined;
  let warmup = 1;
  let outDir: string | undefined;
  let programsDir: string | undefined;
  let timeoutMs = 300_000;
  let write = true;
  let file: string | undefined;
  let invoke: string | undefined;
  let invokeArg = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--quick':
        size = 'quick';
        break;
      case '--size': {
        const s = value();
        if (!(SIZE_CLASSES as readonly string[]).includes(s ?? '')) throw new UsageError(`--size must be one of ${SIZE_CLASSES.join(', ')}, got "${s ?? ''}"`);
        size = s as SizeClass;
        break;
      }
      case '--engines': {
        const names = list(value(), '--engines');
        const unknown = names.filter((n) => !isEngineName(n));
        if (unknown.length > 0) throw new UsageError(`unknown engine(s) ${unknown.join(', ')}`);
        engines = [...new Set(names as EngineName[])];
        break;
      }
      case '--programs':
        programs = [...new Set(list(value(), '--programs'))];
        break;
      case '--runs':
        runs = positiveInt(value(), '--runs');
        break;
      case '--warmup':
        warmup = positiveInt(value(), '--warmup', true);
        break;
      case '--out':
        outDir = value();
        if (outDir === undefined) throw new UsageError('--out needs a directory');
        break;
      case '--programs-dir':
        programsDir = value();
        if (programsDir === undefined) throw new UsageError('--programs-dir needs a directory');
        break;
      case '--timeout':
        timeoutMs = positiveInt(value(), '--timeout') * 1000;
        break;
      case '--no-write':
        write = false;
        break;
      case '--invoke':
        invoke = value();
        if (invoke === undefined) throw new UsageError('--invoke needs an export name');
        break;
      case '--arg': {
        const v = value();
        const n = Number(v);
        if (v === undefined || !Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new UsageError(`--arg needs an i32, got "${v ?? ''}"`);
        invokeArg = n;
        break;
      }
      default:
        if (!arg.startsWith('-') && file === undefined) {
          file = arg;
          break;
        }
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  if ((file === undefined) !== (invoke === undefined)) throw new UsageError('a module file and --invoke NAME go together');
  const userModule = file !== undefined && invoke !== undefined ? { file, entry: invoke, arg: invokeArg } : undefined;
  if (userModule !== undefined && (programs !== undefined || programsDir !== undefined)) {
    throw new UsageError('a module file replaces --programs and --programs-dir');
  }
  return { size, engines, programs, runs: runs ?? (size === 'default' ? 5 : 3), warmup, outDir, programsDir, timeoutMs, write, userModule };
}
