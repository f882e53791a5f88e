// Records checksums in bench/programs/manifest.json (run by bench/build.sh after rebuilding the .wasm files).
// For every program and size class it runs the module under this process's V8 and, when --native-dir is given, the
// natively compiled build of the same C source; the two must agree before anything is written.
//
//   node dist/bench/harness/update-manifest.js [--native-dir DIR] [--programs-dir DIR] [--check]
//
// --check verifies the manifest against the current .wasm files and writes nothing (exit 1 on any difference).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatChecksum, loadManifest, SIZE_CLASSES, sha256Hex, type ProgramEntry, type ProgramSize, type SizeClass } from './manifest.js';
import { defaultProgramsDir } from './paths.js';

interface ToolOptions {
  readonly programsDir: string;
  readonly nativeDir: string | undefined;
  readonly checkOnly: boolean;
}

function parseToolArgs(args: readonly string[]): ToolOptions {
  let programsDir: string | undefined;
  let nativeDir: string | undefined;
  let checkOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--programs-dir') programsDir = args[++i];
    else if (arg === '--native-dir') nativeDir = args[++i];
    else if (arg === '--check') checkOnly = true;
    else throw new Error(`update-manifest: unknown argument "${arg}" (expected --native-dir DIR, --programs-dir DIR, --check)`);
  }
  return { programsDir: programsDir ?? defaultProgramsDir(), nativeDir, checkOnly };
}

function runInV8(module: WebAssembly.Module, program: ProgramEntry, n: number): string {
  const instance = new WebAssembly.Instance(module, {});
  const entry = instance.exports[program.entry];
  if (typeof entry !== 'function') throw new Error(`${program.wasm} does not export a function "${program.entry}"`);
  return formatChecksum((entry as (n: number) => number | bigint)(n), program.result);
}

function runNative(nativeDir: string, program: ProgramEntry, n: number): string {
  const binary = join(nativeDir, program.name);
  return execFileSync(binary, [String(n)], { encoding: 'utf8', timeout: 300_000 }).trim();
}

function main(): number {
  const options = parseToolArgs(process.argv.slice(2));
  const manifest = loadManifest(options.programsDir, false);
  const problems: string[] = [];

  const listed = new Set(manifest.programs.map((p) => p.wasm));
  for (const file of readdirSync(options.programsDir).filter((f) => f.endsWith('.wasm'))) {
    if (!listed.has(file)) problems.push(`${file} has no entry in manifest.json (add one with its sizes)`);
  }
  if (options.nativeDir === undefined) console.warn('update-manifest: no --native-dir, skipping the native cross-check');

  const programs = manifest.programs.map((program): ProgramEntry => {
    const wasmPath = join(options.programsDir, program.wasm);
    if (!existsSync(wasmPath)) {
      problems.push(`${program.name}: ${wasmPath} is missing (run bench/build.sh)`);
      return program;
    }
    const bytes = readFileSync(wasmPath);
    const sha256 = sha256Hex(bytes);
    if (options.checkOnly && sha256 !== program.sha256) problems.push(`${program.name}: ${program.wasm} changed since the manifest was written`);
    const module = new WebAssembly.Module(bytes);
    const sizes = {} as Record<SizeClass, ProgramSize>;
    for (const size of SIZE_CLASSES) {
      const { n } = program.sizes[size];
      const start = performance.now();
      const checksum = runInV8(module, program, n);
      const ms = performance.now() - start;
      let note = '';
      if (options.nativeDir !== undefined) {
        const native = runNative(options.nativeDir, program, n);
        if (native !== checksum) problems.push(`${program.name} n=${n}: V8 computed ${checksum} but the native build ${native}`);
        else note = ' (native agrees)';
      }
      if (/^0x0+$/.test(checksum)) problems.push(`${program.name} n=${n}: checksum 0 means the program's self-test failed`);
      if (options.checkOnly && checksum !== program.sizes[size].checksum) {
        problems.push(`${program.name} n=${n}: computed ${checksum}, manifest has ${program.sizes[size].checksum || '(none)'}`);
      }
      console.log(`${program.name.padEnd(14)} ${size.padEnd(8)} n=${String(n).padEnd(8)} ${checksum}  ${ms.toFixed(1).padStart(8)} ms${note}`);
      sizes[size] = { n, checksum };
    }
    return { ...program, sha256, sizes };
  });

  if (problems.length > 0) {
    for (const problem of problems) console.error(`update-manifest: ${problem}`);
    console.error(`update-manifest: ${problems.length} problem(s); manifest.json not written`);
    return 1;
  }
  if (!options.checkOnly) {
    writeFileSync(join(options.programsDir, 'manifest.json'), JSON.stringify({ schema: 1, programs }, null, 2) + '\n');
    console.log(`update-manifest: recorded ${programs.length} programs in manifest.json`);
  } else {
    console.log(`update-manifest: manifest.json matches all ${programs.length} programs`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`update-manifest: ${(error as Error).message}`);
  process.exitCode = 1;
}
