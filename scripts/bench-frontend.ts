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
  const sorted = xs.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall-clock and CPU time (this process, all threads) of one call, in ms. */
interface Timing {
  wall: number;
  cpu: number;
}

function time(fn: () => void): Timing {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
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

const parse: Timing[] = [];
const whole: Timing[] = [];
let functionCount = 0;
for (let r = 0; r < runs; r++) {
  let m = parseModule(bytes);
  parse.push(time(() => (m = parseModule(bytes))));
  functionCount = m.numDefinedFunctions;
  const v = time(() => {
    for (let i = 0; i < functionCount; i++) validateFunction(m, i);
  });
  whole.push({ wall: parse[r].wall + v.wall, cpu: parse[r].cpu + v.cpu });
}

const v8Validate: Timing[] = [];
const v8Module: Timing[] = [];
for (let r = 0; r < Math.max(1, Math.min(runs, 3)); r++) {
  v8Validate.push(time(() => WebAssembly.validate(bytes)));
  v8Module.push(time(() => new WebAssembly.Module(bytes)));
}

const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1).padStart(6)} MB/s`;
const row = (label: string, ts: Timing[], note = '') => {
  const wallMedian = median(ts.map((t) => t.wall));
  const wallBest = Math.min(...ts.map((t) => t.wall));
  const cpuBest = Math.min(...ts.map((t) => t.cpu));
  console.log(
    `${label.padEnd(30)} wall median ${wallMedian.toFixed(0).padStart(6)} ms ${rate(wallMedian)} | wall best ${rate(wallBest)} | cpu best ${rate(cpuBest)}${note}`,
  );
};
console.log(`module: ${source}`);
console.log(`        ${(bytes.length / 1e6).toFixed(2)} MB total, ${mb.toFixed(2)} MB code, ${functionCount} functions; ${runs} runs`);
row('kindling parseModule only', parse);
row('kindling decode + validate', whole);
row('V8 WebAssembly.validate', v8Validate);
row('V8 new WebAssembly.Module', v8Module, '  (decode, validate, compile; cpu counts V8 background threads)');
