/**
 * Frontend throughput: decode + validate MB/s of code-section bytes on a large module, next to V8's own
 * WebAssembly.validate and new WebAssembly.Module on the same bytes.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench-frontend.js [--mb 32] [--functions 3000] [--runs 5] [--module file.wasm] [--synthetic]
 *
 * The module: a generated C program compiled by clang (--target=wasm32 -O2 -msimd128), its bodies repeated until the
 * code section holds --mb megabytes; without clang (or with --synthetic), bodies written directly as bytes.
 * Generated files are cached in the OS temp directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModule, validateFunction } from '../src/frontend/index.js';
import { generateBenchC } from './frontend-bench-c.js';
import { codeSectionBytes, scaleModule, syntheticModule } from './frontend-bench-module.js';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const targetMb = Number(option('mb', '32'));
const functions = Number(option('functions', '3000'));
const runs = Number(option('runs', '5'));
const moduleFile = option('module', '');
const forceSynthetic = process.argv.includes('--synthetic');

function hasClang(): boolean {
  try {
    execFileSync('clang', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm-ld', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The base module compiled from generated C (cached). */
function clangModule(): Uint8Array {
  const dir = join(tmpdir(), 'kindling-bench-frontend');
  mkdirSync(dir, { recursive: true });
  const wasmPath = join(dir, `bench-${functions}.wasm`);
  if (!existsSync(wasmPath)) {
    const cPath = join(dir, `bench-${functions}.c`);
    writeFileSync(cPath, generateBenchC(functions));
    console.log(`compiling ${functions} generated C functions with clang (cached in ${dir}) …`);
    execFileSync('clang', ['--target=wasm32', '-O2', '-msimd128', '-nostdlib', '-Wl,--no-entry', '-Wl,--export-all', '-o', wasmPath, cPath], {
      stdio: 'inherit',
    });
  }
  return new Uint8Array(readFileSync(wasmPath));
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

let source: string;
let bytes: Uint8Array<ArrayBuffer>;
if (moduleFile) {
  bytes = new Uint8Array(readFileSync(moduleFile));
  source = moduleFile;
} else if (!forceSynthetic && hasClang()) {
  const base = clangModule();
  bytes = scaleModule(base, targetMb * 1e6) as Uint8Array<ArrayBuffer>;
  source = `clang -O2 -msimd128, ${functions} generated C functions (${(codeSectionBytes(base) / 1e6).toFixed(2)} MB of code), bodies repeated`;
} else {
  bytes = syntheticModule(targetMb * 1e6) as Uint8Array<ArrayBuffer>;
  source = 'synthetic loop/arithmetic/memory bodies (no clang)';
}
const codeBytes = codeSectionBytes(bytes);
const mb = codeBytes / 1e6;

// Warm up (and check the module is valid at all).
{
  const m = parseModule(bytes);
  for (let i = 0; i < m.numDefinedFunctions; i++) validateFunction(m, i);
}

const parseMs: number[] = [];
const validateMs: number[] = [];
let functionCount = 0;
for (let r = 0; r < runs; r++) {
  let m = parseModule(bytes);
  parseMs.push(time(() => (m = parseModule(bytes))));
  functionCount = m.numDefinedFunctions;
  validateMs.push(
    time(() => {
      for (let i = 0; i < functionCount; i++) validateFunction(m, i);
    }),
  );
}
const totalMs = runs > 0 ? median(parseMs.map((p, i) => p + validateMs[i])) : 0;

const v8ValidateMs: number[] = [];
const v8ModuleMs: number[] = [];
for (let r = 0; r < Math.max(1, Math.min(runs, 3)); r++) {
  v8ValidateMs.push(time(() => WebAssembly.validate(bytes)));
  v8ModuleMs.push(time(() => new WebAssembly.Module(bytes)));
}

const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
console.log(`module: ${source}`);
console.log(`        ${(bytes.length / 1e6).toFixed(2)} MB total, ${mb.toFixed(2)} MB code, ${functionCount} functions; median of ${runs} runs`);
console.log(`kindling parseModule            ${median(parseMs).toFixed(1).padStart(8)} ms`);
console.log(`kindling validateFunction (all) ${median(validateMs).toFixed(1).padStart(8)} ms`);
console.log(`kindling decode + validate      ${totalMs.toFixed(1).padStart(8)} ms   ${rate(totalMs)}`);
console.log(`V8 WebAssembly.validate         ${median(v8ValidateMs).toFixed(1).padStart(8)} ms   ${rate(median(v8ValidateMs))}`);
console.log(`V8 new WebAssembly.Module       ${median(v8ModuleMs).toFixed(1).padStart(8)} ms   ${rate(median(v8ModuleMs))}  (decode, validate, compile)`);
