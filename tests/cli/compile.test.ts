// `kindling compile`: the IR, vcode and disassembly of what the runtime compiles, and --timings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMain } from '../../src/cli/compile.js';
import { wat } from '../runtime/wat.js';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-compile-'));
  file = join(dir, 'm.wasm');
  writeFileSync(
    file,
    await wat(`(module (memory 1)
      (func $load (export "load") (param i32) (result i32) (i32.load offset=8 (local.get 0)))
      (func $twice (param i32) (result i32) (i32.add (call $load (local.get 0)) (call $load (local.get 0))))
      (func (export "loop") (param $n i32) (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (func $three (result i32) (i32.add (i32.const 1) (i32.const 2))))`),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compile(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await compileMain(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('kindling compile', () => {
  it('--emit ir prints the optimized IR of each function (names from the name section)', async () => {
    const r = await compile([file, '--emit', 'ir']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^; function 0\nfunction %load\(i64 vmctx, i32\) -> i32 \{/);
    expect(r.out).toContain('function %twice(');
    expect(r.out.match(/^function /gm)!.length).toBe(4);
    // Without fuel there is no counter traffic; with it, the loop header reads the counter.
    expect(r.out).not.toContain('builtin 10');
    const fueled = await compile([file, '--emit', 'ir', '--func', 'loop', '--fuel', 'variable']);
    expect(fueled.out).toContain('builtin 10');
    expect(fueled.out.match(/^function /gm)!.length).toBe(1);
  });

  it('--opt changes the IR: level 0 keeps the addition that level 2 folds', async () => {
    const o0 = await compile([file, '--emit', 'ir', '--func', 'three', '--opt', '0']);
    const o2 = await compile([file, '--emit', 'ir', '--func', 'three', '--opt', '2']);
    expect(o0.out).toMatch(/= iadd /);
    expect(o2.out).not.toMatch(/= iadd/);
    expect(o2.out).toMatch(/= iconst\.i32 3\n/);
  });

  it('--emit vcode prints machine instructions on virtual registers', async () => {
    const r = await compile([file, '--emit', 'vcode', '--func', '0']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^; function 0\nvcode %load: \d+ blocks, \d+ insts, \d+ vregs/);
    expect(r.out).toMatch(/v\d+/);
  });

  it('--emit asm disassembles the module: landing pad, function headers, trap sites and call targets', async () => {
    const r = await compile([file, '--emit', 'asm']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<raise landing pad>:\n {2}0000: ff 25 [0-9a-f ]+ jmp qword ptr \[rip \+ 0x[0-9a-f]+\]\n/);
    expect(r.out).toMatch(/\nload \(function 0\): \d+ bytes, frame \d+ bytes\n {2}[0-9a-f]{4}: 55 +push rbp/);
    expect(r.out).toMatch(/call 0x[0-9a-f]+ +; trap heap_oob at wasm 0x[0-9a-f]+/);
    expect(r.out).toMatch(/; trap stack_overflow/);
    expect(r.out).toMatch(/; call load \(function 0\)/);
    const one = await compile([file, '--emit', 'asm', '--func', 'twice']);
    expect(one.out).not.toContain('<raise landing pad>');
    expect(one.out).toContain('twice (function 1)');
    expect(one.out).not.toContain('load (function 0):');
  });

  it('--timings prints the phases and MB/s on stderr', async () => {
    const r = await compile([file, '--timings']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    for (const phase of ['parse', 'validate', 'translate', 'optimize', 'lower', 'regalloc', 'emit']) expect(r.err).toMatch(new RegExp(`\\n  ${phase} +\\d+\\.\\d\\d ms`));
    expect(r.err).toMatch(/total +\d+\.\d\d ms +\d+\.\d\d MB\/s of module/);
    expect(r.err).toMatch(/4 functions/);
  });

  it('reports usage errors (2) and compile errors (1)', async () => {
    expect((await compile([file])).code).toBe(2);
    expect((await compile([file, '--emit', 'bogus'])).code).toBe(2);
    expect((await compile([file, '--emit', 'ir', '--func', 'nope'])).err).toMatch(/no function named "nope"/);
    const bad = join(dir, 'bad.wasm');
    writeFileSync(bad, Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1));
    const r = await compile([bad, '--emit', 'ir']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/CompileError/);
  });
});
