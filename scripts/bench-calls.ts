/**
 * Call overhead across the JS ↔ wasm boundary, kindling beside V8, in one process:
 *   - JS → wasm: a JS loop calling an exported `(i32) -> i32` function (one i32.add);
 *   - wasm → JS: a wasm loop calling an imported JS `(i32) -> i32` function (x + 1).
 * Prints ns per call (median of several rounds). Goals: JS → wasm ≤ 100 ns, wasm → JS ≤ 400 ns.
 *
 *   npx tsc -p tsconfig.json && node dist/scripts/bench-calls.js [--calls N] [--rounds R]
 */
import { Engine, Store, WebAssembly as kindling } from '../src/index.js';

/*
 * (module
 *   (import "env" "inc" (func $inc (param i32) (result i32)))
 *   (func (export "add1") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
 *   (func (export "loop") (param $n i32) (result i32) (local $acc i32)
 *     (block $done (loop $next
 *       (br_if $done (i32.eqz (local.get $n)))
 *       (local.set $acc (call $inc (local.get $acc)))
 *       (local.set $n (i32.sub (local.get $n) (i32.const 1)))
 *       (br $next)))
 *     (local.get $acc)))
 */
const MODULE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: (i32) -> i32
  0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f,
  // import section: env.inc
  0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x69, 0x6e, 0x63, 0x00, 0x00,
  // function section: two functions of type 0
  0x03, 0x03, 0x02, 0x00, 0x00,
  // export section: add1 = func 1, loop = func 2
  0x07, 0x0f, 0x02, 0x04, 0x61, 0x64, 0x64, 0x31, 0x00, 0x01, 0x04, 0x6c, 0x6f, 0x6f, 0x70, 0x00, 0x02,
  // code section
  0x0a, 0x2a, 0x02,
  // add1: local.get 0; i32.const 1; i32.add; end
  0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b,
  // loop
  0x20, 0x01, 0x01, 0x7f,
  0x02, 0x40, 0x03, 0x40,
  0x20, 0x00, 0x45, 0x0d, 0x01,
  0x20, 0x01, 0x10, 0x00, 0x21, 0x01,
  0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00,
  0x0c, 0x00, 0x0b, 0x0b,
  0x20, 0x01, 0x0b,
]);

interface Exports {
  add1: (x: number) => number;
  loop: (n: number) => number;
}

interface Namespace {
  Module: new (bytes: Uint8Array, options?: object) => object;
  Instance: new (module: object, imports: object, options?: object) => { exports: unknown };
}

function instantiate(ns: Namespace, moduleOptions?: object, instanceOptions?: object): Exports {
  const module = new ns.Module(MODULE, moduleOptions);
  const inc = (x: number): number => (x + 1) | 0;
  return new ns.Instance(module, { env: { inc } }, instanceOptions).exports as Exports;
}

function jsToWasm(e: Exports, calls: number): number {
  const add1 = e.add1;
  let x = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) x = add1(x);
  const ns = Number(process.hrtime.bigint() - t0);
  if (x !== calls) throw new Error(`add1 chain returned ${x}, expected ${calls}`);
  return ns / calls;
}

function wasmToJs(e: Exports, calls: number): number {
  const t0 = process.hrtime.bigint();
  const result = e.loop(calls);
  const ns = Number(process.hrtime.bigint() - t0);
  if (result !== calls) throw new Error(`loop returned ${result}, expected ${calls}`);
  return ns / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function best(values: number[]): number {
  return Math.min(...values);
}

function measure(name: string, e: Exports, calls: number, rounds: number): [string, number, number, number, number] {
  jsToWasm(e, calls); // warm-up: JIT both sides
  wasmToJs(e, calls);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    a.push(jsToWasm(e, calls));
    b.push(wasmToJs(e, calls));
  }
  return [name, median(a), best(a), median(b), best(b)];
}

function main(): void {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const calls = option('--calls', 200_000);
  const rounds = option('--rounds', 7);
  const fuelEngine = new Engine({ consumeFuel: true });
  const fuelStore = new Store(fuelEngine);
  fuelStore.setFuel(1n << 60n);
  const rows = [
    measure('V8 (Node WebAssembly)', instantiate(WebAssembly as unknown as Namespace), calls, rounds),
    measure('kindling', instantiate(kindling as unknown as Namespace), calls, rounds),
    measure('kindling + fuel', instantiate(kindling as unknown as Namespace, { engine: fuelEngine }, { store: fuelStore }), calls, rounds),
  ];
  console.log(`call overhead, ns per call: median (best) of ${rounds} rounds × ${calls} calls`);
  console.log(`${'engine'.padEnd(24)} ${'JS → wasm'.padStart(16)} ${'wasm → JS'.padStart(16)}`);
  const cell = (m: number, b: number): string => `${m.toFixed(1)} (${b.toFixed(1)})`.padStart(16);
  for (const [name, a, ab, b, bb] of rows) console.log(`${name.padEnd(24)} ${cell(a, ab)} ${cell(b, bb)}`);
  console.log('goals: kindling JS → wasm ≤ 100 ns, wasm → JS ≤ 400 ns');
}

main();
