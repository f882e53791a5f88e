// `kindling run`: invoking exports with typed arguments, fuel reporting (both strategies agree), traps, WASI commands.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResult, parseArgument, runMain } from '../../src/cli/run.js';
import { ValType } from '../../src/frontend/value-types.js';
import { wat } from '../runtime/wat.js';

let dir: string;
let mathWasm: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kindling-run-'));
  mathWasm = join(dir, 'math.wasm');
  writeFileSync(
    mathWasm,
    await wat(`(module
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "pair") (param i64 f64) (result i64 f64) (local.get 0) (local.get 1))
      (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "spin") (loop $l (br $l))))`),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runMain(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('kindling run', () => {
  it('--invoke prints the results, one per line', async () => {
    expect(await run([mathWasm, '--invoke', 'fib', '20'])).toEqual({ code: 0, out: '6765\n', err: '' });
    expect(await run([mathWasm, '--invoke', 'pair', '-9007199254740993', '-0.5'])).toEqual({ code: 0, out: '-9007199254740993\n-0.5\n', err: '' });
    expect((await run([mathWasm, '--invoke', 'div', '0x10', '-4'])).out).toBe('-4\n');
  });

  it('--fuel prints the fuel consumed, the same for both strategies', async () => {
    const memory = await run([mathWasm, '--invoke', 'fib', '10', '--fuel', '1000000']);
    const variable = await run([mathWasm, '--invoke', 'fib', '10', '--fuel', '1000000', '--fuel-strategy', 'variable']);
    expect(memory.out).toBe('55\n');
    expect(memory.err).toMatch(/^fuel consumed: \d+\n$/);
    expect(variable).toEqual(memory);
  });

  it('running out of fuel is a trap: exit 1, the error and the fuel consumed on stderr', async () => {
    const r = await run([mathWasm, '--invoke', 'spin', '--fuel', '5000']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^RuntimeError: all fuel consumed\n/);
    expect(r.err).toMatch(/fuel consumed: 5000\n$/);
  });

  it('a trap prints the RuntimeError with its wasm frames and exits with 1', async () => {
    const r = await run([mathWasm, '--invoke', 'div', '1', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^RuntimeError: integer divide by zero\n {4}at .*wasm-function\[2\]:0x[0-9a-f]+/);
  });

  it('usage errors exit with 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run([mathWasm, '--invoke', 'fib'])).err).toMatch(/fib takes 1 arguments, got 0/);
    expect((await run([mathWasm, '--invoke', 'fib', 'x'])).code).toBe(2);
    expect((await run([mathWasm, '--invoke', 'nope'])).err).toMatch(/no function named "nope"/);
    expect((await run([join(dir, 'missing.wasm')])).code).toBe(2);
    expect((await run([mathWasm, '--fuel', '-1'])).code).toBe(2);
  });

  it('--wasi runs a WASI command under node:wasi with arguments, environment and preopened directories', async () => {
    const data = join(dir, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'input.txt'), readFileSync(new URL('../../examples/wasi/input.txt', import.meta.url)));
    const stdoutPath = join(dir, 'stdout.txt');
    const stderrPath = join(dir, 'stderr.txt');
    const stdoutFd = openSync(stdoutPath, 'w');
    const stderrFd = openSync(stderrPath, 'w');
    let err = '';
    let code: number;
    try {
      code = await runMain(
        [
          new URL('../../examples/wasi/demo.wasm', import.meta.url).pathname,
          '--wasi', '--dir', `${data}:/data`, '--env', 'GREETING=hello from the host', '--env', 'LANG=C',
          '--fuel', '100000000000',
          '--', '--in', 'data/input.txt', '--out', 'data/output.txt',
        ],
        { out: () => {}, err: (t) => (err += t), stdoutFd, stderrFd },
      );
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
    }
    expect(code).toBe(0);
    expect(err).toMatch(/^fuel consumed: \d+\n$/);
    const stdout = readFileSync(stdoutPath, 'utf8');
    // argv[0] is the file name here, so compare from the environment section on.
    const expected = readFileSync(new URL('../../examples/wasi/expected-stdout.txt', import.meta.url), 'utf8');
    const tail = (s: string) => s.slice(s.indexOf('== environment =='));
    expect(tail(stdout)).toBe(tail(expected));
    expect(readFileSync(join(data, 'output.txt'), 'utf8')).toBe(readFileSync(new URL('../../examples/wasi/expected-output.txt', import.meta.url), 'utf8'));
  });
});

describe('argument and result formats', () => {
  it('parses integers (decimal, hex, unsigned range), floats and references', () => {
    expect(parseArgument('4294967295', ValType.I32)).toBe(-1);
    expect(parseArgument('-0x80000000', ValType.I32)).toBe(-2147483648);
    expect(() => parseArgument('4294967296', ValType.I32)).toThrow(RangeError);
    expect(parseArgument('18446744073709551615', ValType.I64)).toBe(-1n);
    expect(parseArgument('nan', ValType.F32)).toBeNaN();
    expect(parseArgument('-inf', ValType.F64)).toBe(-Infinity);
    expect(parseArgument('1e3', ValType.F64)).toBe(1000);
    expect(parseArgument('null', ValType.EXTERNREF)).toBeNull();
    expect(() => parseArgument('', ValType.F64)).toThrow(RangeError);
  });

  it('prints floats with nan / inf / -0 spelled out', () => {
    expect(formatResult(NaN, ValType.F32)).toBe('nan');
    expect(formatResult(-Infinity, ValType.F64)).toBe('-inf');
    expect(formatResult(-0, ValType.F64)).toBe('-0');
    expect(formatResult(5n, ValType.I64)).toBe('5');
  });
});
