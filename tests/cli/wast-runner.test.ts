// The runner's verdicts on small hand-written command files (modules built with wabt's npm build), on V8: every
// command type, passing and failing, skips, notes, the raw-bits channel and the `kindling wast` entry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wabtInit from 'wabt';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  runWastFile,
  runWastMain,
  trampolineModuleBytes,
  v8WastEngine,
  type WastEngine,
  type WastFileResult,
} from '../../src/cli/wast/index.js';

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Wabt;
let dir: string;

beforeAll(async () => {
  wabt = await wabtInit();
  dir = mkdtempSync(join(tmpdir(), 'kindling-wast-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `NAME.json` with `commands`; each `wat` entry becomes `NAME.N.wasm` and is referenced by its index. */
function writeScript(name: string, modules: readonly string[], commands: readonly object[]): string {
  modules.forEach((wat, i) => {
    const module = wabt.parseWat(`${name}.${i}.wat`, wat, { simd: true, reference_types: true, multi_value: true });
    writeFileSync(join(dir, `${name}.${i}.wasm`), module.toBinary({}).buffer);
    module.destroy();
  });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ source_filename: `${name}.wast`, commands }));
  return path;
}

const i32 = (value: number | string) => ({ type: 'i32', value: String(value) });
const f32 = (value: number | string) => ({ type: 'f32', value: String(value) });
const invoke = (field: string, args: object[] = [], module?: string) => ({ type: 'invoke', field, args, ...(module ? { module } : {}) });

const MATH = `(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "reinterpret") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
  (func (export "id_f32") (param f32) (result f32) local.get 0)
  (func (export "swap") (param i32 f32) (result f32 i32) local.get 1 local.get 0)
  (func $loop (export "loop") call $loop)
  (func (export "unreachable") unreachable)
  (global (export "g") i32 (i32.const 42)))`;

function failureLines(result: WastFileResult): number[] {
  return result.failures.map((f) => f.line);
}

describe('runWastFile on V8', () => {
  test('assert_return, action, get, multi-value, traps and exhaustion: passes and failures by line', () => {
    const path = writeScript('math', [MATH], [
      { type: 'module', line: 1, filename: 'math.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('add', [i32(1), i32(2)]), expected: [i32(3)] },
      { type: 'assert_return', line: 3, action: invoke('add', [i32(4294967295), i32(1)]), expected: [i32(0)] },
      { type: 'assert_return', line: 4, action: invoke('add', [i32(1), i32(2)]), expected: [i32(4)] }, // fails
      { type: 'assert_return', line: 5, action: { type: 'get', field: 'g' }, expected: [i32(42)] },
      { type: 'assert_return', line: 6, action: invoke('swap', [i32(7), f32(0x3fc00000)]), expected: [f32(0x3fc00000), i32(7)] },
      { type: 'action', line: 7, action: invoke('add', [i32(1), i32(1)]), expected: [{ type: 'i32' }] },
      { type: 'assert_trap', line: 8, action: invoke('div', [i32(1), i32(0)]), text: 'integer divide by zero', expected: [{ type: 'i32' }] },
      // Right trap class, other kind: passes with a note.
      { type: 'assert_trap', line: 9, action: invoke('unreachable'), text: 'integer overflow', expected: [] },
      // Returns instead of trapping: fails.
      { type: 'assert_trap', line: 10, action: invoke('div', [i32(6), i32(3)]), text: 'integer divide by zero', expected: [{ type: 'i32' }] },
      { type: 'assert_exhaustion', line: 11, action: invoke('loop'), text: 'call stack exhausted', expected: [] },
      { type: 'assert_return', line: 12, action: invoke('missing'), expected: [] }, // fails: no such export
      { type: 'assert_return', line: 13, action: invoke('id_f32', [f32('nan:canonical')]), expected: [] }, // fails: bad arg
    ]);
    const result = runWastFile(path, v8WastEngine());
    expect({ passed: result.passed, failed: result.failed, skipped: result.skipped }).toEqual({ passed: 9, failed: 4, skipped: 0 });
    expect(failureLines(result)).toEqual([4, 10, 12, 13]);
    expect(result.failures[0]!.message).toBe('invoke "add"(i32:1, i32:2): result 0: expected i32:4, got i32:3');
    expect(result.failures[1]!.message).toMatch(/expected a trap "integer divide by zero", returned \[i32:2\]/);
    expect(result.failures[2]!.message).toBe('no export "missing"');
    expect(result.failures[3]!.message).toMatch(/arg 0: expected an unsigned decimal string/);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ line: 9, command: 'assert_trap' });
    expect(result.notes[0]!.message).toMatch(/expected "integer overflow" \(int_ovf\), engine said "unreachable"/);
  });

  test('NaN payloads: plain JS API loses a signalling NaN argument; the raw channel keeps it', () => {
    const commands = [
      { type: 'module', line: 1, filename: 'nan.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('reinterpret', [f32(0x7fa00000)]), expected: [i32(0x7fa00000)] },
      { type: 'assert_return', line: 3, action: invoke('id_f32', [f32(0x7fa00000)]), expected: [f32(0x7fa00000)] },
      { type: 'assert_return', line: 4, action: invoke('id_f32', [f32(0x7fc00000)]), expected: [f32('nan:canonical')] },
    ];
    const path = writeScript('nan', [MATH], commands);
    const plain = runWastFile(path, v8WastEngine());
    expect(failureLines(plain)).toEqual([2]);
    expect(plain.failures[0]!.message).toBe(
      'invoke "reinterpret"(f32:NaN (0x7fa00000)): result 0: expected i32:2141192192, got i32:2145386496',
    );
    // Line 3 passes only as a quieted NaN, and says so.
    expect(plain.notes.map((n) => n.line)).toEqual([3]);
    expect(plain.notes[0]!.message).toMatch(/quieted through JS numbers \(f32:NaN \(0x7fe00000\)\)/);

    const raw = runWastFile(path, v8WastEngine({ rawBits: true }));
    expect({ passed: raw.passed, failed: raw.failed, notes: raw.notes.length }).toEqual({ passed: 4, failed: 0, notes: 0 });
  });

  test('the runner prefers callRaw and falls back to call when it declines', () => {
    const path = writeScript('raw', [MATH], [
      { type: 'module', line: 1, filename: 'raw.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('add', [i32(1), i32(2)]), expected: [i32(3)] },
      { type: 'assert_return', line: 3, action: invoke('add', [i32(2), i32(2)]), expected: [i32(4)] },
    ]);
    const seen: bigint[] = [];
    const engine: WastEngine = {
      ...v8WastEngine(),
      callRaw: (_func, args) => {
        seen.push(args[0]!.type === 'i32' ? args[0]!.bits : -1n);
        // Answers the first call itself (deliberately wrong, to prove its answer is used), declines the second.
        return seen.length === 1 ? [{ type: 'i32', bits: 99n }] : undefined;
      },
    };
    const result = runWastFile(path, engine);
    expect(seen).toEqual([1n, 2n]);
    expect(failureLines(result)).toEqual([2]);
    expect(result.failures[0]!.message).toMatch(/expected i32:3, got i32:99/);
    expect(result.passed).toBe(2);
  });

  test('modules: register and import, spectest, invalid, malformed, unlinkable, uninstantiable, text skipped', () => {
    const path = writeScript('link', [
      `(module (func (export "seven") (result i32) i32.const 7) (memory (export "mem") 1))`,
      `(module
         (import "exporter" "seven" (func $seven (result i32)))
         (import "spectest" "print_i32" (func $print (param i32)))
         (import "spectest" "global_i32" (global $g i32))
         (import "spectest" "memory" (memory 1 2))
         (func (export "sum") (result i32) (call $print (i32.const 1)) (i32.add (call $seven) (global.get $g))))`,
      `(module (import "exporter" "seven" (func (param i32))))`,
      `(module (memory 1) (data (i32.const 65536) "x"))`,
      `(module (func $start unreachable) (start $start))`,
      `(module (func (export "f") (result i32) i32.const 1))`,
    ], [
      { type: 'module', line: 1, name: '$exporter', filename: 'link.0.wasm' },
      { type: 'register', line: 2, name: '$exporter', as: 'exporter' },
      { type: 'module', line: 3, filename: 'link.1.wasm' },
      { type: 'assert_return', line: 4, action: invoke('sum'), expected: [i32(673)] },
      { type: 'assert_return', line: 5, action: invoke('seven', [], '$exporter'), expected: [i32(7)] },
      { type: 'assert_unlinkable', line: 6, filename: 'link.2.wasm', text: 'incompatible import type', module_type: 'binary' },
      { type: 'assert_uninstantiable', line: 7, filename: 'link.3.wasm', text: 'out of bounds memory access', module_type: 'binary' },
      { type: 'assert_uninstantiable', line: 8, filename: 'link.4.wasm', text: 'unreachable', module_type: 'binary' },
      // A valid module asserted invalid / malformed / unlinkable: three failures.
      { type: 'assert_invalid', line: 9, filename: 'link.5.wasm', text: 'type mismatch', module_type: 'binary' },
      { type: 'assert_malformed', line: 10, filename: 'link.5.wasm', text: 'unexpected end', module_type: 'binary' },
      { type: 'assert_unlinkable', line: 11, filename: 'link.5.wasm', text: 'unknown import', module_type: 'binary' },
      { type: 'assert_malformed', line: 12, filename: 'link.99.wat', text: 'unknown operator', module_type: 'text' },
      { type: 'register', line: 13, name: '$nobody', as: 'x' },
    ]);
    writeFileSync(join(dir, 'link.5.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const result = runWastFile(path, v8WastEngine());
    expect(failureLines(result)).toEqual([9, 10, 11, 13]);
    expect(result.failures.map((f) => f.message)).toEqual([
      'validate returned true for a invalid module ("type mismatch")',
      'validate returned true for a malformed module ("unexpected end")',
      'instantiated, expected a link error ("unknown import")',
      'no module named $nobody',
    ]);
    expect({ passed: result.passed, skipped: result.skipped }).toEqual({ passed: 7, skipped: 1 });
  });

  test('invalid and malformed bytes are CompileErrors; a module that fails to load fails its users', () => {
    const path = writeScript('bad', [`(module (func (export "f") (result i32) i32.const 1))`], [
      { type: 'assert_malformed', line: 1, filename: 'bad.garbage.wasm', text: 'magic header not detected', module_type: 'binary' },
      { type: 'assert_invalid', line: 2, filename: 'bad.invalid.wasm', text: 'type mismatch', module_type: 'binary' },
      { type: 'module', line: 3, name: '$broken', filename: 'bad.invalid.wasm' },
      { type: 'assert_return', line: 4, action: invoke('f'), expected: [i32(1)] },
      { type: 'module', line: 5, filename: 'bad.0.wasm' },
      { type: 'assert_return', line: 6, action: invoke('f'), expected: [i32(1)] },
      { type: 'assert_return', line: 7, action: invoke('f', [], '$broken'), expected: [i32(1)] },
    ]);
    writeFileSync(join(dir, 'bad.garbage.wasm'), Buffer.from('not wasm'));
    // (func (result i32)) with an empty body: invalid (nothing left on the stack).
    const wat = wabt.parseWat('x.wat', '(module (func (result i32) i32.const 1))');
    const bytes = Uint8Array.from(wat.toBinary({}).buffer);
    bytes[bytes.length - 3] = 0x01; // i32.const 1 → nop: the body leaves nothing on the stack
    bytes[bytes.length - 2] = 0x01; // second immediate byte → nop
    writeFileSync(join(dir, 'bad.invalid.wasm'), bytes);
    const result = runWastFile(path, v8WastEngine());
    expect(failureLines(result)).toEqual([3, 4, 7]);
    expect(result.failures[0]!.message).toMatch(/^compile failed: compile: CompileError/);
    expect(result.failures[1]!.message).toBe('module (line 3) failed to load');
    expect(result.failures[2]!.message).toBe('module $broken (line 3) failed to load');
    expect(result.passed).toBe(4);
  });

  test('simd: false skips v128 commands and simd_* scripts (counted as skipped); v8-raw runs them', () => {
    const vec = (lanes: string[]) => ({ type: 'v128', lane_type: 'i32', value: lanes });
    const commands = [
      { type: 'module', line: 1, filename: 'simd_x.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('add4', [vec(['1', '2', '3', '4']), vec(['10', '20', '30', '4294967295'])]), expected: [vec(['11', '22', '33', '3'])] },
      { type: 'assert_return', line: 3, action: invoke('one'), expected: [i32(1)] },
      { type: 'register', line: 4, as: 'x' },
    ];
    const modules = [`(module
      (func (export "add4") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
      (func (export "one") (result i32) i32.const 1))`];
    const simdPath = writeScript('simd_x', modules, commands);
    const plainPath = writeScript('vectors', modules, commands.map((c) => ({ ...c, filename: 'vectors.0.wasm' })));

    const noSimd = runWastFile(simdPath, v8WastEngine());
    expect({ passed: noSimd.passed, failed: noSimd.failed, skipped: noSimd.skipped }).toEqual({ passed: 0, failed: 0, skipped: 3 });
    const onlyV128 = runWastFile(plainPath, v8WastEngine());
    expect({ passed: onlyV128.passed, failed: onlyV128.failed, skipped: onlyV128.skipped }).toEqual({ passed: 2, failed: 0, skipped: 1 });
    const raw = runWastFile(simdPath, v8WastEngine({ rawBits: true }));
    expect({ passed: raw.passed, failed: raw.failed, skipped: raw.skipped }).toEqual({ passed: 3, failed: 0, skipped: 0 });
  });

  test('a file that is not a command list is one failure, not a crash', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"commands": [{"type": "assert_banana", "line": 3}]}');
    const result = runWastFile(path, v8WastEngine());
    expect(result.failed).toBe(1);
    expect(result.failures[0]!.message).toMatch(/line 3: unknown command type "assert_banana"/);
    expect(runWastFile(join(dir, 'absent.json'), v8WastEngine()).failures[0]!.message).toMatch(/cannot read/);
  });
});

describe('trampoline module', () => {
  test('validates on V8 for every carried type, including multi-value and v128', () => {
    expect(WebAssembly.validate(trampolineModuleBytes(['i32', 'f32', 'i64', 'f64', 'v128', 'externref'], ['f64', 'v128', 'f32']))).toBe(true);
    expect(WebAssembly.validate(trampolineModuleBytes([], []))).toBe(true);
  });
});

describe('runWastMain', () => {
  function capture(): { out: string[]; err: string[]; output: { out: (t: string) => void; err: (t: string) => void } } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, output: { out: (t) => out.push(t), err: (t) => err.push(t) } };
  }

  test('prints per-file counts, failures, and the plain total line; exit 1 on failure, 0 otherwise', async () => {
    const failing = writeScript('cli1', [MATH], [
      { type: 'module', line: 1, filename: 'cli1.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('add', [i32(1), i32(2)]), expected: [i32(5)] },
    ]);
    const passing = writeScript('cli2', [MATH], [
      { type: 'module', line: 1, filename: 'cli2.0.wasm' },
      { type: 'assert_return', line: 2, action: invoke('add', [i32(1), i32(2)]), expected: [i32(3)] },
    ]);
    const run1 = capture();
    expect(await runWastMain([failing, passing, '--engine', 'v8'], run1.output)).toBe(1);
    const lines = run1.out.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('cli1.json: 1 passed, 1 failed, 0 skipped');
    expect(lines[1]).toBe('  line 2: assert_return: invoke "add"(i32:1, i32:2): result 0: expected i32:5, got i32:3');
    expect(lines[2]).toBe('cli2.json: 2 passed, 0 failed, 0 skipped');
    expect(lines[3]).toMatch(/^engine v8: 2 file\(s\) in [\d.]+ s, 0 note\(s\)$/);
    expect(lines.at(-1)).toBe('3 passed, 1 failed, 0 skipped');

    const run2 = capture();
    expect(await runWastMain([passing, '--verbose'], run2.output)).toBe(0);
    expect(run2.out.at(-1)).toBe('2 passed, 0 failed, 0 skipped\n');
  });

  test('usage errors and unavailable engines exit 2 with a message', async () => {
    const run = capture();
    expect(await runWastMain([], run.output)).toBe(2);
    expect(await runWastMain(['--engine', 'spidermonkey', join(dir, 'cli2.json')], run.output)).toBe(2);
    expect(await runWastMain(['--frobnicate'], run.output)).toBe(2);
    expect(await runWastMain([join(dir, 'nowhere.json')], run.output)).toBe(2);
    const messages = run.err.join('');
    expect(messages).toMatch(/no command files given/);
    expect(messages).toMatch(/unknown engine 'spidermonkey'/);
    expect(messages).toMatch(/unknown option '--frobnicate'/);
    expect(messages).toMatch(/no such file or directory: .*nowhere\.json/);
    expect(await runWastMain(['--help'], run.output)).toBe(0);
    expect(run.out.join('')).toMatch(/^usage: kindling wast/);
  });
});
