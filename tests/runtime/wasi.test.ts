// A real wasm32-wasi C program (examples/wasi/demo.c: printf of integers and floats, argv, environ, a file read from
// and one written to a preopened directory, exit codes) run under node:wasi with any WebAssembly-compatible namespace.
// The expected-*.txt files come from a native build of the same C source (examples/wasi/build.sh), not from a wasm
// engine. Runs on V8 today; kindling's namespace is enabled in tests/differential/kindling-namespace.ts.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { describe, expect, it } from 'vitest';
import { KINDLING_PENDING, kindlingNamespace } from '../differential/kindling-namespace.js';
import type { WasmNamespace } from '../differential/wasm-namespace.js';

const EXAMPLE_DIR = new URL('../../examples/wasi/', import.meta.url);
const readExample = (name: string): string => readFileSync(new URL(name, EXAMPLE_DIR), 'utf8');

export interface WasiResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * Runs a WASI preview1 command: instantiates `wasmBytes` through `namespace.instantiate` with node:wasi's imports and
 * calls `_start`. stdout and stderr go to files (node:wasi writes to real fds, so this is how output is captured).
 * `preopens` maps guest paths to host directories. A trap or other error propagates after the fds are closed.
 */
export async function runWasi(
  namespace: WasmNamespace,
  wasmBytes: Uint8Array,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  preopens: Readonly<Record<string, string>>,
): Promise<WasiResult> {
  const captureDir = mkdtempSync(join(tmpdir(), 'kindling-wasi-'));
  const stdoutPath = join(captureDir, 'stdout');
  const stderrPath = join(captureDir, 'stderr');
  const stdin = openSync('/dev/null', 'r');
  const stdout = openSync(stdoutPath, 'w');
  const stderr = openSync(stderrPath, 'w');
  try {
    const wasi = new WASI({
      version: 'preview1',
      args: [...args],
      env: { ...env },
      preopens: { ...preopens },
      stdin,
      stdout,
      stderr,
      returnOnExit: true,
    });
    const { instance } = await namespace.instantiate(new Uint8Array(wasmBytes), wasi.getImportObject() as WebAssembly.Imports);
    const exitCode = wasi.start(instance as WebAssembly.Instance);
    return { stdout: readFileSync(stdoutPath, 'utf8'), stderr: readFileSync(stderrPath, 'utf8'), exitCode };
  } finally {
    closeSync(stdin);
    closeSync(stdout);
    closeSync(stderr);
    rmSync(captureDir, { recursive: true, force: true });
  }
}

// Keep in sync with the reference run in examples/wasi/build.sh.
const DEMO_ARGS = ['demo', '--in', 'data/input.txt', '--out', 'data/output.txt'];
const DEMO_ENV = { GREETING: 'hello from the host', LANG: 'C' };

/** A fresh host directory holding data/input.txt, preopened as /data. */
function makeDataDir(): { root: string; data: string; preopens: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), 'kindling-wasi-data-'));
  const data = join(root, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'input.txt'), readExample('input.txt'));
  return { root, data, preopens: { '/data': data } };
}

function defineWasiSuite(engine: string, namespace: WasmNamespace | null): void {
  describe(`WASI demo on ${engine}`, () => {
    if (namespace === null) {
      it.skip(`skipped: ${KINDLING_PENDING}`, () => {});
      return;
    }
    const wasm = readFileSync(new URL('demo.wasm', EXAMPLE_DIR));
    const expectedStdout = readExample('expected-stdout.txt');

    it('prints the exact expected output, writes the reversed file and exits with 0', async () => {
      const dir = makeDataDir();
      try {
        const result = await runWasi(namespace, wasm, DEMO_ARGS, DEMO_ENV, dir.preopens);
        expect(result.stdout).toBe(expectedStdout);
        expect(result.stderr).toBe(readExample('expected-stderr.txt'));
        expect(result.exitCode).toBe(0);
        expect(readFileSync(join(dir.data, 'output.txt'), 'utf8')).toBe(readExample('expected-output.txt'));
      } finally {
        rmSync(dir.root, { recursive: true, force: true });
      }
    });

    it('exits with the code given by --exit-code (proc_exit after flushing stdio)', async () => {
      const dir = makeDataDir();
      try {
        const result = await runWasi(namespace, wasm, [...DEMO_ARGS, '--exit-code', '3'], DEMO_ENV, dir.preopens);
        expect(result.exitCode).toBe(3);
        expect(result.stdout).toContain('argc = 7\n');
        expect(result.stdout).toContain('argv[6] = "3" (1 bytes)\n');
        // Everything after the args section is the same, except the last line.
        const tail = (s: string) => s.slice(s.indexOf('== numbers =='));
        expect(tail(result.stdout)).toBe(tail(expectedStdout).replace(/done\n$/, 'exiting with code 3\n'));
        expect(readFileSync(join(dir.data, 'output.txt'), 'utf8')).toBe(readExample('expected-output.txt'));
      } finally {
        rmSync(dir.root, { recursive: true, force: true });
      }
    });

    it('reports a missing input file through errno (ENOENT from the host) with exit code 2', async () => {
      const dir = makeDataDir();
      try {
        const args = ['demo', '--in', 'data/missing.txt', '--out', 'data/output.txt'];
        const result = await runWasi(namespace, wasm, args, {}, dir.preopens);
        expect(result.exitCode).toBe(2);
        expect(result.stderr).toBe("demo: cannot read 'data/missing.txt': No such file or directory\n");
        expect(result.stdout).toContain('== environment ==\nGREETING is (unset)\n');
        expect(result.stdout).toContain('fib(90) = 2880067194370816120\n');
        expect(result.stdout).not.toContain('== text ==');
      } finally {
        rmSync(dir.root, { recursive: true, force: true });
      }
    });

    it('rejects a bad command line with exit code 64 and prints nothing on stdout', async () => {
      const result = await runWasi(namespace, wasm, ['demo', '--bogus'], {}, {});
      expect(result.exitCode).toBe(64);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        "demo: unknown argument '--bogus'\nusage: demo --in PATH --out PATH [--exit-code N]\n",
      );
    });
  });
}

describe('examples/wasi', () => {
  it('has the committed wasm, a WASI preview1 command importing wasi_snapshot_preview1 only', () => {
    const module = new WebAssembly.Module(readFileSync(new URL('demo.wasm', EXAMPLE_DIR)));
    const imports = WebAssembly.Module.imports(module);
    expect(imports.length).toBeGreaterThan(5);
    expect(new Set(imports.map((i) => i.module))).toEqual(new Set(['wasi_snapshot_preview1']));
    expect(imports.map((i) => i.name)).toEqual(
      expect.arrayContaining(['args_get', 'environ_get', 'fd_write', 'path_open', 'fd_read', 'proc_exit']),
    );
    expect(WebAssembly.Module.exports(module).map((e) => e.name)).toEqual(['memory', '_start']);
  });
});

defineWasiSuite('V8 (Node WebAssembly)', WebAssembly);
defineWasiSuite('kindling', kindlingNamespace);
