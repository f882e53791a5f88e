// The Wasm 2.0 spec suite (../shared/wasm-spec/json, or $WASM_SPEC_DIR) run through kindling's WebAssembly namespace
// with the wast runner: every non-SIMD script, each module compiled eagerly by kindling's pipeline, calls made through
// the raw-bits channel (wasm trampolines calling kindling's exports directly, so NaN payloads arrive intact).
// V8 passes 27,339 of these 27,343 assertions through the plain JS API (the 4 others need signalling NaN arguments).
// Skips visibly when the suite is absent.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { countLine, JsValueCodec, jsApiWastEngine, runWastFile, runWastMain, trampolineRawCall, type JsApiNamespace } from '../../src/cli/wast/index.js';
import { WebAssembly as kindling } from '../../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SPEC_DIR = process.env.WASM_SPEC_DIR ?? resolve(repoRoot, '../shared/wasm-spec/json');
const SPEC_FILES = existsSync(SPEC_DIR) ? readdirSync(SPEC_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('simd_')).sort() : [];
if (SPEC_FILES.length === 0) {
  console.warn(`\n*** Wasm spec suite not found at ${SPEC_DIR} (set WASM_SPEC_DIR): kindling spec tests are SKIPPED ***\n`);
}

/** Recorded floor: every assertion of the non-SIMD scripts in the snapshot passes. Never lower it. */
const KINDLING_PASS_FLOOR = 27_343;

describe.skipIf(SPEC_FILES.length === 0)('spec suite through kindling', () => {
  test('every non-SIMD script: all assertions pass, no trap-message notes', () => {
    const namespace = kindling as unknown as JsApiNamespace;
    const codec = new JsValueCodec();
    const engine = jsApiWastEngine(namespace, { name: 'kindling', codec, callRaw: trampolineRawCall(namespace, codec) });
    const run = { passed: 0, failed: 0, skipped: 0 };
    const failures: string[] = [];
    const notes: string[] = [];
    const started = performance.now();
    for (const file of SPEC_FILES) {
      const result = runWastFile(join(SPEC_DIR, file), engine);
      run.passed += result.passed;
      run.failed += result.failed;
      run.skipped += result.skipped;
      for (const f of result.failures) failures.push(`${basename(file)}:${f.line} ${f.message}`);
      for (const n of result.notes) notes.push(`${basename(file)}:${n.line} ${n.message}`);
    }
    console.log(`wast kindling: ${SPEC_FILES.length} files, ${countLine(run)}, ${notes.length} notes, ${(performance.now() - started).toFixed(0)} ms`);
    expect(failures.slice(0, 20)).toEqual([]);
    expect(notes.slice(0, 20)).toEqual([]);
    expect(run.passed).toBeGreaterThanOrEqual(KINDLING_PASS_FLOOR);
  });

  test('`kindling wast --engine kindling` loads the package entry and runs scripts', async () => {
    let out = '';
    let err = '';
    const files = ['i32.json', 'call_indirect.json', 'conversions.json'].map((f) => join(SPEC_DIR, f));
    const code = await runWastMain(['--engine', 'kindling', ...files], { out: (t) => (out += t), err: (t) => (err += t) });
    expect(err).toBe('');
    expect(code).toBe(0);
    // conversions.json's signalling-NaN reinterpretations pass too: the engine uses the raw-bits channel.
    expect(out).toMatch(/conversions\.json: 619 passed, 0 failed/);
    expect(out).toMatch(/^1236 passed, 0 failed, 13 skipped$/m);
  });
});
