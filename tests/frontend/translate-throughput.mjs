// Compile throughput of decode + validate + translate, in MB of code-section bytes per second of CPU time, on the
// built output (vitest's module runner puts a getter on every cross-module binding, which distorts hot loops):
//
//   npm run build && node tests/frontend/translate-throughput.mjs [file.wasm …]     (DIST=dir/src: another build)
//
// Without arguments: bench/programs/*.wasm and every non-SIMD module of the spec suite (WASM_SPEC_DIR or
// ../shared/wasm-spec/json). The median of 7 runs per configuration.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dist = process.env.DIST ?? join(root, 'dist/src');
const { parseModule, validateFunction } = await import(join(dist, 'frontend/index.js'));
const { FunctionTranslator } = await import(join(dist, 'frontend/translate.js'));
const { IrFunction } = await import(join(dist, 'ir/index.js'));

let files = process.argv.slice(2);
if (files.length === 0) {
  const bench = join(root, 'bench/programs');
  files = readdirSync(bench).filter((f) => f.endsWith('.wasm')).map((f) => join(bench, f));
  const spec = process.env.WASM_SPEC_DIR ?? resolve(root, '../shared/wasm-spec/json');
  if (existsSync(spec)) files.push(...readdirSync(spec).filter((f) => f.endsWith('.wasm') && !f.startsWith('simd')).map((f) => join(spec, f)));
}
const t = new FunctionTranslator();
const into = new IrFunction();
const modules = [];
let codeBytes = 0;
for (const file of files) {
  const bytes = new Uint8Array(readFileSync(file));
  let m;
  try {
    m = parseModule(bytes);
    for (let i = 0; i < m.numDefinedFunctions; i++) validateFunction(m, i);
    for (let f = m.numImportedFunctions; f < m.functions.length; f++) t.translate(m, f, {}, into);
  } catch {
    continue; // invalid, or SIMD
  }
  modules.push(bytes);
  for (let i = 0; i < m.numDefinedFunctions; i++) codeBytes += m.definedFunction(i).bodyEnd - m.definedFunction(i).bodyStart;
}
const cpuMs = (fn) => {
  const c = process.cpuUsage();
  fn();
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};
console.log(`${modules.length} modules, ${(codeBytes / 1e6).toFixed(3)} MB of code`);
for (const [label, options] of [
  ['fuel off', {}],
  ['fuel variable', { fuel: 'variable' }],
  ['fuel memory', { fuel: 'memory' }],
  ['fuel memory, trapFuel annotate', { fuel: 'memory', trapFuel: 'annotate' }],
]) {
  const decode = [];
  const translate = [];
  for (let run = 0; run < 7; run++) {
    const parsed = [];
    decode.push(cpuMs(() => {
      for (const bytes of modules) {
        const m = parseModule(bytes);
        for (let i = 0; i < m.numDefinedFunctions; i++) validateFunction(m, i);
        parsed.push(m);
      }
    }));
    translate.push(cpuMs(() => {
      for (const m of parsed) for (let f = m.numImportedFunctions; f < m.functions.length; f++) t.translate(m, f, options, into);
    }));
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const d = median(decode);
  const tr = median(translate);
  const rate = (ms) => `${(codeBytes / 1e3 / ms).toFixed(2)} MB/s`;
  console.log(`${label.padEnd(31)} translate ${rate(tr).padStart(11)}   decode+validate+translate ${rate(d + tr).padStart(11)}`);
}
