/**
 * `kindling wast FILE.json… [--engine v8|v8-raw|kindling] [--simd|--no-simd] [--verbose]`: runs wast2json command
 * files, prints one count line per file and a closing total line `N passed, N failed, N skipped`.
 * Exit code: 0 all passed, 1 any failure, 2 usage error or engine unavailable.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadWastEngine, WAST_ENGINE_NAMES } from './engines.js';
import { runWastFile, type WastFailure, type WastFileResult } from './runner.js';

export const WAST_USAGE = `usage: kindling wast FILE.json|DIR… [options]

Runs WebAssembly spec-test command files (wast2json output); a DIR runs every *.json in it.

options:
  --engine NAME   ${WAST_ENGINE_NAMES.join(' | ')} (default v8). v8 goes through the plain JS API; v8-raw calls
                  through wasm trampolines so NaN payloads and v128 values keep their bits
  --simd          run SIMD scripts and v128 commands (default: what the engine supports)
  --no-simd       skip them (counted as skipped)
  --verbose       print every failure and every note (trap-message mismatches, quieted NaNs)
  -h, --help      this text
`;

/** Where output goes (tests capture it). */
export interface WastOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const PROCESS_OUTPUT: WastOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Failures shown per file without --verbose. */
const FAILURES_SHOWN = 10;

interface WastArgs {
  readonly paths: string[];
  readonly engine: string;
  readonly simd: boolean | undefined;
  readonly verbose: boolean;
  readonly help: boolean;
}

function parseArgs(argv: readonly string[]): WastArgs | string {
  const paths: string[] = [];
  let engine = 'v8';
  let simd: boolean | undefined;
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--engine') {
      const value = argv[++i];
      if (value === undefined) return '--engine needs a name';
      engine = value;
    } else if (arg.startsWith('--engine=')) engine = arg.slice('--engine='.length);
    else if (arg === '--simd') simd = true;
    else if (arg === '--no-simd') simd = false;
    else if (arg === '--verbose' || arg === '-v') verbose = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-')) return `unknown option '${arg}'`;
    else paths.push(arg);
  }
  return { paths, engine, simd, verbose, help };
}

/** The command files named by the arguments: files as given, directories as their *.json in name order. */
function expandPaths(paths: readonly string[]): string[] | string {
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      return `no such file or directory: ${path}`;
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const names = readdirSync(path).filter((name) => name.endsWith('.json')).sort();
    if (names.length === 0) return `no .json command files in ${path}`;
    for (const name of names) files.push(join(path, name));
  }
  return files;
}

function formatFailure(failure: WastFailure): string {
  return `  line ${failure.line}: ${failure.command}: ${failure.message}\n`;
}

/** The plain count line CI reads: `N passed, N failed, N skipped`. */
export function countLine(counts: { passed: number; failed: number; skipped: number }): string {
  return `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
}

function report(result: WastFileResult, verbose: boolean, output: WastOutput): void {
  const notes = result.notes.length === 0 ? '' : ` (${result.notes.length} note${result.notes.length === 1 ? '' : 's'})`;
  output.out(`${basename(result.file)}: ${countLine(result)}${notes}\n`);
  const shown = verbose ? result.failures : result.failures.slice(0, FAILURES_SHOWN);
  for (const failure of shown) output.out(formatFailure(failure));
  if (shown.length < result.failures.length) {
    output.out(`  … and ${result.failures.length - shown.length} more failures (--verbose shows all)\n`);
  }
  if (verbose) for (const note of result.notes) output.out(`  note: ${formatFailure(note).trimStart()}`);
}

/** Runs `kindling wast` with `argv` (the arguments after `wast`); resolves to the exit code. */
export async function runWastMain(argv: readonly string[], output: WastOutput = PROCESS_OUTPUT): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    output.err(`kindling wast: ${args}\n${WAST_USAGE}`);
    return 2;
  }
  if (args.help) {
    output.out(WAST_USAGE);
    return 0;
  }
  if (args.paths.length === 0) {
    output.err(`kindling wast: no command files given\n${WAST_USAGE}`);
    return 2;
  }
  const files = expandPaths(args.paths);
  if (typeof files === 'string') {
    output.err(`kindling wast: ${files}\n`);
    return 2;
  }
  const engine = await loadWastEngine(args.engine);
  if (typeof engine === 'string') {
    output.err(`kindling wast: ${engine}\n`);
    return 2;
  }

  const total = { passed: 0, failed: 0, skipped: 0, notes: 0 };
  const started = performance.now();
  for (const file of files) {
    const result = runWastFile(file, engine, args.simd === undefined ? {} : { simd: args.simd });
    report(result, args.verbose, output);
    total.passed += result.passed;
    total.failed += result.failed;
    total.skipped += result.skipped;
    total.notes += result.notes.length;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  output.out(`engine ${engine.name}: ${files.length} file(s) in ${seconds} s, ${total.notes} note(s)\n`);
  output.out(`${countLine(total)}\n`);
  return total.failed > 0 ? 1 : 0;
}
